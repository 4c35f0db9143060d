/**
 * Microsoft Dynamics 365 (Dataverse Web API v9.2, specs/connectors.md §2).
 *
 * How this works: the app signs in with the Microsoft identity platform's client-credentials
 * grant (`{authority}/{tenant}/oauth2/v2.0/token`, scope `{orgUrl}/.default`; tokens are
 * cached and refreshed before `expires_in` runs out, and fetched once more on a 401). Every
 * call goes to `{orgUrl}/api/data/v9.2/` with `OData-MaxVersion: 4.0`, `OData-Version: 4.0`
 * and `Accept: application/json`. A create is `POST /{entityset}`; Dataverse answers 204 with
 * the new row's URL in `OData-EntityId`, from which the GUID is read. Lookups are bound with
 * `{navigationProperty}@odata.bind: "/{entityset}({guid})"` (`parentcustomerid_account`,
 * `customerid_account`, `customerid_contact`). Dataverse enforces only system-required
 * columns, so the inputs check the business-required ones (account and opportunity `name`,
 * contact `lastname`).
 *
 * Errors: `{error:{code:"0x…",message}}` becomes `INTEGRATION_REJECTED` with the hex code;
 * service protection (429 + `Retry-After`, `0x80072322`/`…21`/`…26`) is retried after the wait.
 * The app registration must be an Application User of the environment, otherwise every call
 * answers 403 `0x80072560`.
 *
 * @module
 */
import { z } from 'zod';
import { errorOf, jsonOf } from './body.js';
import { type ConnectorOptions, createConnector } from './connector.js';
import { type ConnectorClient, defineAction, defineConnector } from './define.js';
import { httpError, upstream } from './errors.js';
import { headerOf, type PortResponse } from './http-port.js';
import {
  certificateOf,
  checkMicrosoftClient,
  createMicrosoftIdentityAuth,
  MICROSOFT_AUTHORITY_URL,
  microsoftClientFields,
} from './microsoft-identity.js';
import type { Connector } from './types.js';

/** The Web API version the connector uses. */
export const DATAVERSE_API_VERSION = 'v9.2';

/** Headers Dataverse expects on every request (lower-case, as the HTTP client sends them). */
const ODATA_HEADERS = { accept: 'application/json', 'odata-maxversion': '4.0', 'odata-version': '4.0' };

const trim = (url: string) => url.replace(/\/+$/, '');

const credentials = z
  .object({
    /** Directory (tenant) id or domain of the app registration. */
    tenantId: z.string().min(1),
    /** Application (client) id. */
    clientId: z.string().min(1),
    ...microsoftClientFields,
    /** The environment's URL, e.g. `https://contoso.crm4.dynamics.com` (also the token's resource). */
    orgUrl: z.url(),
    /** Identity platform host (sovereign clouds differ). @default 'https://login.microsoftonline.com' */
    authorityUrl: z.url().default(MICROSOFT_AUTHORITY_URL),
  })
  .superRefine(checkMicrosoftClient);

/** Credentials of the Dynamics 365 connector. */
export type DynamicsCredentials = z.output<typeof credentials>;

/** Reads a Dataverse answer; adds the fix to the "not a member of the organization" refusal. */
function interpretDataverse(
  response: Pick<PortResponse, 'status' | 'headers' | 'body'>,
  integration: string,
): unknown {
  // Dataverse answers JSON or nothing (204)
  if (response.status >= 200 && response.status <= 299) return jsonOf(response);
  const vendor = errorOf(jsonOf(response));
  const hint =
    vendor.code === '0x80072560'
      ? ' Add the app registration as an Application User with a security role in this environment.'
      : '';
  throw httpError(integration, response, {
    ...vendor,
    ...(vendor.message || hint ? { message: `${vendor.message ?? vendor.code}${hint}` } : {}),
  });
}

const guid = z.guid();
/** Extra columns sent as is (custom `new_*` columns, other `…@odata.bind` lookups); named inputs win. */
const extraColumns = z.record(z.string().regex(/^[A-Za-z_][\w.@]*$/), z.unknown()).optional();

const createAccountInput = z.object({
  name: z.string().min(1).max(160),
  telephone: z.string().optional(),
  website: z.string().optional(),
  email: z.email().optional(),
  accountNumber: z.string().optional(),
  city: z.string().optional(),
  description: z.string().optional(),
  fields: extraColumns,
});

const createContactInput = z.object({
  firstName: z.string().optional(),
  lastName: z.string().min(1),
  email: z.email().optional(),
  telephone: z.string().optional(),
  jobTitle: z.string().optional(),
  /** The account the contact belongs to (`parentcustomerid_account@odata.bind`). */
  accountId: guid.optional(),
  description: z.string().optional(),
  fields: extraColumns,
});

const createOpportunityInput = z
  .object({
    name: z.string().min(1).max(300),
    /** Customer account (`customerid_account@odata.bind`). */
    accountId: guid.optional(),
    /** Customer contact (`customerid_contact@odata.bind`), instead of an account. */
    contactId: guid.optional(),
    estimatedValue: z.number().nonnegative().optional(),
    /** `YYYY-MM-DD`. */
    estimatedCloseDate: z.iso.date().optional(),
    description: z.string().optional(),
    fields: extraColumns,
  })
  .refine((v) => !(v.accountId && v.contactId), {
    message: 'the customer is an account or a contact, not both',
    path: ['contactId'],
  });

type Client = ConnectorClient<DynamicsCredentials>;

/**
 * `POST /{entitySet}` → 204 + `OData-EntityId: …/{entitySet}({guid})`; resolves with the GUID.
 */
async function createRow(
  client: Client,
  entitySet: string,
  named: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  const row = { ...extra };
  for (const [key, value] of Object.entries(named)) if (value !== undefined) row[key] = value;
  const response = await client.request({ path: entitySet, json: row, headers: ODATA_HEADERS });
  const url = headerOf(response, 'odata-entityid');
  const id = url && /\(([0-9a-fA-F-]{36})\)\s*$/.exec(url)?.[1];
  if (!url || !id) {
    throw upstream(
      `Dataverse created the ${entitySet} row but sent no OData-EntityId`,
      { integration: 'dynamics', status: response.status },
      { retryable: false },
    );
  }
  return { id: id.toLowerCase(), entitySet, url };
}

const bind = (entitySet: string, id: string | undefined) => (id ? `/${entitySet}(${id})` : undefined);

/** The Dynamics 365 connector, declared: identity-platform client credentials, accounts, contacts, opportunities. */
export const dynamicsConnector = defineConnector({
  slug: 'dynamics',
  name: 'Microsoft Dynamics 365',
  credentials,
  endpoints: (c) => `${trim(c.orgUrl)}/api/data/${DATAVERSE_API_VERSION}/`,
  auth: (c, { http, now }) =>
    createMicrosoftIdentityAuth({
      integration: 'dynamics',
      authorityUrl: c.authorityUrl,
      tenantId: c.tenantId,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      certificate: certificateOf(c),
      params: { grant_type: 'client_credentials', scope: `${trim(c.orgUrl)}/.default` },
      http,
      now,
    }),
  interpret: interpretDataverse,
  async testConnection(client) {
    const { data } = await client.request({
      path: 'WhoAmI',
      headers: ODATA_HEADERS,
      response: z.object({ UserId: z.string(), BusinessUnitId: z.string(), OrganizationId: z.string() }),
    });
    return { userId: data.UserId, businessUnitId: data.BusinessUnitId, organizationId: data.OrganizationId };
  },
  actions: {
    createAccount: defineAction({
      description: 'Creates an account (name required).',
      input: createAccountInput,
      run: (client, i) =>
        createRow(
          client as Client,
          'accounts',
          {
            name: i.name,
            telephone1: i.telephone,
            websiteurl: i.website,
            emailaddress1: i.email,
            accountnumber: i.accountNumber,
            address1_city: i.city,
            description: i.description,
          },
          i.fields,
        ),
    }),
    createContact: defineAction({
      description: 'Creates a contact (last name required), optionally under an account.',
      input: createContactInput,
      run: (client, i) =>
        createRow(
          client as Client,
          'contacts',
          {
            firstname: i.firstName,
            lastname: i.lastName,
            emailaddress1: i.email,
            telephone1: i.telephone,
            jobtitle: i.jobTitle,
            description: i.description,
            'parentcustomerid_account@odata.bind': bind('accounts', i.accountId),
          },
          i.fields,
        ),
    }),
    createOpportunity: defineAction({
      description: 'Creates an opportunity (name required) for a customer account or contact.',
      input: createOpportunityInput,
      run: (client, i) =>
        createRow(
          client as Client,
          'opportunities',
          {
            name: i.name,
            estimatedvalue: i.estimatedValue,
            estimatedclosedate: i.estimatedCloseDate,
            description: i.description,
            'customerid_account@odata.bind': bind('accounts', i.accountId),
            'customerid_contact@odata.bind': bind('contacts', i.contactId),
          },
          i.fields,
        ),
    }),
  },
});

/** Options of {@link createDynamicsConnector}. */
export type DynamicsConnectorOptions = ConnectorOptions<typeof credentials>;

/**
 * Creates a Dynamics 365 connector.
 *
 * @example
 * ```ts
 * const dynamics = createDynamicsConnector({
 *   credentials: {
 *     tenantId: process.env.AZURE_TENANT_ID!,
 *     clientId: process.env.AZURE_CLIENT_ID!,
 *     clientSecret: process.env.AZURE_CLIENT_SECRET!,
 *     orgUrl: 'https://contoso.crm.dynamics.com',
 *   },
 * });
 * const account = await dynamics.action('createAccount', { name: 'Contoso' });
 * ```
 */
export function createDynamicsConnector(options: DynamicsConnectorOptions): Connector {
  return createConnector(dynamicsConnector, options);
}
