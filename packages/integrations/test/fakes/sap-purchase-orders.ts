/**
 * API_PURCHASEORDER_PROCESS_SRV for the SAP fake: `POST A_PurchaseOrder` as a deep insert with
 * `to_PurchaseOrderItem` (bare array or `{results}`), required header and item fields, Edm.Decimal
 * values as strings, PO type NB or ZNB*, and checks against the seeded suppliers, plants, company
 * codes and created products. Numbers come from 4500000000 upwards.
 *
 * @module
 */
import type { Context, Hono } from 'hono';
import type { SapContext } from './sap.js';
import { odataError, respondEntity, SAP_ODATA_ROOT, type SapEntity, sapEntity, sapPage } from './sap-wire.js';

const ROOT = `${SAP_ODATA_ROOT}/API_PURCHASEORDER_PROCESS_SRV`;
const SVC = 'API_PURCHASEORDER_PROCESS_SRV';
const HEADER_REQUIRED = [
  'CompanyCode',
  'PurchaseOrderType',
  'Supplier',
  'PurchasingOrganization',
  'PurchasingGroup',
];
const ITEM_REQUIRED = ['Plant', 'OrderQuantity', 'PurchaseOrderQuantityUnit'];
const DECIMALS = ['OrderQuantity', 'NetPriceAmount', 'NetPriceQuantity'];
let nextNumber = 4_500_000_000;

type Fields = Record<string, unknown>;

function navArray(value: unknown): Fields[] | undefined {
  if (Array.isArray(value)) return value as Fields[];
  const results = (value as { results?: unknown } | undefined)?.results;
  return Array.isArray(results) ? (results as Fields[]) : undefined;
}

function check(c: Context, ctx: SapContext, body: Fields): Response | Fields[] {
  const missing = HEADER_REQUIRED.find((f) => typeof body[f] !== 'string' || body[f] === '');
  if (missing) return odataError(c, 400, 'ME/083', `Enter ${missing}`, SVC, missing);
  const type = body.PurchaseOrderType as string;
  if (type !== 'NB' && !type.startsWith('ZNB'))
    return odataError(c, 400, 'ME/016', `Document type ${type} not allowed`, SVC, 'PurchaseOrderType');
  if (!ctx.stores.companyCodes.has(body.CompanyCode as string))
    return odataError(
      c,
      400,
      'ME/045',
      `Company code ${body.CompanyCode} does not exist`,
      SVC,
      'CompanyCode',
    );
  if (!ctx.stores.companyCodes.has(body.PurchasingOrganization as string))
    return odataError(
      c,
      400,
      'ME/046',
      `Purchasing organization ${body.PurchasingOrganization} does not exist`,
      SVC,
      'PurchasingOrganization',
    );
  if (!ctx.stores.suppliers.has(body.Supplier as string))
    return odataError(c, 400, 'ME/025', `Supplier ${body.Supplier} does not exist`, SVC, 'Supplier');
  const items = navArray(body.to_PurchaseOrderItem);
  if (!items || items.length === 0)
    return odataError(
      c,
      400,
      'ME/064',
      'No items in purchase order (to_PurchaseOrderItem is required)',
      SVC,
      'to_PurchaseOrderItem',
    );
  for (const [index, item] of items.entries()) {
    const gap = ITEM_REQUIRED.find((f) => item[f] === undefined || item[f] === '');
    if (gap)
      return odataError(
        c,
        400,
        'ME/083',
        `Item ${index + 1}: enter ${gap}`,
        SVC,
        `to_PurchaseOrderItem/${gap}`,
      );
    const number = DECIMALS.find((f) => item[f] !== undefined && typeof item[f] !== 'string');
    if (number)
      return odataError(
        c,
        400,
        '/IWBEP/CM_MGW_RT/022',
        `Property '${number}' has invalid value: Edm.Decimal must be a JSON string`,
        SVC,
        `to_PurchaseOrderItem/${number}`,
      );
    if (!ctx.stores.plants.has(item.Plant as string))
      return odataError(
        c,
        400,
        'ME/049',
        `Plant ${item.Plant} does not exist`,
        SVC,
        `to_PurchaseOrderItem/Plant`,
      );
    if (item.Material !== undefined && !ctx.stores.products.has(item.Material as string))
      return odataError(
        c,
        400,
        'M3/305',
        `Material ${item.Material} not maintained in plant ${item.Plant}`,
        SVC,
        'to_PurchaseOrderItem/Material',
      );
  }
  return items;
}

/** Mounts A_PurchaseOrder create, read and list. */
export function mountSapPurchaseOrders(app: Hono, ctx: SapContext): void {
  app.post(`${ROOT}/A_PurchaseOrder`, async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as Fields | undefined;
    if (!body || typeof body !== 'object')
      return odataError(c, 400, 'CX_SXML_PARSE_ERROR', 'Error while parsing an XML stream', SVC);
    const items = check(c, ctx, body);
    if (items instanceof Response) return items;
    nextNumber += 1;
    const id = String(nextNumber);
    const origin = `${new URL(c.req.url).origin}${ROOT}`;
    const entity: SapEntity = sapEntity(origin, 'A_PurchaseOrder', `'${id}'`, `${SVC}.A_PurchaseOrderType`, {
      ...body,
      PurchaseOrder: id,
      DocumentCurrency: body.DocumentCurrency ?? 'EUR',
      CreationDate: `/Date(${Math.floor(ctx.now() / 86_400_000) * 86_400_000})/`,
      PurchasingProcessingStatus: '05',
      to_PurchaseOrderItem: {
        results: items.map((item, index) => {
          const number = String(item.PurchaseOrderItem ?? (index + 1) * 10);
          return sapEntity(
            origin,
            'A_PurchaseOrderItem',
            `PurchaseOrder='${id}',PurchaseOrderItem='${number}'`,
            `${SVC}.A_PurchaseOrderItemType`,
            {
              ...item,
              PurchaseOrder: id,
              PurchaseOrderItem: number,
            },
          );
        }),
      },
    });
    ctx.stores.purchaseOrders.set(id, entity);
    return respondEntity(c, ctx, entity, 201);
  });
  app.get(`${ROOT}/A_PurchaseOrder`, (c) => sapPage(c, ctx, [...ctx.stores.purchaseOrders.values()]));
  app.get(`${ROOT}/:keyed{A_PurchaseOrder\\(.+\\)}`, (c) => {
    const id = /^A_PurchaseOrder\('(.+)'\)$/.exec(c.req.param('keyed'))?.[1] ?? '';
    const entity = ctx.stores.purchaseOrders.get(id);
    if (!entity) return odataError(c, 404, 'ME/006', `Purchase order ${id} does not exist`, SVC);
    return respondEntity(c, ctx, entity, 200);
  });
}
