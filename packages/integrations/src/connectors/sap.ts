/**
 * SAP S/4HANA (OData V2 via SAP Gateway, specs/connectors.md §6): create products (one, or
 * several in a `$batch` change set: `sap-batch.ts`) and purchase orders, and attach a stored
 * file to a business object.
 *
 * How this works: every request carries `Authorization: Basic` (a communication user),
 * `Accept: application/json` (Gateway's V2 default is Atom XML) and, on-premise, `?sap-client=`.
 * Writes go through the CSRF dance in `sap-session.ts`: a token + session cookies fetched once per
 * service root with `x-csrf-token: Fetch`, sent on every write, fetched again once when Gateway
 * answers 403 + `x-csrf-token: Required`. Answers are unwrapped from `{"d": …}`; Gateway errors
 * `{ error: { code, message: { value } } }` become `INTEGRATION_REJECTED` with SAP's message code
 * (never retried); 429/5xx (an API Management layer in front, a busy system) are retried after
 * `Retry-After`. Edm.Decimal values go on the wire as strings (`"130.00"`), as V2 requires.
 *
 * Service roots (all under `/sap/opu/odata/sap/`): `API_PRODUCT_SRV` (S/4HANA Cloud scenario
 * SAP_COM_0009), `API_PURCHASEORDER_PROCESS_SRV` (SAP_COM_0053), `API_CV_ATTACHMENT_SRV`.
 *
 * @module
 */
import { FileForgeError } from '@fileforge/core';
import { z } from 'zod';
import { createBasicAuth } from '../auth/basic.js';
import { expectShape } from './client.js';
import { type ConnectorOptions, createConnector } from './connector.js';
import { defineAction, defineConnector, secret } from './define.js';
import { rejected } from './errors.js';
import { sapChangeset } from './sap-batch.js';
import { decimalString, fromSapDate, interpretSap } from './sap-odata.js';
import { csrfSession, type SapService, sapWrite } from './sap-session.js';
import type { Connector } from './types.js';

const INTEGRATION = 'sap';

const credentials = z.object({
  /**
   * The system's API host: S/4HANA Cloud `https://my123456-api.s4hana.cloud.sap` (note `-api`),
   * on-premise `https://{host}:{port}`.
   */
  baseUrl: z.url({ protocol: /^https?$/ }),
  /** The communication user (Cloud) or technical user (on-premise). */
  username: z.string().min(1),
  password: secret(z.string().min(1)),
  /** `sap-client` of on-premise systems (`100`); S/4HANA Cloud needs none. */
  sapClient: z
    .string()
    .regex(/^\d{3}$/, 'a three-digit client, e.g. 100')
    .optional(),
});

/** Credentials of the SAP connector. */
export type SapCredentials = z.output<typeof credentials>;

/** An Edm.Decimal: a string as SAP writes it (`"130.00"`) or a number (written out in full). */
const decimal = z.union([z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal such as "130.00"'), z.number()]);

/** More OData properties, sent as given (SAP's names, e.g. `{ "GrossWeight": "1.5" }`). */
const extraFields = z.record(z.string(), z.unknown()).optional();

const createProductInput = z.object({
  /** Product (material) number, up to 40 characters; omitted when the number range is internal. */
  product: z.string().min(1).max(40).optional(),
  /** Product type: `FERT` finished, `ROH` raw material, `HAWA` trading good, … */
  productType: z.string().min(1).max(4),
  /** Base unit of measure (`EA`, `PC`, `KG`). */
  baseUnit: z.string().min(1).max(3),
  /** Industry sector (`M` mechanical engineering). */
  industrySector: z.string().length(1).optional(),
  /** Product (material) group. */
  productGroup: z.string().min(1).max(9).optional(),
  /** Descriptions by language (`EN`, `DE`). */
  descriptions: z
    .array(z.object({ language: z.string().min(1).max(2), description: z.string().min(1).max(40) }))
    .optional(),
  fields: extraFields,
});

const createProductsInput = z.object({
  /** The products, created together or not at all (one change set). */
  products: z.array(createProductInput).min(1).max(100),
});

/** The A_Product body of a product input (V2 deep insert of its descriptions). */
function productBody(input: z.output<typeof createProductInput>) {
  return {
    ...input.fields,
    ...(input.product ? { Product: input.product } : {}),
    ProductType: input.productType,
    BaseUnit: input.baseUnit,
    ...(input.industrySector ? { IndustrySector: input.industrySector } : {}),
    ...(input.productGroup ? { ProductGroup: input.productGroup } : {}),
    ...(input.descriptions
      ? {
          to_Description: {
            results: input.descriptions.map((d) => ({
              ...(input.product ? { Product: input.product } : {}),
              Language: d.language,
              ProductDescription: d.description,
            })),
          },
        }
      : {}),
  };
}

/** What a created product resolves with. */
function productResult(data: Entity) {
  return {
    product: data.Product,
    productType: data.ProductType,
    baseUnit: data.BaseUnit,
    createdAt: fromSapDate(data.CreationDate),
    uri: data.__metadata?.uri,
  };
}

const purchaseOrderItem = z.object({
  /** Item number. @default 10, 20, 30, … */
  item: z
    .string()
    .regex(/^\d{1,5}$/)
    .optional(),
  /** Material (product) number; omit for a text item. */
  material: z.string().min(1).max(40).optional(),
  /** Short text of the item. */
  text: z.string().min(1).max(40).optional(),
  plant: z.string().min(1).max(4),
  /** Order quantity (Edm.Decimal). */
  quantity: decimal,
  /** Order unit (`EA`). */
  unit: z.string().min(1).max(3),
  /** Net price in the document currency (Edm.Decimal). */
  netPrice: decimal.optional(),
  /** The quantity the net price is for. @default SAP's (1) */
  priceQuantity: decimal.optional(),
  fields: extraFields,
});

const createPurchaseOrderInput = z.object({
  companyCode: z.string().min(1).max(4),
  /** Purchase order type: `NB` standard (or a `ZNB…` copy). @default 'NB' */
  purchaseOrderType: z.string().min(1).max(4).default('NB'),
  /** Supplier number (`17300001`). */
  supplier: z.string().min(1).max(10),
  purchasingOrganization: z.string().min(1).max(4),
  purchasingGroup: z.string().min(1).max(3),
  /** ISO currency (`EUR`). @default the supplier's */
  currency: z.string().length(3).optional(),
  /** At least one item (deep insert in one request). */
  items: z.array(purchaseOrderItem).min(1),
  fields: extraFields,
});

const uploadAttachmentInput = z.object({
  /** Key of the object to attach to (`LinkedSAPObjectKey`), e.g. the purchase order number. */
  objectKey: z.string().min(1).max(90),
  /**
   * Business object type (`BusinessObjectTypeName`): `BUS2012` purchase order, `BUS2032` sales
   * order, `BUS2105` purchase requisition; product types vary per system. @default 'BUS2012'
   */
  businessObjectType: z.string().min(1).max(10).default('BUS2012'),
  /** File name in SAP (`Slug`). @default the file's name */
  fileName: z.string().min(1).max(255).optional(),
  /** @default the file's type, else application/octet-stream */
  mimeType: z.string().min(1).optional(),
});

const listAttachmentsInput = z.object({
  /** Key of the object (`LinkedSAPObjectKey`), e.g. the purchase order number. */
  objectKey: z.string().min(1).max(90),
  /** Business object type (`BusinessObjectTypeName`). @default 'BUS2012' */
  businessObjectType: z.string().min(1).max(10).default('BUS2012'),
});

/** An OData V2 entity, as `d` holds it: attributes, and where it lives. */
const entity = z.looseObject({ __metadata: z.looseObject({ uri: z.string().optional() }).optional() });
type Entity = z.output<typeof entity>;
/** A created entity: an object with its key attribute. */
const entityWith = <K extends string>(key: K) =>
  entity.extend({ [key]: z.string() } as Record<K, z.ZodString>);

const SERVICES: readonly SapService[] = [
  'API_PRODUCT_SRV',
  'API_PURCHASEORDER_PROCESS_SRV',
  'API_CV_ATTACHMENT_SRV',
];

/** The SAP connector, declared: basic auth + CSRF, `createProduct`, `createPurchaseOrder`, `uploadAttachment`. */
export const sapConnector = defineConnector({
  slug: 'sap',
  name: 'SAP S/4HANA',
  credentials,
  endpoints: (c) => c.baseUrl,
  auth: (c) => createBasicAuth({ username: c.username, password: c.password }),
  interpret: interpretSap,
  async testConnection(client) {
    // A CSRF fetch on each service root proves the user, the password and which services
    // (communication arrangements) the user may call; it also warms the token cache.
    const services: Record<string, string> = {};
    let firstRefusal: unknown;
    for (const service of SERVICES) {
      try {
        await csrfSession(client, service, true);
        services[service] = 'ok';
      } catch (error) {
        const status = FileForgeError.is(error) ? error.details?.status : undefined;
        if (status !== 403 && status !== 404) throw error;
        firstRefusal ??= error;
        services[service] = error instanceof Error ? error.message : String(error);
      }
    }
    if (Object.values(services).every((s) => s !== 'ok')) throw firstRefusal;
    return { user: client.credentials.username, sapClient: client.credentials.sapClient, services };
  },
  actions: {
    createProduct: defineAction<typeof createProductInput, SapCredentials>({
      description: 'Creates a product (material) in API_PRODUCT_SRV/A_Product, with its descriptions.',
      input: createProductInput,
      async run(client, input) {
        const { data } = await sapWrite(client, 'API_PRODUCT_SRV', {
          path: 'A_Product',
          json: productBody(input),
          response: entityWith('Product'),
        });
        return productResult(data);
      },
    }),
    createProducts: defineAction<typeof createProductsInput, SapCredentials>({
      description:
        'Creates several products in one $batch change set: all of them, or none when SAP refuses one.',
      input: createProductsInput,
      async run(client, input) {
        const results = await sapChangeset(
          client,
          'API_PRODUCT_SRV',
          input.products.map((p) => ({ method: 'POST' as const, path: 'A_Product', json: productBody(p) })),
        );
        return {
          products: results.map((r) =>
            productResult(expectShape(entityWith('Product'), r.data, r, INTEGRATION)),
          ),
        };
      },
    }),
    createPurchaseOrder: defineAction<typeof createPurchaseOrderInput, SapCredentials>({
      description:
        'Creates a purchase order with its items in one deep insert (API_PURCHASEORDER_PROCESS_SRV/A_PurchaseOrder).',
      input: createPurchaseOrderInput,
      async run(client, input) {
        const { data } = await sapWrite(client, 'API_PURCHASEORDER_PROCESS_SRV', {
          path: 'A_PurchaseOrder',
          response: entityWith('PurchaseOrder'),
          json: {
            ...input.fields,
            CompanyCode: input.companyCode,
            PurchaseOrderType: input.purchaseOrderType,
            Supplier: input.supplier,
            PurchasingOrganization: input.purchasingOrganization,
            PurchasingGroup: input.purchasingGroup,
            ...(input.currency ? { DocumentCurrency: input.currency } : {}),
            to_PurchaseOrderItem: input.items.map((item, index) => ({
              ...item.fields,
              PurchaseOrderItem: item.item ?? String((index + 1) * 10),
              ...(item.material ? { Material: item.material } : {}),
              ...(item.text ? { PurchaseOrderItemText: item.text } : {}),
              Plant: item.plant,
              OrderQuantity: decimalString(item.quantity),
              PurchaseOrderQuantityUnit: item.unit,
              ...(item.netPrice === undefined ? {} : { NetPriceAmount: decimalString(item.netPrice) }),
              ...(item.priceQuantity === undefined
                ? {}
                : { NetPriceQuantity: decimalString(item.priceQuantity) }),
            })),
          },
        });
        const items = (data.to_PurchaseOrderItem as { results?: Entity[] } | undefined)?.results ?? [];
        return {
          purchaseOrder: data.PurchaseOrder,
          purchaseOrderType: data.PurchaseOrderType,
          supplier: data.Supplier,
          companyCode: data.CompanyCode,
          currency: data.DocumentCurrency,
          createdAt: fromSapDate(data.CreationDate),
          items: items.map((i) => ({
            item: i.PurchaseOrderItem,
            material: i.Material,
            plant: i.Plant,
            quantity: i.OrderQuantity,
            netPrice: i.NetPriceAmount,
          })),
          uri: data.__metadata?.uri,
        };
      },
    }),
    uploadAttachment: defineAction<typeof uploadAttachmentInput, SapCredentials>({
      description:
        'Attaches the file to a business object (a purchase order by default) through API_CV_ATTACHMENT_SRV/AttachmentContentSet.',
      input: uploadAttachmentInput,
      file: true,
      timeoutMs: 120_000,
      async run(client, input, { file }) {
        if (!file) throw rejected('uploadAttachment needs a file', { integration: INTEGRATION });
        const fileName = input.fileName ?? file.name;
        const { data } = await sapWrite(client, 'API_CV_ATTACHMENT_SRV', {
          path: 'AttachmentContentSet',
          response: entity,
          // the bytes are streamed; a CSRF retry opens the file again
          body: () => file.open(client.signal),
          headers: {
            'content-type': input.mimeType ?? file.mime ?? 'application/octet-stream',
            'content-length': String(file.size),
            // header values are ASCII: a name like "Prüfbericht.pdf" travels percent-encoded
            slug: encodeURIComponent(fileName),
            businessobjecttypename: input.businessObjectType,
            linkedsapobjectkey: input.objectKey,
          },
        });
        return attachmentResult(data);
      },
    }),
    listAttachments: defineAction<typeof listAttachmentsInput, SapCredentials>({
      description:
        "Lists the attachments (originals) of a business object with API_CV_ATTACHMENT_SRV's GetAllOriginals.",
      input: listAttachmentsInput,
      async run(client, input) {
        const literal = (v: string) => `'${v.replace(/'/g, "''")}'`;
        const { data } = await client.request({
          response: z.object({ results: z.array(entity).optional() }).optional(),
          path: 'sap/opu/odata/sap/API_CV_ATTACHMENT_SRV/GetAllOriginals',
          query: {
            ...(client.credentials.sapClient ? { 'sap-client': client.credentials.sapClient } : {}),
            BusinessObjectTypeName: literal(input.businessObjectType),
            LinkedSAPObjectKey: literal(input.objectKey),
          },
          headers: { accept: 'application/json' },
        });
        return { attachments: (data?.results ?? []).map(attachmentResult) };
      },
    }),
  },
});

/** What an attachment (AttachmentContent entity) resolves with. */
function attachmentResult(data: Entity) {
  return {
    documentType: data.DocumentInfoRecordDocType,
    documentNumber: data.DocumentInfoRecordDocNumber,
    documentVersion: data.DocumentInfoRecordDocVersion,
    documentPart: data.DocumentInfoRecordDocPart,
    logicalDocument: data.LogicalDocument,
    archiveDocumentId: data.ArchiveDocumentID,
    businessObjectType: data.BusinessObjectTypeName,
    objectKey: data.LinkedSAPObjectKey,
    fileName: data.FileName,
    mimeType: data.MimeType,
    fileSize: data.FileSize,
  };
}

/** Options of {@link createSapConnector}. */
export type SapConnectorOptions = ConnectorOptions<typeof credentials>;

/**
 * Creates an SAP S/4HANA connector.
 *
 * @example
 * ```ts
 * const sap = createSapConnector({
 *   credentials: { baseUrl: 'https://my123456-api.s4hana.cloud.sap', username: 'FILEFORGE_COMM', password },
 * });
 * await sap.action('uploadAttachment', { objectKey: '4500000123' }, { file });
 * ```
 */
export function createSapConnector(options: SapConnectorOptions): Connector {
  return createConnector(sapConnector, options);
}
