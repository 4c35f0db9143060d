/**
 * A faithful local fake of Oracle Fusion Cloud ERP REST (spec §7).
 *
 * How this works: the IDCS token endpoint `POST /oauth2/v1/token` takes `Authorization: Basic
 * base64(client_id:client_secret)` and a form body (`client_credentials` with the configured scope, or
 * the JWT user assertion grant, whose assertion is verified as IDCS does: `oracle-idcs.ts`); records
 * carry the token's user in `CreatedBy`; the API under `/fscmRestApi/resources/{version}/` (the configured
 * version or `latest`) needs the Bearer token (401 with an empty body and `WWW-Authenticate` when it is
 * missing or expired — `service.tokens.expireAll()`). Writes must be
 * `application/vnd.oracle.adf.resourceitem+json` or `application/json` (415 otherwise). Errors follow
 * the caller's `REST-Framework-Version`: 4 gives `{ title, status, o:errorDetails }`, older versions
 * plain text. Collections page with `limit` (default 25, max 500), `offset`, `hasMore`, `totalResults`.
 *
 * Checks: suppliers (Supplier, tax organization type and business relationship required, unique name),
 * invoices (required header fields, supplier and site and business unit must exist, unique number per
 * supplier, `invoiceLines` children), attachments (invoice: Type/FileName/FileContents; supplier:
 * DatatypeCode/FileName/FileContents, base64) under the parent's id as in its `self` link.
 *
 * @module
 */
import { type Context, Hono } from 'hono';
import { bearerOf, FakeService } from './fake-service.js';
import { mountIdcsToken } from './oracle-idcs.js';
import { itemLinks, oracleError, oracleItem, oraclePage } from './oracle-wire.js';
import { sharedTestKeyPair } from './signing-keys.js';

export { oracleFaults } from './oracle-faults.js';
export { IDCS_AUDIENCE } from './oracle-idcs.js';
export { ERROR_TYPE, ITEM_TYPE, oracleError } from './oracle-wire.js';

/** Options of {@link createOracleFake}. */
export interface OracleFakeOptions {
  /** @default 'ff-oracle-client' */
  clientId?: string;
  /** @default 'ff-oracle-secret' */
  clientSecret?: string;
  /** The scope client credentials must ask for. @default 'urn:opc:resource:consumer::all' */
  scope?: string;
  /** Fusion users a JWT user assertion may name (`sub`). @default ['casey.brown'] */
  users?: string[];
  /**
   * Certificates the confidential application trusts for JWT assertions: alias (the `kid`) →
   * SPKI public key or X.509 certificate PEM. @default { 'fileforge-test': the shared test key }
   */
  trustedCertificates?: Record<string, string>;
  /** REST resource version in paths (`latest` is accepted too). @default '11.13.18.05' */
  version?: string;
  /** @default 3600 */
  tokenTtlSec?: number;
  /** Clock for creation dates. @default Date.now */
  now?: () => number;
}

/** A stored supplier (Oracle's fields) with its attachments. */
export type OracleRecord = Record<string, unknown>;

/** A running fake Fusion pod plus its identity domain. */
export interface OracleFake {
  service: FakeService;
  /** Suppliers by SupplierId. Seeded: "Advanced Network Devices" (site FRESNO). */
  suppliers: Map<number, OracleRecord>;
  /** Supplier sites by supplier name. */
  supplierSites: Map<string, Set<string>>;
  /** Business units invoices may name. @default ['Vision Operations'] */
  businessUnits: Set<string>;
  /** Invoices by InvoiceId, lines under `invoiceLines`. */
  invoices: Map<number, OracleRecord>;
  /** Attachments by parent (`suppliers/{id}` or `invoices/{id}`), with decoded bytes. */
  attachments: Map<string, Array<{ item: OracleRecord; content: Buffer }>>;
  credentials: { clientId: string; clientSecret: string; scope: string; users: Set<string> };
  /** Certificates trusted for JWT user assertions, by alias (`kid`). */
  trustedCertificates: Map<string, string>;
  /** Seeds a supplier (and its sites); returns the stored record. */
  seedSupplier(name: string, sites?: string[]): OracleRecord;
  issueToken(): string;
  start(): Promise<string>;
  close(): Promise<void>;
  readonly url: string;
  /** `${url}/oauth2/v1/token`. */
  readonly tokenUrl: string;
  /** `${url}/fscmRestApi/resources/{version}`. */
  readonly apiUrl: string;
}

let nextId = 300_100_208_369_303;
const newId = () => {
  nextId += 17;
  return nextId;
};

/**
 * Creates a fake Oracle Fusion Cloud ERP pod with its token endpoint. Start it before use.
 *
 * @example
 * const erp = createOracleFake();
 * await erp.start();
 * const basic = Buffer.from(`${erp.credentials.clientId}:${erp.credentials.clientSecret}`).toString('base64');
 * const { access_token } = await (await fetch(erp.tokenUrl, { method: 'POST', headers: { authorization: `Basic ${basic}` },
 *   body: new URLSearchParams({ grant_type: 'client_credentials', scope: erp.credentials.scope }) })).json();
 */
export function createOracleFake(options: OracleFakeOptions = {}): OracleFake {
  const service = new FakeService();
  const credentials = {
    clientId: options.clientId ?? 'ff-oracle-client',
    clientSecret: options.clientSecret ?? 'ff-oracle-secret',
    scope: options.scope ?? 'urn:opc:resource:consumer::all',
    users: new Set(options.users ?? ['casey.brown']),
  };
  const trustedCertificates = new Map(
    Object.entries(options.trustedCertificates ?? { 'fileforge-test': sharedTestKeyPair().publicKeyPem }),
  );
  const version = options.version ?? '11.13.18.05';
  const ttl = options.tokenTtlSec ?? 3600;
  const now = options.now ?? Date.now;
  const suppliers = new Map<number, OracleRecord>();
  const supplierSites = new Map<string, Set<string>>();
  const businessUnits = new Set(['Vision Operations']);
  const invoices = new Map<number, OracleRecord>();
  const attachments = new Map<string, Array<{ item: OracleRecord; content: Buffer }>>();
  let supplierNumber = 1251;
  let started = false;
  const base = (c: Context) => `${new URL(c.req.url).origin}/fscmRestApi/resources/${version}`;

  function storeSupplier(fields: OracleRecord, origin: string): OracleRecord {
    const id = newId();
    supplierNumber += 1;
    const record = {
      SupplierId: id,
      SupplierPartyId: newId(),
      SupplierNumber: String(supplierNumber),
      Status: 'ACTIVE',
      CreationDate: new Date(now()).toISOString(),
      ...fields,
      links: itemLinks(`${origin}/suppliers/${id}`, 'suppliers', [
        'addresses',
        'attachments',
        'sites',
        'contacts',
      ]),
    };
    suppliers.set(id, record);
    return record;
  }

  // Seeds made before start() get their link hrefs fixed once the port is known.
  const PENDING_ORIGIN = 'http://fake-oracle.invalid';
  const seedSupplier = (name: string, sites: string[] = []) => {
    supplierSites.set(name, new Set(sites));
    const origin = started ? service.url : PENDING_ORIGIN;
    return storeSupplier(
      {
        Supplier: name,
        TaxOrganizationTypeCode: 'CORPORATION',
        BusinessRelationshipCode: 'SPEND_AUTHORIZED',
      },
      `${origin}/fscmRestApi/resources/${version}`,
    );
  };
  seedSupplier('Advanced Network Devices', ['FRESNO']);

  mountIdcsToken({
    service,
    ...credentials,
    trustedCertificates,
    users: credentials.users,
    ttlSec: ttl,
    now,
  });

  const api = new Hono(); // mounted below under the configured version and `latest`
  api.use('*', async (c, next) => {
    if (!service.tokens.check(/^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]))
      return new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer realm="oracle"' } });
    if (c.req.method === 'POST' || c.req.method === 'PATCH') {
      const type = c.req.header('content-type') ?? '';
      if (!/^application\/(vnd\.oracle\.adf\.resourceitem\+)?json/.test(type))
        return oracleError(c, 415, `Unsupported media type ${type || '(none)'}.`);
    }
    await next();
  });

  /** Fusion acts as the token's user: a user assertion's `sub`, else the client's own identity. */
  const createdBy = (c: Context) => service.tokens.check(bearerOf(c))?.replace(/^(user|client):/, '') ?? null;

  const readJson = async (c: Context) =>
    (await c.req.json().catch(() => undefined)) as OracleRecord | undefined;

  api.post('/suppliers', async (c) => {
    const body = await readJson(c);
    if (!body) return oracleError(c, 400, 'The request body is not valid JSON.');
    if (typeof body.Supplier !== 'string' || !body.Supplier)
      return oracleError(c, 400, 'The attribute Supplier is required.', 'POZ-2130001', 'Supplier');
    if (!body.TaxOrganizationTypeCode && !body.TaxOrganizationType)
      return oracleError(
        c,
        400,
        'The attribute TaxOrganizationTypeCode is required.',
        'POZ-2130002',
        'TaxOrganizationTypeCode',
      );
    if (!body.BusinessRelationshipCode && !body.BusinessRelationship)
      return oracleError(
        c,
        400,
        'The attribute BusinessRelationshipCode is required.',
        'POZ-2130003',
        'BusinessRelationshipCode',
      );
    if ([...suppliers.values()].some((s) => s.Supplier === body.Supplier))
      return oracleError(c, 400, `The supplier ${body.Supplier} already exists.`, 'POZ-2130406', 'Supplier');
    supplierSites.set(body.Supplier, supplierSites.get(body.Supplier) ?? new Set());
    return oracleItem(c, storeSupplier({ ...body, CreatedBy: createdBy(c) }, base(c)), 201);
  });
  api.get('/suppliers', (c) => oraclePage(c, [...suppliers.values()]));
  api.get('/suppliers/:id', (c) => {
    const supplier = suppliers.get(Number(c.req.param('id')));
    return supplier ? oracleItem(c, supplier) : oracleError(c, 404, 'The requested resource was not found.');
  });

  api.post('/invoices', async (c) => {
    const body = await readJson(c);
    if (!body) return oracleError(c, 400, 'The request body is not valid JSON.');
    for (const field of [
      'InvoiceNumber',
      'InvoiceCurrency',
      'InvoiceAmount',
      'BusinessUnit',
      'Supplier',
      'SupplierSite',
    ])
      if (body[field] === undefined || body[field] === '')
        return oracleError(c, 400, `The attribute ${field} is required.`, 'AP-810001', field);
    if (!businessUnits.has(String(body.BusinessUnit)))
      return oracleError(
        c,
        400,
        `The business unit ${body.BusinessUnit} is not valid.`,
        'AP-810002',
        'BusinessUnit',
      );
    const supplier = [...suppliers.values()].find((s) => s.Supplier === body.Supplier);
    if (!supplier)
      return oracleError(c, 400, `The supplier ${body.Supplier} is not valid.`, 'AP-810003', 'Supplier');
    if (!supplierSites.get(String(body.Supplier))?.has(String(body.SupplierSite)))
      return oracleError(
        c,
        400,
        `The supplier site ${body.SupplierSite} is not valid.`,
        'AP-810004',
        'SupplierSite',
      );
    if (
      [...invoices.values()].some(
        (i) => i.InvoiceNumber === body.InvoiceNumber && i.Supplier === body.Supplier,
      )
    )
      return oracleError(
        c,
        400,
        `The invoice number ${body.InvoiceNumber} already exists for this supplier.`,
        'AP-810005',
        'InvoiceNumber',
      );
    const lines = (Array.isArray(body.invoiceLines) ? body.invoiceLines : []) as OracleRecord[];
    for (const [index, line] of lines.entries())
      if (line.LineAmount === undefined)
        return oracleError(
          c,
          400,
          'The attribute LineAmount is required.',
          'AP-810006',
          `invoiceLines/${index}/LineAmount`,
        );
    const id = newId();
    const href = `${base(c)}/invoices/${id}`;
    const invoice: OracleRecord = {
      InvoiceId: id,
      ...body,
      CreatedBy: createdBy(c),
      SupplierNumber: supplier.SupplierNumber,
      InvoiceType: body.InvoiceType ?? 'Standard',
      ValidationStatus: 'Not validated',
      PaidStatus: 'Unpaid',
      CreationDate: new Date(now()).toISOString(),
      invoiceLines: lines.map((line, index) => ({
        LineNumber: index + 1,
        LineType: 'Item',
        ...line,
        links: itemLinks(`${href}/child/invoiceLines/${line.LineNumber ?? index + 1}`, 'invoiceLines'),
      })),
      links: itemLinks(href, 'invoices', ['attachments', 'invoiceLines', 'invoiceInstallments']),
    };
    invoices.set(id, invoice);
    return oracleItem(c, invoice, 201);
  });
  api.get('/invoices', (c) => oraclePage(c, [...invoices.values()]));
  api.get('/invoices/:id', (c) => {
    const invoice = invoices.get(Number(c.req.param('id')));
    return invoice ? oracleItem(c, invoice) : oracleError(c, 404, 'The requested resource was not found.');
  });
  api.get('/invoices/:id/child/invoiceLines', (c) => {
    const invoice = invoices.get(Number(c.req.param('id')));
    if (!invoice) return oracleError(c, 404, 'The requested resource was not found.');
    return oraclePage(c, invoice.invoiceLines as OracleRecord[]);
  });

  for (const parent of ['invoices', 'suppliers'] as const) {
    api.post(`/${parent}/:id/child/attachments`, async (c) => {
      const id = Number(c.req.param('id'));
      if (!(parent === 'invoices' ? invoices : suppliers).has(id))
        return oracleError(c, 404, 'The requested resource was not found.');
      const body = await readJson(c);
      if (!body) return oracleError(c, 400, 'The request body is not valid JSON.');
      const kind = parent === 'invoices' ? body.Type : body.DatatypeCode;
      if (parent === 'invoices' ? kind !== 'File' : kind !== 'FILE')
        return oracleError(
          c,
          400,
          `The attribute ${parent === 'invoices' ? 'Type' : 'DatatypeCode'} must be ${parent === 'invoices' ? 'File' : 'FILE'}.`,
          'FND-2001',
          parent === 'invoices' ? 'Type' : 'DatatypeCode',
        );
      for (const field of ['FileName', 'FileContents'])
        if (typeof body[field] !== 'string' || !body[field])
          return oracleError(c, 400, `The attribute ${field} is required.`, 'FND-2002', field);
      const content = Buffer.from(String(body.FileContents), 'base64');
      const documentId = newId();
      const { FileContents: _omitted, ...fields } = body;
      const item: OracleRecord = {
        AttachedDocumentId: documentId,
        ...fields,
        UploadedFileContentType:
          fields.UploadedFileContentType ??
          (String(fields.FileName).endsWith('.pdf') ? 'application/pdf' : 'application/octet-stream'),
        UploadedFileLength: content.length,
        CreationDate: new Date(now()).toISOString(),
        links: itemLinks(`${base(c)}/${parent}/${id}/child/attachments/${documentId}`, 'attachments'),
      };
      const key = `${parent}/${id}`;
      attachments.set(key, [...(attachments.get(key) ?? []), { item, content }]);
      return oracleItem(c, item, 201);
    });
    api.get(`/${parent}/:id/child/attachments`, (c) =>
      oraclePage(
        c,
        (attachments.get(`${parent}/${Number(c.req.param('id'))}`) ?? []).map((a) => a.item),
      ),
    );
  }

  service.app.route(`/fscmRestApi/resources/${version}`, api);
  service.app.route('/fscmRestApi/resources/latest', api);

  return {
    service,
    suppliers,
    supplierSites,
    businessUnits,
    invoices,
    attachments,
    credentials,
    trustedCertificates,
    seedSupplier,
    issueToken: () => service.tokens.issue(`client:${credentials.clientId}`, ttl),
    start: async () => {
      const url = await service.start();
      started = true;
      for (const supplier of suppliers.values())
        for (const link of supplier.links as Array<{ href: string }>)
          link.href = link.href.replace(PENDING_ORIGIN, url);
      return url;
    },
    close: () => service.close(),
    get url() {
      return service.url;
    },
    get tokenUrl() {
      return `${service.url}/oauth2/v1/token`;
    },
    get apiUrl() {
      return `${service.url}/fscmRestApi/resources/${version}`;
    },
  };
}
