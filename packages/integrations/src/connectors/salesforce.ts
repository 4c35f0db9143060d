/**
 * Salesforce CRM (REST API, specs/connectors.md §1).
 *
 * How this works: the connector signs in with OAuth2 — client credentials against the org's
 * My Domain, or a JWT bearer assertion (RS256, `aud` = the login URL) — at
 * `/services/oauth2/token`, and sends every API call to the `instance_url` that answer names,
 * under the pinned `/services/data/v66.0/`. Salesforce gives sessions no lifetime, so a token
 * is used until a 401 `INVALID_SESSION_ID`, then fetched once more. Records are created with
 * `POST sobjects/{Lead|Contact|Opportunity}/` (201 `{id, success, errors}`); documents become a
 * ContentVersion published to a record (`salesforce-upload.ts`); lookups are SOQL queries
 * followed through `nextRecordsUrl`; records change with `PATCH` by id or by an External ID
 * (upsert, `salesforce-update.ts`).
 *
 * Errors: the `[{message, errorCode, fields}]` array becomes `INTEGRATION_REJECTED` with the
 * vendor's `errorCode`; 403 `REQUEST_LIMIT_EXCEEDED` (the daily allocation; Salesforce's rate
 * limit has no 429 and no Retry-After) is an `UPSTREAM_ERROR` that is not retried at once but
 * counts against the circuit; 5xx are retried.
 *
 * @module
 */
import { z } from 'zod';
import { type ConnectorOptions, createConnector } from './connector.js';
import { type ConnectorClient, defineAction, defineConnector, secret } from './define.js';
import { rejected } from './errors.js';
import {
  createContactInput,
  createLeadInput,
  createOpportunityInput,
  createRecord,
  findByEmail,
  findByEmailInput,
} from './salesforce-records.js';
import {
  apiBase,
  interpretSalesforce,
  SALESFORCE_API_VERSION,
  SALESFORCE_LOGIN_URL,
  salesforceAuth,
} from './salesforce-session.js';
import { updateRecord, updateRecordInput, upsertRecord, upsertRecordInput } from './salesforce-update.js';
import { uploadContentVersion, uploadDocumentInput } from './salesforce-upload.js';
import type { Connector } from './types.js';

export { SALESFORCE_API_VERSION, SALESFORCE_LOGIN_URL } from './salesforce-session.js';
export { SALESFORCE_MULTIPART_ABOVE_BYTES } from './salesforce-upload.js';

const LOGIN_HOSTS = /^https:\/\/(login|test)\.salesforce\.com\/?$/i;

const credentials = z
  .object({
    /** `client_credentials` (server-to-server, needs a "Run As" user) or `jwt_bearer` (a certificate). @default 'client_credentials' */
    authMode: z.enum(['client_credentials', 'jwt_bearer']).default('client_credentials'),
    /** The connected app's consumer key (also the JWT `iss`). */
    clientId: z.string().min(1),
    /** Consumer secret (client credentials). */
    clientSecret: secret(z.string().min(1)).optional(),
    /** The org's My Domain URL (`https://acme.my.salesforce.com`); required for client credentials. */
    instanceUrl: z.url().optional(),
    /**
     * Token host of the JWT flow: login/test.salesforce.com (`https://test.salesforce.com` for
     * sandboxes), a community URL or the org's My Domain. @default 'https://login.salesforce.com'
     */
    loginUrl: z.url().default(SALESFORCE_LOGIN_URL),
    /**
     * The JWT `aud`, when it differs from what `loginUrl` implies: by default the login URL
     * itself, or login/test.salesforce.com when `loginUrl` is a My Domain host (never an `aud`).
     */
    audience: z.url().optional(),
    /** The user to act as (JWT `sub`). */
    username: z.string().min(1).optional(),
    /** PKCS#8 PEM private key whose certificate is on the connected app (JWT bearer). */
    privateKey: secret(
      z.string().includes('PRIVATE KEY', { message: 'a PKCS#8 PEM private key' }),
    ).optional(),
    /** REST API version. @default '66.0' */
    apiVersion: z
      .string()
      .regex(/^\d{2,3}\.0$/, 'like 66.0')
      .default(SALESFORCE_API_VERSION),
  })
  .superRefine((c, ctx) => {
    const need = (field: keyof typeof c, why: string) => {
      if (c[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: why });
    };
    if (c.authMode === 'client_credentials') {
      need('clientSecret', 'client credentials need the consumer secret');
      need('instanceUrl', 'client credentials need the org’s My Domain URL');
      if (c.instanceUrl && LOGIN_HOSTS.test(c.instanceUrl)) {
        ctx.addIssue({
          code: 'custom',
          path: ['instanceUrl'],
          message: 'client credentials work only on the org’s My Domain, not login/test.salesforce.com',
        });
      }
    } else {
      need('username', 'the JWT bearer flow needs the username to act as');
      need('privateKey', 'the JWT bearer flow needs the private key');
    }
  });

/** Credentials of the Salesforce connector. */
export type SalesforceCredentials = z.output<typeof credentials>;

type Client = ConnectorClient<SalesforceCredentials>;

/** The Salesforce connector, declared: OAuth2 (client credentials or JWT bearer), CRM records, documents. */
export const salesforceConnector = defineConnector({
  slug: 'salesforce',
  name: 'Salesforce',
  credentials,
  endpoints: (c) => c.instanceUrl ?? c.loginUrl,
  auth: salesforceAuth,
  interpret: interpretSalesforce,
  async testConnection(client) {
    const session = await client.session();
    const base = await apiBase(client);
    // The versions list does not count against the daily allocation.
    const { data } = await client.request({
      path: new URL('/services/data/', base).href,
      response: z.array(z.object({ version: z.string() })),
    });
    const versions = data.map((v) => v.version);
    const wanted = client.credentials.apiVersion;
    if (!versions.includes(wanted)) {
      throw rejected(`This org does not offer API version ${wanted} (it offers ${versions.join(', ')})`, {
        integration: 'salesforce',
        vendorCode: 'UNSUPPORTED_API_VERSION',
      });
    }
    const [, orgId, userId] = /\/id\/([^/]+)\/([^/?#]+)/.exec(String(session.id ?? '')) ?? [];
    return {
      instanceUrl: new URL(base).origin,
      orgId,
      userId,
      apiVersion: wanted,
      latestApiVersion: versions.at(-1),
    };
  },
  actions: {
    createLead: defineAction({
      description: 'Creates a Lead (LastName and Company required).',
      input: createLeadInput,
      run: (client, i) =>
        createRecord(
          client as Client,
          'Lead',
          {
            FirstName: i.firstName,
            LastName: i.lastName,
            Company: i.company,
            Email: i.email,
            Phone: i.phone,
            Title: i.title,
            LeadSource: i.leadSource,
            Status: i.status,
            Description: i.description,
          },
          i.fields,
        ),
    }),
    createContact: defineAction({
      description: 'Creates a Contact (LastName required), optionally under an Account.',
      input: createContactInput,
      run: (client, i) =>
        createRecord(
          client as Client,
          'Contact',
          {
            FirstName: i.firstName,
            LastName: i.lastName,
            Email: i.email,
            Phone: i.phone,
            Title: i.title,
            AccountId: i.accountId,
            Description: i.description,
          },
          i.fields,
        ),
    }),
    createOpportunity: defineAction({
      description: 'Creates an Opportunity (Name, StageName and CloseDate required).',
      input: createOpportunityInput,
      run: (client, i) =>
        createRecord(
          client as Client,
          'Opportunity',
          {
            Name: i.name,
            StageName: i.stageName,
            CloseDate: i.closeDate,
            AccountId: i.accountId,
            Amount: i.amount,
            LeadSource: i.leadSource,
            Description: i.description,
          },
          i.fields,
        ),
    }),
    updateRecord: defineAction({
      description: 'Changes fields of a record by id (PATCH sobjects/{type}/{id}).',
      input: updateRecordInput,
      run: (client, input) => updateRecord(client as Client, input),
    }),
    upsertRecord: defineAction({
      description:
        'Creates or updates a record by an External ID field (PATCH sobjects/{type}/{field}/{value}): safe to repeat.',
      input: upsertRecordInput,
      run: (client, input) => upsertRecord(client as Client, input),
    }),
    findByEmail: defineAction({
      description: 'Finds Leads or Contacts by email with a SOQL query, following nextRecordsUrl.',
      input: findByEmailInput,
      run: (client, input) => findByEmail(client as Client, input),
    }),
    uploadDocument: defineAction({
      description:
        'Uploads the file as a ContentVersion published to a record (FirstPublishLocationId); JSON base64 up to 37.5 MB, multipart beyond.',
      input: uploadDocumentInput,
      file: true,
      timeoutMs: 300_000,
      run: (client, input, { file }) => uploadContentVersion(client as Client, input, file),
    }),
  },
});

/** Options of {@link createSalesforceConnector}. */
export type SalesforceConnectorOptions = ConnectorOptions<typeof credentials>;

/**
 * Creates a Salesforce connector.
 *
 * @example
 * ```ts
 * const salesforce = createSalesforceConnector({
 *   credentials: {
 *     clientId: process.env.SF_CONSUMER_KEY!,
 *     clientSecret: process.env.SF_CONSUMER_SECRET!,
 *     instanceUrl: 'https://acme.my.salesforce.com',
 *   },
 * });
 * await salesforce.action('createLead', { lastName: 'Lovelace', company: 'Analytical Engines' });
 * ```
 */
export function createSalesforceConnector(options: SalesforceConnectorOptions): Connector {
  return createConnector(salesforceConnector, options);
}
