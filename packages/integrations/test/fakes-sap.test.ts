/**
 * The SAP fake against the documentation (spec §6): each test replays a documented request —
 * method, path, headers, body — and asserts the documented answer and error shapes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSapFake, type SapFake, sapFaults } from './fakes/sap.js';

const PRODUCT = {
  Product: 'FF-MAT-001',
  ProductType: 'FERT',
  BaseUnit: 'EA',
  IndustrySector: 'M',
  ProductGroup: 'L001',
  to_Description: {
    results: [{ Product: 'FF-MAT-001', Language: 'EN', ProductDescription: 'FileForge test material' }],
  },
};
const PURCHASE_ORDER = {
  CompanyCode: '1010',
  PurchaseOrderType: 'NB',
  Supplier: '17300001',
  PurchasingOrganization: '1010',
  PurchasingGroup: '001',
  DocumentCurrency: 'EUR',
  to_PurchaseOrderItem: [
    {
      PurchaseOrderItem: '10',
      Material: 'FF-MAT-001',
      Plant: '1010',
      OrderQuantity: '7',
      PurchaseOrderQuantityUnit: 'EA',
      NetPriceAmount: '130.00',
      NetPriceQuantity: '1',
    },
  ],
};

describe('SAP S/4HANA fake (OData V2 via Gateway)', () => {
  let sap: SapFake;
  let session: { token: string; cookie: string };

  async function fetchCsrf(method: 'GET' | 'HEAD' = 'GET', path = 'API_PRODUCT_SRV') {
    const res = await fetch(sap.serviceUrl(path as 'API_PRODUCT_SRV'), {
      method,
      headers: { authorization: sap.basicAuth, 'x-csrf-token': 'Fetch', accept: 'application/json' },
    });
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return { res, token: res.headers.get('x-csrf-token') ?? '', cookie };
  }

  function post(service: string, set: string, body: unknown, headers: Record<string, string> = {}) {
    return fetch(`${sap.url}/sap/opu/odata/sap/${service}/${set}`, {
      method: 'POST',
      headers: {
        authorization: sap.basicAuth,
        'x-csrf-token': session.token,
        cookie: session.cookie,
        accept: 'application/json',
        'content-type': 'application/json',
        ...headers,
      },
      body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
  }

  beforeEach(async () => {
    sap = createSapFake();
    await sap.start();
    session = await fetchCsrf();
  });
  afterEach(() => sap.close());

  it('answers the CSRF fetch with the token and the session cookies, for GET and HEAD', async () => {
    expect(session.token).toMatch(/.+/);
    const head = await fetchCsrf('HEAD');
    expect(head.res.status).toBe(200);
    expect(head.token).toMatch(/.+/);
    const cookies = head.res.headers.getSetCookie();
    expect(cookies.some((c) => /^SAP_SESSIONID_ER9_100=.+; path=\//.test(c))).toBe(true);
    expect(cookies).toContain('sap-usercontext=sap-client=100; path=/');
  });

  it('creates a product (A_Product) and answers 201, Location and the {"d": …} entity', async () => {
    const res = await post('API_PRODUCT_SRV', 'A_Product', PRODUCT);
    expect(res.status).toBe(201);
    const { d } = (await res.json()) as {
      d: Record<string, unknown> & { __metadata: { id: string; type: string } };
    };
    expect(res.headers.get('location')).toBe(d.__metadata.id);
    expect(d.__metadata.id).toMatch(/\/A_Product\('FF-MAT-001'\)$/);
    expect(d.__metadata.type).toBe('API_PRODUCT_SRV.A_ProductType');
    expect(d).toMatchObject({ Product: 'FF-MAT-001', ProductType: 'FERT' });
    expect(d.CreationDate).toMatch(/^\/Date\(\d+\)\/$/);
    expect(d.to_Description).toMatchObject({
      results: [{ Language: 'EN', ProductDescription: 'FileForge test material' }],
    });
    expect(sap.products.has('FF-MAT-001')).toBe(true);
  });

  it('refuses a write without a valid token and cookie: 403, x-csrf-token: Required, text body', async () => {
    for (const headers of [{ 'x-csrf-token': 'wrong' }, { cookie: '' }] as Record<string, string>[]) {
      const res = await post('API_PRODUCT_SRV', 'A_Product', PRODUCT, headers);
      expect(res.status).toBe(403);
      expect(res.headers.get('x-csrf-token')).toBe('Required');
      expect(await res.text()).toBe('CSRF token validation failed');
    }
    sap.expireCsrfTokens();
    expect((await post('API_PRODUCT_SRV', 'A_Product', PRODUCT)).status).toBe(403);
    session = await fetchCsrf();
    expect((await post('API_PRODUCT_SRV', 'A_Product', PRODUCT)).status).toBe(201);
  });

  it('answers 401 with WWW-Authenticate Basic on bad credentials', async () => {
    const res = await fetch(sap.serviceUrl('API_PRODUCT_SRV'), { headers: { authorization: 'Basic eDp5' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    // The right user in another client cannot log on either; its own client (or none) can.
    const inClient = (client: string) =>
      fetch(`${sap.serviceUrl('API_PRODUCT_SRV')}?sap-client=${client}`, {
        headers: { authorization: sap.basicAuth, accept: 'application/json' },
      });
    expect((await inClient('200')).status).toBe(401);
    expect((await inClient(sap.credentials.client)).status).toBe(200);
  });

  it('creates a purchase order by deep insert, items bare or wrapped in results', async () => {
    await post('API_PRODUCT_SRV', 'A_Product', PRODUCT);
    const res = await post('API_PURCHASEORDER_PROCESS_SRV', 'A_PurchaseOrder', PURCHASE_ORDER);
    expect(res.status).toBe(201);
    const { d } = (await res.json()) as {
      d: { PurchaseOrder: string; to_PurchaseOrderItem: { results: unknown[] } };
    };
    expect(d.PurchaseOrder).toMatch(/^45\d{8}$/);
    expect(d.to_PurchaseOrderItem.results).toHaveLength(1);
    const wrapped = {
      ...PURCHASE_ORDER,
      to_PurchaseOrderItem: { results: PURCHASE_ORDER.to_PurchaseOrderItem },
    };
    expect((await post('API_PURCHASEORDER_PROCESS_SRV', 'A_PurchaseOrder', wrapped)).status).toBe(201);
  });

  it('rejects a purchase order with a missing field or a numeric Edm.Decimal in the OData V2 error shape', async () => {
    await post('API_PRODUCT_SRV', 'A_Product', PRODUCT);
    const { Supplier: _, ...noSupplier } = PURCHASE_ORDER;
    const res = await post('API_PURCHASEORDER_PROCESS_SRV', 'A_PurchaseOrder', noSupplier);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: Record<string, unknown> };
    expect(error).toMatchObject({
      message: { lang: 'en', value: expect.stringContaining('Supplier') },
      innererror: {
        application: { component_id: 'MM-PUR-PO', service_id: 'API_PURCHASEORDER_PROCESS_SRV' },
        errordetails: [expect.objectContaining({ severity: 'error', target: 'Supplier' })],
      },
    });
    expect(typeof error.code).toBe('string');
    const numeric = {
      ...PURCHASE_ORDER,
      to_PurchaseOrderItem: [{ ...PURCHASE_ORDER.to_PurchaseOrderItem[0], OrderQuantity: 7 }],
    };
    expect((await post('API_PURCHASEORDER_PROCESS_SRV', 'A_PurchaseOrder', numeric)).status).toBe(400);
    const unknownSupplier = { ...PURCHASE_ORDER, Supplier: '99999999' };
    expect((await post('API_PURCHASEORDER_PROCESS_SRV', 'A_PurchaseOrder', unknownSupplier)).status).toBe(
      400,
    );
  });

  it('uploads an attachment to a purchase order and lists it with GetAllOriginals', async () => {
    await post('API_PRODUCT_SRV', 'A_Product', PRODUCT);
    const po = (
      (await (await post('API_PURCHASEORDER_PROCESS_SRV', 'A_PurchaseOrder', PURCHASE_ORDER)).json()) as {
        d: { PurchaseOrder: string };
      }
    ).d.PurchaseOrder;
    const pdf = Buffer.from('%PDF-1.7 invoice 42');
    const res = await post('API_CV_ATTACHMENT_SRV', 'AttachmentContentSet', pdf, {
      'content-type': 'application/pdf',
      slug: 'invoice-42.pdf',
      businessobjecttypename: 'BUS2012',
      linkedsapobjectkey: po,
    });
    expect(res.status).toBe(201);
    const { d } = (await res.json()) as { d: Record<string, unknown> };
    expect(d).toMatchObject({
      LinkedSAPObjectKey: po,
      BusinessObjectTypeName: 'BUS2012',
      FileName: 'invoice-42.pdf',
      MimeType: 'application/pdf',
    });
    for (const field of [
      'DocumentInfoRecordDocType',
      'DocumentInfoRecordDocNumber',
      'LogicalDocument',
      'ArchiveDocumentID',
    ])
      expect(d[field]).toEqual(expect.any(String));
    expect(sap.attachments[0]?.content.equals(pdf)).toBe(true);
    const list = await fetch(
      `${sap.serviceUrl('API_CV_ATTACHMENT_SRV')}GetAllOriginals?BusinessObjectTypeName='BUS2012'&LinkedSAPObjectKey='${po}'`,
      { headers: { authorization: sap.basicAuth, accept: 'application/json' } },
    );
    expect(((await list.json()) as { d: { results: unknown[] } }).d.results).toHaveLength(1);
    const noSlug = await post('API_CV_ATTACHMENT_SRV', 'AttachmentContentSet', pdf, {
      businessobjecttypename: 'BUS2012',
      linkedsapobjectkey: po,
    });
    expect(noSlug.status).toBe(400);
  });

  it('answers Atom XML unless JSON is asked for, by Accept or $format=json', async () => {
    const atom = await post('API_PRODUCT_SRV', 'A_Product', PRODUCT, { accept: 'application/atom+xml' });
    expect(atom.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    const read = await fetch(`${sap.serviceUrl('API_PRODUCT_SRV')}A_Product('FF-MAT-001')?$format=json`, {
      headers: { authorization: sap.basicAuth },
    });
    expect(((await read.json()) as { d: { Product: string } }).d.Product).toBe('FF-MAT-001');
  });

  it('pages collections with $top/$skip, $inlinecount and server-driven __next', async () => {
    await sap.close();
    sap = createSapFake({ pageSize: 2 });
    await sap.start();
    session = await fetchCsrf();
    for (let i = 1; i <= 3; i += 1)
      await post('API_PRODUCT_SRV', 'A_Product', { ...PRODUCT, Product: `FF-${i}` });
    const get = async (url: string) =>
      (
        (await (
          await fetch(url, { headers: { authorization: sap.basicAuth, accept: 'application/json' } })
        ).json()) as {
          d: { results: Array<{ Product: string }>; __count?: string; __next?: string };
        }
      ).d;
    const page = await get(
      `${sap.serviceUrl('API_PRODUCT_SRV')}A_Product?$top=2&$skip=1&$inlinecount=allpages`,
    );
    expect(page.results.map((p) => p.Product)).toEqual(['FF-2', 'FF-3']);
    expect(page.__count).toBe('3');
    expect(page.__next).toBeUndefined();
    const first = await get(`${sap.serviceUrl('API_PRODUCT_SRV')}A_Product`);
    expect(first.results).toHaveLength(2);
    expect(first.__next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*A_Product\?\$skiptoken=2$/);
    const second = await get(first.__next!);
    expect(second.results.map((p) => p.Product)).toEqual(['FF-3']);
    expect(second.__next).toBeUndefined();
  });

  it('answers injected 503 + Retry-After', async () => {
    sap.service.inject(sapFaults.unavailable(7));
    const res = await post('API_PRODUCT_SRV', 'A_Product', PRODUCT);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('7');
  });
});
