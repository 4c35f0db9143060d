/**
 * A faithful local fake of SAP S/4HANA OData V2 services behind SAP Gateway (spec §6).
 *
 * How this works: every request needs `Authorization: Basic` (401 with an HTML body and
 * `WWW-Authenticate: Basic realm=…` otherwise). `GET`/`HEAD` of a service root or `$metadata` with
 * `x-csrf-token: Fetch` answers the token plus `SAP_SESSIONID_{SID}_{client}` and `sap-usercontext`
 * cookies; every POST/PUT/PATCH/MERGE/DELETE must send that token *and* the session cookie it is bound
 * to, else 403, `x-csrf-token: Required`, text "CSRF token validation failed". JSON is answered only with
 * `Accept: application/json` or `$format=json` (Gateway's default is Atom XML, which the fake answers
 * otherwise); bodies are wrapped in `{"d": …}`, errors are `{ error: { code, message: { lang, value },
 * innererror } }`. Message codes are illustrative, as the spec says; the shapes are the contract.
 *
 * Services: API_PRODUCT_SRV/A_Product (create, read, list with $top/$skip/$inlinecount and `__next`),
 * API_PURCHASEORDER_PROCESS_SRV/A_PurchaseOrder (deep insert with required fields, Edm.Decimal as
 * strings, supplier/plant/material checks, nav arrays bare or `{results}`), API_CV_ATTACHMENT_SRV
 * (AttachmentContentSet upload with Slug/BusinessObjectTypeName/LinkedSAPObjectKey, GetAllOriginals);
 * `$batch` on every service, change sets all or nothing (`sap-batch.ts`).
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { FakeService, type Fault } from './fake-service.js';
import { mountSapAttachments } from './sap-attachments.js';
import { answerBatch } from './sap-batch.js';
import { mountSapPurchaseOrders } from './sap-purchase-orders.js';
import { odataError, respondEntity, SAP_ODATA_ROOT, type SapEntity, sapEntity, sapPage } from './sap-wire.js';

export { odataError, SAP_ODATA_ROOT, type SapEntity, sapDate } from './sap-wire.js';

/** Options of {@link createSapFake}. */
export interface SapFakeOptions {
  /** Communication user. @default 'FILEFORGE_COMM' */
  user?: string;
  /** @default 'Welcome1!' */
  password?: string;
  /** System id in the session cookie name. @default 'ER9' */
  systemId?: string;
  /** `sap-client`. @default '100' */
  client?: string;
  /** Server-driven page size for collections (`d.__next`). @default 50 */
  pageSize?: number;
  /** Clock for `/Date(ms)/` values. @default Date.now */
  now?: () => number;
}

/** What the fake keeps; inspect or seed from tests. */
export interface SapStores {
  /** A_Product by `Product`. */
  products: Map<string, SapEntity>;
  /** A_PurchaseOrder by `PurchaseOrder`, items under `to_PurchaseOrderItem.results`. */
  purchaseOrders: Map<string, SapEntity>;
  /** Attachments (AttachmentContent entities) with their bytes. */
  attachments: Array<{ entity: SapEntity; content: Buffer }>;
  /** Known suppliers (PO `Supplier` must be one). @default ['17300001'] */
  suppliers: Set<string>;
  /** Known plants (PO item `Plant`). @default ['1010'] */
  plants: Set<string>;
  /** Known company codes / purchasing organizations. @default ['1010'] */
  companyCodes: Set<string>;
}

/** A running fake S/4HANA system. */
export interface SapFake extends SapStores {
  service: FakeService;
  credentials: { user: string; password: string; client: string };
  /** `Authorization` header value the fake accepts. */
  basicAuth: string;
  /** Live CSRF tokens by session id; `expireCsrfTokens()` empties it (next write → 403 Required). */
  sessions: Map<string, string>;
  expireCsrfTokens(): void;
  start(): Promise<string>;
  close(): Promise<void>;
  readonly url: string;
  /** `${url}/sap/opu/odata/sap/{service}/`. */
  serviceUrl(service: 'API_PRODUCT_SRV' | 'API_PURCHASEORDER_PROCESS_SRV' | 'API_CV_ATTACHMENT_SRV'): string;
}

/** Ready-made injected answers, for `fake.service.inject(...)`. */
export const sapFaults = {
  /** 503 + Retry-After (Gateway has no native 429; API Management in front may add one). */
  unavailable: (retryAfterSec = 1, times = 1): Fault => ({
    status: 503,
    times,
    headers: { 'retry-after': String(retryAfterSec) },
    body: 'Service Unavailable',
  }),
  /** 429 + Retry-After, as an API Management / BTP layer in front of Gateway answers. */
  throttled: (retryAfterSec = 1, times = 1): Fault => ({
    status: 429,
    times,
    headers: { 'retry-after': String(retryAfterSec) },
    body: 'Too Many Requests',
  }),
};

const SERVICES: Record<string, string[]> = {
  API_PRODUCT_SRV: ['A_Product', 'A_ProductDescription'],
  API_PURCHASEORDER_PROCESS_SRV: ['A_PurchaseOrder', 'A_PurchaseOrderItem'],
  API_CV_ATTACHMENT_SRV: ['AttachmentContentSet', 'AttachmentHarmonizedOperationSet'],
};

const MODIFYING = new Set(['POST', 'PUT', 'PATCH', 'MERGE', 'DELETE']);

/** Shared by the route groups. */
export interface SapContext {
  stores: SapStores;
  now: () => number;
  pageSize: number;
  /** Whether the request asked for JSON (`Accept` or `$format=json`). */
  wantsJson: (c: Context) => boolean;
}

/**
 * Creates a fake S/4HANA system (Gateway OData V2). Start it before use.
 *
 * @example
 * const sap = createSapFake();
 * await sap.start();
 * const root = sap.serviceUrl('API_PRODUCT_SRV');
 * const res = await fetch(root, { headers: { authorization: sap.basicAuth, 'x-csrf-token': 'Fetch' } });
 * const token = res.headers.get('x-csrf-token'); const cookies = res.headers.getSetCookie();
 */
export function createSapFake(options: SapFakeOptions = {}): SapFake {
  const service = new FakeService();
  const credentials = {
    user: options.user ?? 'FILEFORGE_COMM',
    password: options.password ?? 'Welcome1!',
    client: options.client ?? '100',
  };
  const systemId = options.systemId ?? 'ER9';
  const cookieName = `SAP_SESSIONID_${systemId}_${credentials.client}`;
  const basicAuth = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  const sessions = new Map<string, string>();
  const stores: SapStores = {
    products: new Map(),
    purchaseOrders: new Map(),
    attachments: [],
    suppliers: new Set(['17300001']),
    plants: new Set(['1010']),
    companyCodes: new Set(['1010']),
  };
  const ctx: SapContext = {
    stores,
    now: options.now ?? Date.now,
    pageSize: options.pageSize ?? 50,
    wantsJson: (c) =>
      c.req.query('$format') === 'json' || (c.req.header('accept') ?? '').includes('application/json'),
  };

  service.app.use(`${SAP_ODATA_ROOT}/*`, async (c, next) => {
    // The user exists in one client: a request for another (`?sap-client=`) cannot log on.
    const client = c.req.query('sap-client');
    if (
      c.req.header('authorization') !== basicAuth ||
      (client !== undefined && client !== credentials.client)
    ) {
      return c.html(
        '<html><head><title>Logon Error Message</title></head><body>Logon failed</body></html>',
        401,
        {
          'www-authenticate': `Basic realm="SAP NetWeaver Application Server [${systemId}/${credentials.client}]"`,
        },
      );
    }
    const name = new URL(c.req.url).pathname.split('/')[5] ?? '';
    if (!SERVICES[name]) {
      return odataError(
        c,
        404,
        '/IWFND/MED/170',
        `No service found for namespace '/SAP/', name '${name}', version '0001'`,
        name,
      );
    }
    const cookies = Object.fromEntries(
      (c.req.header('cookie') ?? '')
        .split(/;\s*/)
        .map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)]),
    );
    if (
      (c.req.method === 'GET' || c.req.method === 'HEAD') &&
      c.req.header('x-csrf-token')?.toLowerCase() === 'fetch'
    ) {
      let session = cookies[cookieName];
      if (!session || !sessions.has(session)) {
        session = randomBytes(24).toString('base64url');
        c.header('set-cookie', `${cookieName}=${session}; path=/; HttpOnly`, { append: true });
        c.header('set-cookie', `sap-usercontext=sap-client=${credentials.client}; path=/`, { append: true });
        sessions.set(session, randomBytes(16).toString('base64'));
      }
      c.header('x-csrf-token', sessions.get(session)!);
    }
    if (MODIFYING.has(c.req.method)) {
      const token = c.req.header('x-csrf-token');
      const session = cookies[cookieName];
      if (!token || !session || sessions.get(session) !== token) {
        return c.text('CSRF token validation failed', 403, { 'x-csrf-token': 'Required' });
      }
    }
    await next();
  });

  // Service document and $metadata (both also answer the CSRF fetch, with and without a trailing slash).
  for (const [name, sets] of Object.entries(SERVICES)) {
    const root = `${SAP_ODATA_ROOT}/${name}`;
    const serviceDocument = (c: Context) =>
      ctx.wantsJson(c)
        ? c.json({ d: { EntitySets: sets } })
        : c.body(
            `<?xml version="1.0" encoding="utf-8"?><app:service xmlns:app="http://www.w3.org/2007/app" xmlns:atom="http://www.w3.org/2005/Atom" xml:base="${new URL(c.req.url).origin}${root}/"><app:workspace><atom:title>Data</atom:title>${sets.map((s) => `<app:collection href="${s}"><atom:title>${s}</atom:title></app:collection>`).join('')}</app:workspace></app:service>`,
            200,
            { 'content-type': 'application/atomsvc+xml; charset=utf-8' },
          );
    service.app.on(['GET', 'HEAD'], [root, `${root}/`], serviceDocument);
    service.app.on(['GET', 'HEAD'], `${root}/$metadata`, (c) =>
      c.body(
        `<?xml version="1.0" encoding="utf-8"?><edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx"><edmx:DataServices m:DataServiceVersion="2.0" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"><Schema Namespace="${name}" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">${sets.map((s) => `<EntityType Name="${s}Type"/>`).join('')}</Schema></edmx:DataServices></edmx:Edmx>`,
        200,
        { 'content-type': 'application/xml' },
      ),
    );
  }

  // The entity routes live on their own app, which `$batch` runs its operations against.
  const entities = new Hono();
  mountProducts(entities, ctx);
  mountSapPurchaseOrders(entities, ctx);
  mountSapAttachments(entities, ctx);
  service.app.use(`${SAP_ODATA_ROOT}/*`, async (c, next) => {
    const batch = /\/([A-Z_]+)\/\$batch$/.exec(c.req.path);
    if (c.req.method === 'POST' && batch) return answerBatch(c, ctx, entities, batch[1]!);
    await next();
  });
  service.app.route('/', entities);

  return {
    ...stores,
    service,
    credentials,
    basicAuth,
    sessions,
    expireCsrfTokens: () => sessions.clear(),
    start: () => service.start(),
    close: () => service.close(),
    get url() {
      return service.url;
    },
    serviceUrl: (name) => `${service.url}${SAP_ODATA_ROOT}/${name}/`,
  };
}

const PRODUCT_ROOT = `${SAP_ODATA_ROOT}/API_PRODUCT_SRV`;
let productCounter = 0;

function mountProducts(app: Hono, ctx: SapContext): void {
  const { products } = ctx.stores;
  const svc = 'API_PRODUCT_SRV';
  app.post(`${PRODUCT_ROOT}/A_Product`, async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object')
      return odataError(c, 400, 'CX_SXML_PARSE_ERROR', 'Error while parsing an XML stream', svc);
    const missing = ['ProductType', 'BaseUnit'].filter((f) => typeof body[f] !== 'string' || body[f] === '');
    if (missing.length > 0)
      return odataError(c, 400, 'MM_PR_GEN/001', `Enter a value for field ${missing[0]}`, svc, missing[0]);
    if (body.Product !== undefined && (typeof body.Product !== 'string' || body.Product.length > 40))
      return odataError(
        c,
        400,
        'SY/530',
        "Property 'Product' is invalid (Edm.String, MaxLength 40)",
        svc,
        'Product',
      );
    productCounter += 1;
    const id = (body.Product as string | undefined) ?? String(productCounter).padStart(8, '0');
    if (products.has(id))
      return odataError(c, 400, 'M3/351', `Material ${id} already exists`, svc, 'Product');
    const rawDescriptions = body.to_Description as { results?: unknown[] } | unknown[] | undefined;
    const descriptions = (
      Array.isArray(rawDescriptions) ? rawDescriptions : (rawDescriptions?.results ?? [])
    ) as Array<Record<string, unknown>>;
    const origin = `${new URL(c.req.url).origin}${PRODUCT_ROOT}`;
    const entity = sapEntity(origin, 'A_Product', `'${id}'`, 'API_PRODUCT_SRV.A_ProductType', {
      ...body,
      Product: id,
      CreationDate: `/Date(${Math.floor(ctx.now() / 86_400_000) * 86_400_000})/`,
      CreatedByUser: 'FILEFORGE_COMM',
      IsMarkedForDeletion: false,
      to_Description: {
        results: descriptions.map((d) =>
          sapEntity(
            origin,
            'A_ProductDescription',
            `Product='${id}',Language='${d.Language}'`,
            'API_PRODUCT_SRV.A_ProductDescriptionType',
            {
              ...d,
              Product: id,
            },
          ),
        ),
      },
    });
    products.set(id, entity);
    return respondEntity(c, ctx, entity, 201);
  });
  app.get(`${PRODUCT_ROOT}/A_Product`, (c) => sapPage(c, ctx, [...products.values()]));
  app.get(`${PRODUCT_ROOT}/:keyed{A_Product\\(.+\\)}`, (c) => {
    const id = /^A_Product\('(.+)'\)$/.exec(c.req.param('keyed'))?.[1] ?? '';
    const entity = products.get(id);
    if (!entity)
      return odataError(c, 404, 'MM_PR_GEN/002', `Resource not found for segment 'A_ProductType'`, svc);
    return respondEntity(c, ctx, entity, 200);
  });
}
