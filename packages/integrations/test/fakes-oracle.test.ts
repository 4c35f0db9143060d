/**
 * The Oracle Fusion ERP fake against the documentation (spec §7): each test replays a documented
 * request — method, path, headers, body — and asserts the documented answer and error shapes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOracleFake, ITEM_TYPE, type OracleFake, oracleFaults } from './fakes/oracle.js';

const INVOICE = {
  InvoiceNumber: 'FF-INV-42',
  InvoiceCurrency: 'USD',
  InvoiceAmount: 2212.75,
  InvoiceDate: '2025-08-01',
  BusinessUnit: 'Vision Operations',
  Supplier: 'Advanced Network Devices',
  SupplierSite: 'FRESNO',
  InvoiceGroup: 'Aug2025',
  Description: 'Office Supplies',
  invoiceLines: [{ LineNumber: 1, LineAmount: 2212.75, DistributionCombination: '01-000-7110-0000-000' }],
};
const SUPPLIER = {
  Supplier: 'Lee Supplies',
  TaxOrganizationTypeCode: 'CORPORATION',
  BusinessRelationshipCode: 'SPEND_AUTHORIZED',
};

describe('Oracle Fusion Cloud ERP fake (REST, OAuth2)', () => {
  let erp: OracleFake;
  let token: string;

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    return fetch(`${erp.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': ITEM_TYPE,
        'rest-framework-version': '4',
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  beforeEach(async () => {
    erp = createOracleFake();
    await erp.start();
    const basic = Buffer.from(`${erp.credentials.clientId}:${erp.credentials.clientSecret}`).toString(
      'base64',
    );
    const res = await fetch(erp.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: erp.credentials.scope }),
    });
    const json = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(json).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    token = json.access_token;
  });
  afterEach(() => erp.close());

  it('refuses bad client credentials and a wrong scope in the OAuth error shape', async () => {
    const bad = await fetch(erp.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('x:y').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: erp.credentials.scope }),
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed.',
    });
    const basic = Buffer.from(`${erp.credentials.clientId}:${erp.credentials.clientSecret}`).toString(
      'base64',
    );
    const scope = await fetch(erp.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'nope' }),
    });
    expect(((await scope.json()) as { error: string }).error).toBe('invalid_scope');
  });

  it('creates a supplier: 201, Location, SupplierId, SupplierNumber and links', async () => {
    const res = await call('POST', '/suppliers', SUPPLIER);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe(ITEM_TYPE);
    const supplier = (await res.json()) as {
      SupplierId: number;
      SupplierNumber: string;
      links: Array<{ rel: string; href: string }>;
    };
    expect(Number.isInteger(supplier.SupplierId)).toBe(true);
    expect(supplier.SupplierNumber).toMatch(/^\d+$/);
    const self = supplier.links.find((l) => l.rel === 'self')!.href;
    expect(res.headers.get('location')).toBe(self);
    expect(self).toBe(`${erp.apiUrl}/suppliers/${supplier.SupplierId}`);
    expect(supplier.links.some((l) => l.rel === 'child' && l.href.endsWith('/child/attachments'))).toBe(true);
  });

  it('answers a version-4 error with title, status and o:errorDetails, and plain text without the header', async () => {
    const res = await call('POST', '/suppliers', { Supplier: 'No Type' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/vnd.oracle.adf.error+json');
    expect(await res.json()).toMatchObject({
      title: 'Bad Request',
      status: '400',
      'o:errorDetails': [
        {
          detail: expect.any(String),
          'o:errorCode': expect.any(String),
          'o:errorPath': 'TaxOrganizationTypeCode',
        },
      ],
    });
    const old = await call('POST', '/suppliers', { Supplier: 'No Type' }, { 'rest-framework-version': '2' });
    expect(old.status).toBe(400);
    expect(old.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await old.text()).toMatch(/TaxOrganizationTypeCode/);
  });

  it('creates the documented invoice with its invoiceLines child and echoes the fields', async () => {
    const res = await call('POST', '/invoices', INVOICE);
    expect(res.status).toBe(201);
    const invoice = (await res.json()) as Record<string, unknown> & { InvoiceId: number };
    expect(invoice).toMatchObject({
      InvoiceNumber: 'FF-INV-42',
      InvoiceAmount: 2212.75,
      Supplier: 'Advanced Network Devices',
      SupplierNumber: expect.any(String),
      invoiceLines: [{ LineNumber: 1, LineAmount: 2212.75 }],
    });
    const lines = await call('GET', `/invoices/${invoice.InvoiceId}/child/invoiceLines`);
    expect(((await lines.json()) as { items: unknown[] }).items).toHaveLength(1);
    const again = await call('POST', '/invoices', INVOICE);
    expect(again.status).toBe(400);
    const unknown = await call('POST', '/invoices', { ...INVOICE, InvoiceNumber: 'X', Supplier: 'Nobody' });
    expect(
      ((await unknown.json()) as { 'o:errorDetails': Array<{ 'o:errorPath': string }> })[
        'o:errorDetails'
      ][0]?.['o:errorPath'],
    ).toBe('Supplier');
  });

  it('uploads attachments to an invoice and a supplier from base64 FileContents', async () => {
    const invoice = (await (await call('POST', '/invoices', INVOICE)).json()) as { InvoiceId: number };
    const pdf = Buffer.from('%PDF-1.7 invoice 42');
    const res = await call('POST', `/invoices/${invoice.InvoiceId}/child/attachments`, {
      Type: 'File',
      FileName: 'invoice-42.pdf',
      Title: 'invoice-42',
      Category: 'From Supplier',
      Description: 'Scanned invoice',
      FileContents: pdf.toString('base64'),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      AttachedDocumentId: expect.any(Number),
      FileName: 'invoice-42.pdf',
      Title: 'invoice-42',
      UploadedFileContentType: 'application/pdf',
      UploadedFileLength: pdf.length,
    });
    expect(erp.attachments.get(`invoices/${invoice.InvoiceId}`)?.[0]?.content.equals(pdf)).toBe(true);
    const supplierId = [...erp.suppliers.keys()][0]!;
    const w9 = await call('POST', `/suppliers/${supplierId}/child/attachments`, {
      DatatypeCode: 'FILE',
      CategoryName: 'MISC',
      FileName: 'w9.pdf',
      Title: 'W-9',
      FileContents: pdf.toString('base64'),
    });
    expect(w9.status).toBe(201);
    const missing = await call('POST', `/invoices/${invoice.InvoiceId}/child/attachments`, {
      Type: 'File',
      FileName: 'x.pdf',
    });
    expect(missing.status).toBe(400);
  });

  it('pages collections with limit, offset, hasMore and totalResults', async () => {
    for (let i = 0; i < 3; i += 1) await call('POST', '/suppliers', { ...SUPPLIER, Supplier: `Lee ${i}` });
    const page = (await (
      await call('GET', '/suppliers?limit=2&offset=1&totalResults=true')
    ).json()) as Record<string, unknown>;
    expect(page).toMatchObject({ count: 2, hasMore: true, limit: 2, offset: 1, totalResults: 4 });
    const last = (await (await call('GET', '/suppliers?limit=2&offset=3')).json()) as Record<string, unknown>;
    expect(last).toMatchObject({ count: 1, hasMore: false });
    const found = (await (await call('GET', `/suppliers?q=Supplier='Lee 1'`)).json()) as {
      items: Array<{ Supplier: string }>;
    };
    expect(found.items.map((s) => s.Supplier)).toEqual(['Lee 1']);
  });

  it('answers 401 after the tokens expire, and injected 429 + Retry-After', async () => {
    erp.service.tokens.expireAll();
    const expired = await call('GET', '/suppliers');
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer/);
    token = erp.issueToken();
    erp.service.inject(oracleFaults.throttled(3));
    const throttled = await call('GET', '/suppliers');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');
    expect((await call('GET', '/suppliers')).status).toBe(200);
  });

  it('refuses writes that are neither ADF resource-item JSON nor application/json (415)', async () => {
    const res = await call('POST', '/suppliers', SUPPLIER, { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect((await call('POST', '/suppliers', SUPPLIER, { 'content-type': 'application/json' })).status).toBe(
      201,
    );
  });
});
