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
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { type ConnectorOptions, createConnector } from './connector.js';
import { defineAction, defineConnector, secret } from './define.js';
import { createDocuSignAuth, docusignAccount } from './docusign-auth.js';
import { interpretDocuSign } from './docusign-errors.js';
import { rejected } from './errors.js';
import type { Connector } from './types.js';

/** The demo (developer) environment's account server. */
export const DOCUSIGN_DEMO_AUTH_SERVER = 'https://account-d.docusign.com';
/** The production account server. */
export const DOCUSIGN_PRODUCTION_AUTH_SERVER = 'https://account.docusign.com';
/** DocuSign's limit on one document (25 MB); larger files are refused before they are read. */
export const DOCUSIGN_MAX_DOCUMENT_BYTES = 25 * 1024 * 1024;

const INTEGRATION = 'docusign';

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

async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.destroy();
      throw rejected(`The document is larger than DocuSign's ${limit} bytes`, { integration: INTEGRATION });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const EXTENSION_BY_MIME: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/plain': 'txt',
  'image/png': 'png',
  'image/jpeg': 'jpg',
};

/** DocuSign needs `fileExtension` for anything but PDF: from the name, else the MIME type. */
function extensionOf(name: string, mime: string | undefined): string | undefined {
  return (
    /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase() ?? (mime ? EXTENSION_BY_MIME[mime] : undefined)
  );
}

const signer = z.object({
  email: z.email(),
  name: z.string().min(1).max(100),
  /** Signing order: signers with the same number sign in parallel. @default 1 */
  routingOrder: z.number().int().min(1).max(999).optional(),
  /** Place the sign-here field where this text appears in the document (e.g. `/sn1/`); omitted, the signer places it. */
  anchorString: z.string().min(1).optional(),
  /** Offset from the anchor, in pixels. @default 0 */
  anchorXOffset: z.number().int().optional(),
  /** @default 0 */
  anchorYOffset: z.number().int().optional(),
});

const sendEnvelopeInput = z.object({
  /** Subject of the signing e-mail (DocuSign allows 100 characters). */
  emailSubject: z.string().min(1).max(100),
  /** Body text of the signing e-mail. */
  emailBlurb: z.string().max(10_000).optional(),
  /** Who signs, at least one. */
  signers: z.array(signer).min(1).max(50),
  /** Name of the document in DocuSign. @default the file's name */
  documentName: z.string().min(1).optional(),
});

const envelopeStatusInput = z.object({
  /** The `envelopeId` sendEnvelope returned. */
  envelopeId: z.string().min(1),
});

interface EnvelopeSummary {
  envelopeId: string;
  uri: string;
  status: string;
  statusDateTime: string;
}

const STATUS_FIELDS = [
  'emailSubject',
  'createdDateTime',
  'sentDateTime',
  'deliveredDateTime',
  'completedDateTime',
  'declinedDateTime',
  'voidedDateTime',
  'voidedReason',
  'statusChangedDateTime',
] as const;

/** The DocuSign connector, declared: JWT grant, userinfo, `sendEnvelope`, `getEnvelopeStatus`. */
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
      async run(client, input, { file }) {
        if (!file) throw rejected('sendEnvelope needs a file', { integration: INTEGRATION });
        if (file.size > DOCUSIGN_MAX_DOCUMENT_BYTES) {
          throw rejected(`${file.name} is ${file.size} bytes; DocuSign takes documents up to 25 MB`, {
            integration: INTEGRATION,
          });
        }
        const account = await docusignAccount(client);
        const bytes = await readAll(await file.open(client.signal), DOCUSIGN_MAX_DOCUMENT_BYTES);
        const name = input.documentName ?? file.name;
        const fileExtension = extensionOf(name, file.mime);
        const { data } = await client.request<EnvelopeSummary>({
          path: `${account.apiBase}/envelopes`,
          json: {
            emailSubject: input.emailSubject,
            ...(input.emailBlurb ? { emailBlurb: input.emailBlurb } : {}),
            documents: [
              {
                documentId: '1',
                name,
                ...(fileExtension ? { fileExtension } : {}),
                documentBase64: bytes.toString('base64'),
              },
            ],
            recipients: {
              // ids and numbers are strings on DocuSign's wire
              signers: input.signers.map((s, i) => ({
                email: s.email,
                name: s.name,
                recipientId: String(i + 1),
                routingOrder: String(s.routingOrder ?? 1),
                ...(s.anchorString
                  ? {
                      tabs: {
                        signHereTabs: [
                          {
                            anchorString: s.anchorString,
                            anchorUnits: 'pixels',
                            anchorXOffset: String(s.anchorXOffset ?? 0),
                            anchorYOffset: String(s.anchorYOffset ?? 0),
                          },
                        ],
                      },
                    }
                  : {}),
              })),
            },
            status: 'sent',
          },
        });
        return {
          envelopeId: data.envelopeId,
          status: data.status,
          statusDateTime: data.statusDateTime,
          uri: data.uri,
          accountId: account.accountId,
        };
      },
    }),
    getEnvelopeStatus: defineAction<typeof envelopeStatusInput, DocuSignCredentials>({
      description:
        "Reads an envelope's status (created, sent, delivered, completed, declined, voided) and its timestamps.",
      input: envelopeStatusInput,
      async run(client, input) {
        const account = await docusignAccount(client);
        const { data } = await client.request<Record<string, unknown>>({
          path: `${account.apiBase}/envelopes/${encodeURIComponent(input.envelopeId)}`,
        });
        const result: Record<string, unknown> = { envelopeId: data.envelopeId, status: data.status };
        for (const field of STATUS_FIELDS) if (data[field] !== undefined) result[field] = data[field];
        return result;
      },
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
