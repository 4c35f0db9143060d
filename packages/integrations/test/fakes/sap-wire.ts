/**
 * SAP Gateway OData V2 wire pieces for the SAP fake: the error body, entities with `__metadata`,
 * `/Date(ms)/` values and paged collections (`$top`/`$skip`, `$inlinecount=allpages` → `__count`,
 * server-driven paging → `__next`).
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import type { SapContext } from './sap.js';

/** Where Gateway serves the OData V2 services. */
export const SAP_ODATA_ROOT = '/sap/opu/odata/sap';

/** An OData V2 entity as Gateway serialises it in JSON. */
export type SapEntity = { __metadata: { id: string; uri: string; type: string } } & Record<string, unknown>;

/** A V2 JSON date literal: `/Date(1714521600000)/`. */
export function sapDate(ms: number): string {
  return `/Date(${ms})/`;
}

/** Builds an entity whose `__metadata.id`/`uri` is `{serviceRoot}/{set}({key})`. */
export function sapEntity(
  serviceRoot: string,
  set: string,
  key: string,
  type: string,
  fields: Record<string, unknown>,
): SapEntity {
  const uri = `${serviceRoot}/${set}(${key})`;
  return { __metadata: { id: uri, uri, type }, ...fields };
}

const COMPONENT: Record<string, string> = {
  API_PRODUCT_SRV: 'LO-MD-MM',
  API_PURCHASEORDER_PROCESS_SRV: 'MM-PUR-PO',
  API_CV_ATTACHMENT_SRV: 'CA-DMS',
};

/**
 * Answers a Gateway error: `{ error: { code, message: { lang, value }, innererror: { application,
 * transactionid, timestamp, Error_Resolution, errordetails } } }`.
 */
export function odataError(
  c: Context,
  status: number,
  code: string,
  message: string,
  serviceId: string,
  target = '',
): Response {
  const body = {
    error: {
      code,
      message: { lang: 'en', value: message },
      innererror: {
        application: {
          component_id: COMPONENT[serviceId] ?? '',
          service_namespace: '/SAP/',
          service_id: serviceId,
          service_version: '0001',
        },
        transactionid: randomBytes(16).toString('hex').toUpperCase(),
        timestamp: new Date().toISOString().replace(/\D/g, '').slice(0, 14),
        Error_Resolution: {
          SAP_Transaction:
            'For backend administrators: use ADT feed reader "SAP Gateway Error Log" or run transaction /IWFND/ERROR_LOG on SAP Gateway hub system and search for entries with the timestamp above for more details',
          SAP_Note:
            'See SAP Note 1797736 for error analysis (https://service.sap.com/sap/support/notes/1797736)',
        },
        errordetails: [{ code, message, propertyref: target, severity: 'error', target }],
      },
    },
  };
  return c.json(body, status as 400);
}

/** One page of a collection: `{ d: { results, __count?, __next? } }` (JSON only). */
export function sapPage(c: Context, ctx: SapContext, all: readonly SapEntity[]): Response {
  const url = new URL(c.req.url);
  const skip = Number(url.searchParams.get('$skiptoken') ?? url.searchParams.get('$skip') ?? 0) || 0;
  const top = url.searchParams.has('$top') ? Number(url.searchParams.get('$top')) : undefined;
  // Server-driven paging (`__next`) applies when the client did not choose a page with `$top`.
  const size = top ?? ctx.pageSize;
  const results = all.slice(skip, skip + size);
  const d: Record<string, unknown> = { results };
  if (url.searchParams.get('$inlinecount') === 'allpages') d.__count = String(all.length);
  if (top === undefined && skip + size < all.length) {
    url.searchParams.delete('$skip');
    url.searchParams.set('$skiptoken', String(skip + size));
    d.__next = url.toString().replaceAll('%24', '$');
  }
  return c.json({ d });
}

/** Answers an entity as `{"d": …}` JSON, or as an Atom entry when JSON was not asked for. */
export function respondEntity(c: Context, ctx: SapContext, entity: SapEntity, status: 200 | 201): Response {
  const headers: Record<string, string> = status === 201 ? { location: entity.__metadata.uri } : {};
  if (ctx.wantsJson(c)) return c.json({ d: entity }, status, headers);
  const properties = Object.entries(entity)
    .filter(([k, v]) => k !== '__metadata' && (typeof v !== 'object' || v === null))
    .map(([k, v]) => `<d:${k}>${String(v ?? '')}</d:${k}>`)
    .join('');
  return c.body(
    `<?xml version="1.0" encoding="utf-8"?><entry xmlns="http://www.w3.org/2005/Atom" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices"><id>${entity.__metadata.id}</id><category term="${entity.__metadata.type}" scheme="http://schemas.microsoft.com/ado/2007/08/dataservices/scheme"/><content type="application/xml"><m:properties>${properties}</m:properties></content></entry>`,
    status,
    { 'content-type': 'application/atom+xml;type=entry; charset=utf-8', ...headers },
  );
}
