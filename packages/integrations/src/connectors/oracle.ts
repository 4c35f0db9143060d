/**
 * Oracle Fusion Cloud ERP (REST, specs/connectors.md §7): create suppliers and Payables
 * invoices, and attach a stored file to an invoice or a supplier.
 *
 * How this works: an OAuth2 token from the pod's IAM identity domain (IDCS, client
 * authenticated with HTTP Basic, the Fusion resource scope) signs every call — client
 * credentials, or a JWT user assertion that makes Fusion act as one of its users; calls go to
 * `{pod}/fscmRestApi/resources/{apiVersion}/` with `REST-Framework-Version: 4` and ADF item JSON
 * (`oracle-rest.ts`). Fusion authorizes by the user behind the token, so a 403 means a missing
 * Fusion role, not a bad token. Errors `{ title, status, "o:errorDetails" }` (or plain text) become
 * `INTEGRATION_REJECTED` with every detail; 429/5xx are retried after `Retry-After`; a 401 gets one
 * new token and one more try. Attachments travel base64 inside the JSON body (`FileContents`).
 *
 * @module
 */
import { z } from 'zod';
import { resolveUrl } from './client.js';
import { type ConnectorOptions, createConnector } from './connector.js';
import { defineAction, defineConnector, secret } from './define.js';
import { rejected } from './errors.js';
import { headerOf } from './http-port.js';
import { createOracleAuth, fusionRequest, interpretOracle, readCapped, selfLink } from './oracle-rest.js';
import type { Connector } from './types.js';

/** The REST resource version in the API path [doc]. */
export const ORACLE_API_VERSION = '11.13.18.05';
/**
 * FileForge's cap on one attachment: the file is sent base64 inside JSON, so it is held in
 * memory (about 2.3 × its size) while it is sent.
 */
export const ORACLE_MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;

const INTEGRATION = 'oracle';

const credentials = z
  .object({
    /**
     * `client_credentials` (the confidential application's own identity) or `jwt_user_assertion`
     * (acts as a Fusion user, with that user's roles: `username`, `privateKey`,
     * `certificateAlias`). @default 'client_credentials'
     */
    authMode: z.enum(['client_credentials', 'jwt_user_assertion']).default('client_credentials'),
    /** The Fusion user to act as (the assertion's `sub`). */
    username: z.string().min(1).optional(),
    /** PKCS#8 PEM private key whose certificate is trusted by the confidential application. */
    privateKey: secret(
      z.string().includes('PRIVATE KEY', { message: 'a PKCS#8 PEM private key' }),
    ).optional(),
    /** The certificate's alias in the identity domain: the assertion's `kid`. */
    certificateAlias: z.string().min(1).optional(),
    /** The Fusion pod: `https://{pod}.fa.{dc}.oraclecloud.com`. */
    baseUrl: z.url({ protocol: /^https?$/ }),
    /** The pod's identity domain, `https://idcs-{id}.identity.oraclecloud.com` (or its `/oauth2/v1/token` URL). */
    identityDomainUrl: z.url({ protocol: /^https?$/ }),
    /** Client id of the confidential application in the identity domain. */
    clientId: z.string().min(1),
    clientSecret: secret(z.string().min(1)),
    /** The Fusion resource scope, copied from the identity domain (e.g. `urn:opc:resource:consumer::all`). */
    scope: z.string().min(1),
    /** REST resource version. @default '11.13.18.05' */
    apiVersion: z.string().min(1).default(ORACLE_API_VERSION),
  })
  .superRefine((c, ctx) => {
    if (c.authMode !== 'jwt_user_assertion') return;
    for (const field of ['username', 'privateKey', 'certificateAlias'] as const) {
      if (c[field] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: `the JWT user assertion needs ${field}` });
      }
    }
  });

/** Credentials of the Oracle ERP Cloud connector. */
export type OracleCredentials = z.output<typeof credentials>;

/** More attributes, sent as given (Oracle's names, e.g. `{ "PaymentTerms": "Net 30" }`). */
const extraFields = z.record(z.string(), z.unknown()).optional();

const createSupplierInput = z.object({
  /** Supplier name (unique). */
  supplier: z.string().min(1).max(360),
  /** Tax organization type code. @default 'CORPORATION' */
  taxOrganizationType: z.string().min(1).default('CORPORATION'),
  /** Business relationship code: `SPEND_AUTHORIZED` (can be paid) or `PROSPECTIVE`. @default 'SPEND_AUTHORIZED' */
  businessRelationship: z.string().min(1).default('SPEND_AUTHORIZED'),
  /** Taxpayer id. */
  taxpayerId: z.string().min(1).optional(),
  fields: extraFields,
});

const invoiceLine = z.object({
  /** @default its position, from 1 */
  lineNumber: z.number().int().positive().optional(),
  amount: z.number(),
  description: z.string().min(1).optional(),
  /** Distribution account, e.g. `01-000-7110-0000-000`. */
  distributionCombination: z.string().min(1).optional(),
  fields: extraFields,
});

const createInvoiceInput = z.object({
  invoiceNumber: z.string().min(1).max(50),
  /** ISO currency (`USD`). */
  currency: z.string().length(3),
  amount: z.number(),
  /** `YYYY-MM-DD`. @default today, by Fusion */
  invoiceDate: z.iso.date().optional(),
  /** Business unit name (`Vision Operations`). */
  businessUnit: z.string().min(1),
  /** Supplier name, as in Fusion. */
  supplier: z.string().min(1),
  /** Supplier site code (`FRESNO`). */
  supplierSite: z.string().min(1),
  invoiceGroup: z.string().min(1).optional(),
  description: z.string().min(1).optional(),
  /** Invoice lines (`invoiceLines`). */
  lines: z.array(invoiceLine).optional(),
  fields: extraFields,
});

const uploadAttachmentInput = z
  .object({
    /** The invoice to attach to: its `InvoiceId` (the key in the invoice's `self` link). */
    invoiceId: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).optional(),
    /** The supplier to attach to: its `SupplierId`. */
    supplierId: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).optional(),
    /** @default the file's name */
    fileName: z.string().min(1).max(255).optional(),
    /** @default the file name without its extension */
    title: z.string().min(1).optional(),
    /** Attachment category: invoices default to `From Supplier`; suppliers send none unless given. */
    category: z.string().min(1).optional(),
    description: z.string().min(1).optional(),
  })
  .refine((v) => (v.invoiceId === undefined) !== (v.supplierId === undefined), {
    message: 'exactly one of invoiceId or supplierId is required',
  });

/** Fusion ids are numbers (a string is accepted too). */
const fusionId = z.union([z.number(), z.string()]);
/** The item a create answers with: its id, and every other attribute as sent. */
const itemWith = (idField: string) => z.looseObject({ [idField]: fusionId });

/** The Oracle connector, declared: IDCS client credentials or JWT user assertion, `createSupplier`, `createInvoice`, `uploadAttachment`. */
export const oracleConnector = defineConnector({
  slug: 'oracle',
  name: 'Oracle ERP Cloud',
  credentials,
  endpoints: (c) => resolveUrl(c.baseUrl, `fscmRestApi/resources/${encodeURIComponent(c.apiVersion)}/`),
  auth: (c, context) => createOracleAuth(c, context),
  interpret: interpretOracle,
  async testConnection(client) {
    // A token, then the smallest read a Payables/Supplier integration needs: one supplier.
    const response = await fusionRequest(client, {
      path: 'suppliers',
      response: z.object({ items: z.array(z.unknown()).optional() }),
      query: { limit: 1, onlyData: true },
    });
    return {
      apiBase: client.endpoint,
      frameworkVersion: headerOf(response, 'rest-framework-version'),
      suppliersVisible: (response.data.items?.length ?? 0) > 0,
    };
  },
  actions: {
    createSupplier: defineAction<typeof createSupplierInput, OracleCredentials>({
      description: 'Creates a supplier (POST /suppliers).',
      input: createSupplierInput,
      async run(client, input) {
        const { data } = await fusionRequest(client, {
          path: 'suppliers',
          response: itemWith('SupplierId'),
          json: {
            ...input.fields,
            Supplier: input.supplier,
            TaxOrganizationTypeCode: input.taxOrganizationType,
            BusinessRelationshipCode: input.businessRelationship,
            ...(input.taxpayerId ? { TaxpayerId: input.taxpayerId } : {}),
          },
        });
        return {
          supplierId: data.SupplierId,
          supplierNumber: data.SupplierNumber,
          supplier: data.Supplier,
          status: data.Status,
          self: selfLink(data),
        };
      },
    }),
    createInvoice: defineAction<typeof createInvoiceInput, OracleCredentials>({
      description: 'Creates a Payables invoice with its lines (POST /invoices).',
      input: createInvoiceInput,
      async run(client, input) {
        const { data } = await fusionRequest(client, {
          path: 'invoices',
          response: itemWith('InvoiceId'),
          json: {
            ...input.fields,
            InvoiceNumber: input.invoiceNumber,
            InvoiceCurrency: input.currency,
            InvoiceAmount: input.amount,
            ...(input.invoiceDate ? { InvoiceDate: input.invoiceDate } : {}),
            BusinessUnit: input.businessUnit,
            Supplier: input.supplier,
            SupplierSite: input.supplierSite,
            ...(input.invoiceGroup ? { InvoiceGroup: input.invoiceGroup } : {}),
            ...(input.description ? { Description: input.description } : {}),
            ...(input.lines
              ? {
                  invoiceLines: input.lines.map((line, index) => ({
                    ...line.fields,
                    LineNumber: line.lineNumber ?? index + 1,
                    LineAmount: line.amount,
                    ...(line.description ? { Description: line.description } : {}),
                    ...(line.distributionCombination
                      ? { DistributionCombination: line.distributionCombination }
                      : {}),
                  })),
                }
              : {}),
          },
        });
        return {
          invoiceId: data.InvoiceId,
          invoiceNumber: data.InvoiceNumber,
          supplierNumber: data.SupplierNumber,
          validationStatus: data.ValidationStatus,
          self: selfLink(data),
        };
      },
    }),
    uploadAttachment: defineAction<typeof uploadAttachmentInput, OracleCredentials>({
      description:
        "Attaches the file to an invoice or a supplier (POST …/child/attachments, the file's bytes base64 in FileContents).",
      input: uploadAttachmentInput,
      file: true,
      timeoutMs: 120_000,
      async run(client, input, { file }) {
        if (!file) throw rejected('uploadAttachment needs a file', { integration: INTEGRATION });
        if (file.size > ORACLE_MAX_ATTACHMENT_BYTES) {
          throw rejected(`${file.name} is ${file.size} bytes; attachments are limited to 50 MB`, {
            integration: INTEGRATION,
          });
        }
        const bytes = await readCapped(
          await file.open(client.signal),
          ORACLE_MAX_ATTACHMENT_BYTES,
          file.name,
        );
        const fileName = input.fileName ?? file.name;
        const title = input.title ?? fileName.replace(/\.[^.]+$/, '');
        const onInvoice = input.invoiceId !== undefined;
        const parent = onInvoice
          ? `invoices/${encodeURIComponent(String(input.invoiceId))}`
          : `suppliers/${encodeURIComponent(String(input.supplierId))}`;
        const common = {
          FileName: fileName,
          Title: title,
          ...(input.description ? { Description: input.description } : {}),
          FileContents: bytes.toString('base64'),
        };
        const { data } = await fusionRequest(client, {
          path: `${parent}/child/attachments`,
          response: itemWith('AttachedDocumentId'),
          json: onInvoice
            ? { Type: 'File', Category: input.category ?? 'From Supplier', ...common }
            : {
                DatatypeCode: 'FILE',
                ...(input.category ? { CategoryName: input.category } : {}),
                ...common,
              },
        });
        return {
          attachedDocumentId: data.AttachedDocumentId,
          fileName: data.FileName,
          title: data.Title,
          contentType: data.UploadedFileContentType,
          length: data.UploadedFileLength,
          self: selfLink(data),
        };
      },
    }),
  },
});

/** Options of {@link createOracleConnector}. */
export type OracleConnectorOptions = ConnectorOptions<typeof credentials>;

/**
 * Creates an Oracle ERP Cloud connector.
 *
 * @example
 * ```ts
 * const oracle = createOracleConnector({
 *   credentials: {
 *     baseUrl: 'https://acme.fa.us2.oraclecloud.com',
 *     identityDomainUrl: 'https://idcs-0123abcd.identity.oraclecloud.com',
 *     clientId, clientSecret, scope: 'urn:opc:resource:consumer::all',
 *   },
 * });
 * await oracle.action('uploadAttachment', { invoiceId: 300100208369320 }, { file });
 * ```
 */
export function createOracleConnector(options: OracleConnectorOptions): Connector {
  return createConnector(oracleConnector, options);
}
