/**
 * DocuSign eSignature REST v2.1 (specs/connectors.md §3): send a stored file for signature and
 * follow the envelope's status.
 *
 * How this works: the JWT grant gives a token for the impersonated user (`docusign-auth.ts`);
 * `GET /oauth/userinfo` on the account server names the account's `base_uri`, asked once per
 * connector; envelope calls go to `{base_uri}/restapi/v2.1/accounts/{accountId}/…` with JSON
 * bodies. The connector's endpoint is the account server (`https://account-d.docusign.com` for
 * the demo environment, `https://account.docusign.com` for production).
 *
 * Errors are `{"errorCode","message"}` and are read by errorCode, not HTTP status [doc]: the
 * rate limits (`HOURLY_/BURST_APIINVOCATION_LIMIT_EXCEEDED`, envelope polling limits) come as
 * 429 or, before DocuSign's 2026 rollout, 400 — both are retried, after `Retry-After` or else
 * `X-RateLimit-Reset`; every other code is `INTEGRATION_REJECTED` with DocuSign's code.
 *
 * @module
 */
import { z } from 'zod';
import { type ConnectorOptions, createConnector } from './connector.js';
import { defineAction, defineConnector, secret } from './define.js';
import { createDocuSignAuth, docusignAccount } from './docusign-auth.js';
import { interpretDocuSign } from './docusign-errors.js';
import { sendEnvelope, sendEnvelopeInput } from './docusign-send.js';
import {
  envelopeStatusInput,
  getEnvelopeStatus,
  listEnvelopes,
  listEnvelopesInput,
} from './docusign-status.js';
import type { Connector } from './types.js';

/** The demo (developer) environment's account server. */
export const DOCUSIGN_DEMO_AUTH_SERVER = 'https://account-d.docusign.com';
/** The production account server. */
export const DOCUSIGN_PRODUCTION_AUTH_SERVER = 'https://account.docusign.com';
export { DOCUSIGN_MAX_DOCUMENT_BYTES, DOCUSIGN_MULTIPART_ABOVE_BYTES } from './docusign-send.js';

const pem = z
  .string()
  // PEMs pasted into JSON often arrive with literal "\n"
  .transform((value) => value.replace(/\\n/g, '\n').trim())
  .refine((value) => /-----BEGIN (RSA )?PRIVATE KEY-----/.test(value), {
    message: 'a PEM RSA private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)',
  });

const credentials = z.object({
  /** The app's integration key (JWT `iss`). */
  integrationKey: z.string().min(1),
  /** GUID of the user the app acts as (JWT `sub`); that user must have granted consent once. */
  userId: z.string().min(1),
  /** The private half of one of the integration key's RSA key pairs (PKCS#8 or PKCS#1 PEM). */
  privateKey: secret(pem),
  /** The account to work in. @default the user's default account (userinfo) */
  accountId: z.string().min(1).optional(),
  /** The account server: demo `https://account-d.docusign.com`, production `https://account.docusign.com`. @default demo */
  authServer: z.url({ protocol: /^https?$/ }).default(DOCUSIGN_DEMO_AUTH_SERVER),
  /** A redirect URI registered for the integration key, used in the consent link of `consent_required` errors. */
  redirectUri: z.url().optional(),
});

/** Credentials of the DocuSign connector. */
export type DocuSignCredentials = z.output<typeof credentials>;

/** The DocuSign connector, declared: JWT grant, userinfo, `sendEnvelope`, `getEnvelopeStatus`, `listEnvelopes`. */
export const docusignConnector = defineConnector({
  slug: 'docusign',
  name: 'DocuSign',
  credentials,
  endpoints: (c) => c.authServer,
  auth: (c, context) => createDocuSignAuth(c, context),
  interpret: interpretDocuSign,
  async testConnection(client) {
    const account = await docusignAccount(client);
    return {
      userId: account.user.sub,
      name: account.user.name,
      email: account.user.email,
      accountId: account.accountId,
      accountName: account.accountName,
      baseUri: account.baseUri,
    };
  },
  actions: {
    sendEnvelope: defineAction<typeof sendEnvelopeInput, DocuSignCredentials>({
      description:
        'Sends the file for signature: one envelope with the file as its document, the given signers and subject, status "sent".',
      input: sendEnvelopeInput,
      file: true,
      timeoutMs: 120_000,
      run: (client, input, { file }) => sendEnvelope(client, input, file),
    }),
    getEnvelopeStatus: defineAction<typeof envelopeStatusInput, DocuSignCredentials>({
      description:
        "Reads an envelope's status (created, sent, delivered, completed, declined, voided) and its timestamps.",
      input: envelopeStatusInput,
      run: (client, input) => getEnvelopeStatus(client, input),
    }),
    listEnvelopes: defineAction<typeof listEnvelopesInput, DocuSignCredentials>({
      description:
        'Lists envelopes changed since a date (or by id) with their statuses, following DocuSign’s pages.',
      input: listEnvelopesInput,
      run: (client, input) => listEnvelopes(client, input),
    }),
  },
});

/** Options of {@link createDocuSignConnector}. */
export type DocuSignConnectorOptions = ConnectorOptions<typeof credentials>;

/**
 * Creates a DocuSign connector.
 *
 * @example
 * ```ts
 * const docusign = createDocuSignConnector({
 *   credentials: { integrationKey, userId, privateKey: process.env.DOCUSIGN_PRIVATE_KEY! },
 * });
 * await docusign.action('sendEnvelope', {
 *   emailSubject: 'Please sign: invoice-42.pdf',
 *   signers: [{ email: 'ada@example.com', name: 'Ada Lovelace' }],
 * }, { file });
 * ```
 */
export function createDocuSignConnector(options: DocuSignConnectorOptions): Connector {
  return createConnector(docusignConnector, options);
}
