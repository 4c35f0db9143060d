import { writePdf } from '@fileforge/test-fixtures/pdf';
import { describe, expect, it } from 'vitest';
import { createSapConnector } from '../src/connectors/index.js';
import type { RecordedRequest } from './fakes/fake-service.js';
import { createSapFake, sapFaults } from './fakes/sap.js';
import {
  connectorMaker,
  memoryFile,
  quickHa,
  recordingSleep,
  useConnectorForge,
  useFakes,
} from './support/connectors.js';

const fake = createSapFake();
const http = useFakes([fake]);

const credentials = () => ({
  baseUrl: fake.url,
  username: fake.credentials.user,
  password: fake.credentials.password,
  sapClient: fake.credentials.client,
});

const sap = connectorMaker(createSapConnector, () => ({ credentials: credentials(), http, ha: quickHa }));

const ROOT = '/sap/opu/odata/sap';
const csrfFetches = (service: string) =>
  fake.service.requests.filter(
    (r) => r.method === 'GET' && r.path === `${ROOT}/${service}/` && r.headers['x-csrf-token'] === 'Fetch',
  );
const posts = (path: string) => fake.service.requestsTo('POST', `${ROOT}/${path}`);
/** The session cookie Gateway set, as `name=value`. */
const sessionCookie = (cookie: string | undefined) => /SAP_SESSIONID_ER9_100=[^;]+/.exec(cookie ?? '')?.[0];

let productNumber = 0;
/** A product number no other test in this run has used (the fake's store lives as long as the file). */
const newProduct = () => `FF-MAT-${process.pid}-${++productNumber}`;

const purchaseOrderInput = (material?: string) => ({
  companyCode: '1010',
  supplier: '17300001',
  purchasingOrganization: '1010',
  purchasingGroup: '001',
  currency: 'EUR',
  items: [
    {
      ...(material ? { material } : {}),
      plant: '1010',
      quantity: 7,
      unit: 'EA',
      netPrice: '130.00',
      priceQuantity: 1,
    },
  ],
});

function expectCsrfWrite(request: RecordedRequest | undefined, fetched: RecordedRequest[]) {
  expect(request?.headers.authorization).toBe(fake.basicAuth);
  expect(request?.headers.accept).toBe('application/json');
  expect(request?.query.get('sap-client')).toBe('100');
  const token = request?.headers['x-csrf-token'];
  expect(token).toBeTruthy();
  expect(token).not.toBe('Fetch');
  expect(sessionCookie(request?.headers.cookie)).toBeDefined();
  expect(request?.headers.cookie).toContain('sap-usercontext=sap-client=100');
  expect(fetched.length).toBeGreaterThan(0);
}

describe('SAP S/4HANA connector', () => {
  it('tests the connection with a CSRF fetch on each service root (Basic auth, sap-client, JSON)', async () => {
    const result = await sap().testConnection();
    expect(result).toMatchObject({
      success: true,
      data: {
        user: 'FILEFORGE_COMM',
        sapClient: '100',
        services: { API_PRODUCT_SRV: 'ok', API_PURCHASEORDER_PROCESS_SRV: 'ok', API_CV_ATTACHMENT_SRV: 'ok' },
      },
    });
    for (const service of ['API_PRODUCT_SRV', 'API_PURCHASEORDER_PROCESS_SRV', 'API_CV_ATTACHMENT_SRV']) {
      const [fetch] = csrfFetches(service);
      expect(fetch?.headers.authorization).toBe(fake.basicAuth);
      expect(fetch?.headers.accept).toBe('application/json');
      expect(fetch?.query.get('sap-client')).toBe('100');
    }
  });

  it('refuses a wrong password with INTEGRATION_REJECTED (401) and no retry', async () => {
    const result = await sap({ credentials: { ...credentials(), password: 'wrong' } }).testConnection();
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: { code: 'INTEGRATION_REJECTED', details: { integration: 'sap', status: 401 } },
    });
    expect(result.error?.message).toMatch(/communication user and password/);
    expect(fake.service.requests).toHaveLength(1);
  });

  it('creates a product: one CSRF fetch, then POST A_Product with token, cookies and the V2 body', async () => {
    const product = newProduct();
    const connector = sap();
    const result = await connector.action('createProduct', {
      product,
      productType: 'FERT',
      baseUnit: 'EA',
      industrySector: 'M',
      productGroup: 'L001',
      descriptions: [{ language: 'EN', description: 'FileForge test material' }],
    });
    expect(result).toMatchObject({
      success: true,
      attempt: 1,
      data: { product, productType: 'FERT', baseUnit: 'EA' },
    });
    const data = result.data as { createdAt: string; uri: string };
    expect(data.createdAt).toMatch(/^\d{4}-\d\d-\d\dT00:00:00\.000Z$/);
    expect(data.uri).toBe(`${fake.url}${ROOT}/API_PRODUCT_SRV/A_Product('${product}')`);

    const fetched = csrfFetches('API_PRODUCT_SRV');
    expect(fetched).toHaveLength(1);
    const [post] = posts('API_PRODUCT_SRV/A_Product');
    expectCsrfWrite(post, fetched);
    expect(post?.headers['content-type']).toMatch(/^application\/json/);
    expect(post?.json).toEqual({
      Product: product,
      ProductType: 'FERT',
      BaseUnit: 'EA',
      IndustrySector: 'M',
      ProductGroup: 'L001',
      to_Description: {
        results: [{ Product: product, Language: 'EN', ProductDescription: 'FileForge test material' }],
      },
    });
    const stored = fake.products.get(product);
    expect(stored).toMatchObject({ ProductType: 'FERT', BaseUnit: 'EA' });
    expect(stored?.to_Description).toMatchObject({ results: [expect.anything()] });
    expect((stored!.to_Description as { results: unknown[] }).results).toHaveLength(1);

    // the token and cookies are kept per service: a second write fetches nothing
    const again = await connector.action('createProduct', { productType: 'FERT', baseUnit: 'EA' });
    expect(again.success).toBe(true);
    expect(csrfFetches('API_PRODUCT_SRV')).toHaveLength(1);
    const [first, second] = posts('API_PRODUCT_SRV/A_Product');
    expect(second?.headers['x-csrf-token']).toBe(first?.headers['x-csrf-token']);
  });

  it('creates a purchase order as a deep insert with its items, decimals as strings', async () => {
    const material = newProduct();
    const connector = sap();
    expect(
      (await connector.action('createProduct', { product: material, productType: 'FERT', baseUnit: 'EA' }))
        .success,
    ).toBe(true);

    const result = await connector.action('createPurchaseOrder', purchaseOrderInput(material));
    expect(result).toMatchObject({ success: true, attempt: 1 });
    const data = result.data as { purchaseOrder: string; items: unknown[] };
    expect(data.purchaseOrder).toMatch(/^\d{10}$/);
    expect(data).toMatchObject({
      purchaseOrderType: 'NB',
      supplier: '17300001',
      companyCode: '1010',
      currency: 'EUR',
      items: [{ item: '10', material, plant: '1010', quantity: '7', netPrice: '130.00' }],
    });

    const [post] = posts('API_PURCHASEORDER_PROCESS_SRV/A_PurchaseOrder');
    expectCsrfWrite(post, csrfFetches('API_PURCHASEORDER_PROCESS_SRV'));
    expect(post?.json).toEqual({
      CompanyCode: '1010',
      PurchaseOrderType: 'NB',
      Supplier: '17300001',
      PurchasingOrganization: '1010',
      PurchasingGroup: '001',
      DocumentCurrency: 'EUR',
      to_PurchaseOrderItem: [
        {
          PurchaseOrderItem: '10',
          Material: material,
          Plant: '1010',
          OrderQuantity: '7',
          PurchaseOrderQuantityUnit: 'EA',
          NetPriceAmount: '130.00',
          NetPriceQuantity: '1',
        },
      ],
    });
    const stored = fake.purchaseOrders.get(data.purchaseOrder);
    expect(stored).toMatchObject({ Supplier: '17300001', PurchaseOrderType: 'NB' });
    expect((stored!.to_PurchaseOrderItem as { results: unknown[] }).results).toMatchObject([
      { PurchaseOrderItem: '10', Material: material, OrderQuantity: '7' },
    ]);
  });

  it("maps Gateway's business error to INTEGRATION_REJECTED with SAP's message code, sent once", async () => {
    const before = fake.purchaseOrders.size;
    const result = await sap().action('createPurchaseOrder', {
      ...purchaseOrderInput(),
      supplier: '99999999',
    });
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: {
        code: 'INTEGRATION_REJECTED',
        details: {
          integration: 'sap',
          status: 400,
          vendorCode: 'ME/025',
          errorDetails: [{ code: 'ME/025', message: 'Supplier 99999999 does not exist', target: 'Supplier' }],
        },
      },
    });
    expect(result.error?.message).toContain('Supplier 99999999 does not exist');
    expect((result.error!.details as { transactionId: string }).transactionId).toMatch(/^[0-9A-F]{32}$/);
    expect(posts('API_PURCHASEORDER_PROCESS_SRV/A_PurchaseOrder')).toHaveLength(1);
    expect(fake.purchaseOrders.size).toBe(before);
  });

  it('fetches exactly one new CSRF token when Gateway answers 403 x-csrf-token: Required, then succeeds', async () => {
    const connector = sap();
    expect((await connector.action('createProduct', { productType: 'FERT', baseUnit: 'EA' })).success).toBe(
      true,
    );
    fake.expireCsrfTokens();

    const product = newProduct();
    const result = await connector.action('createProduct', { product, productType: 'FERT', baseUnit: 'EA' });
    expect(result).toMatchObject({ success: true, attempt: 1, data: { product } });
    expect(fake.products.has(product)).toBe(true);

    const fetched = csrfFetches('API_PRODUCT_SRV');
    expect(fetched).toHaveLength(2);
    const writes = posts('API_PRODUCT_SRV/A_Product');
    expect(writes).toHaveLength(3); // first product, the refused one, the one with the new token
    expect(writes[2]?.headers['x-csrf-token']).not.toBe(writes[1]?.headers['x-csrf-token']);
    expect(sessionCookie(writes[2]?.headers.cookie)).not.toBe(sessionCookie(writes[1]?.headers.cookie));
  });

  it('reports a token refused twice (no sticky sessions) as INTEGRATION_REJECTED after one refetch', async () => {
    fake.service.inject({
      status: 403,
      headers: { 'x-csrf-token': 'Required' },
      body: 'CSRF token validation failed',
      match: (r) => r.method === 'POST',
      times: 2,
    });
    const result = await sap().action('createProduct', { productType: 'FERT', baseUnit: 'EA' });
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: { code: 'INTEGRATION_REJECTED', details: { vendorCode: 'CSRF_TOKEN_REQUIRED', status: 403 } },
    });
    expect(result.error?.message).toMatch(/sticky/);
    expect(csrfFetches('API_PRODUCT_SRV')).toHaveLength(2);
    expect(posts('API_PRODUCT_SRV/A_Product')).toHaveLength(2);
  });

  it('waits for Retry-After on 503 and succeeds', async () => {
    fake.service.inject(sapFaults.unavailable(1));
    const { waits, sleep } = recordingSleep();
    const result = await sap({ clock: { sleep } }).action('createProduct', {
      productType: 'FERT',
      baseUnit: 'EA',
    });
    expect(result).toMatchObject({ success: true, attempt: 2 });
    expect(waits).toEqual([1000]);
  });

  it('waits for Retry-After on 429 from a layer in front of Gateway and sends the write again', async () => {
    const { waits, sleep } = recordingSleep();
    const throttled = sap({ clock: { sleep } });
    expect((await throttled.testConnection()).success).toBe(true);
    fake.service.inject({ ...sapFaults.throttled(2), match: (r) => r.method === 'POST' });
    const result = await throttled.action('createProduct', { productType: 'ROH', baseUnit: 'KG' });
    expect(result).toMatchObject({ success: true, attempt: 2 });
    expect(waits).toEqual([2000]);
    expect(posts('API_PRODUCT_SRV/A_Product')).toHaveLength(2);
  });

  it('re-opens the file when an upload is refused for its CSRF token', async () => {
    const connector = sap();
    const order = await connector.action<{ purchaseOrder: string }>(
      'createPurchaseOrder',
      purchaseOrderInput(),
    );
    expect(order.success).toBe(true);
    const objectKey = order.data!.purchaseOrder;
    // the attachment service has no token yet: warm every service, expire the tokens, then upload
    expect((await connector.testConnection()).success).toBe(true);
    fake.expireCsrfTokens();

    const bytes = writePdf({ pages: ['Delivery note'] });
    const file = memoryFile(bytes, 'delivery-note.pdf');
    const result = await connector.action('uploadAttachment', { objectKey }, { file });
    expect(result).toMatchObject({
      success: true,
      attempt: 1,
      data: { objectKey, fileName: 'delivery-note.pdf' },
    });
    expect(file.opened).toBe(2);
    const uploads = posts('API_CV_ATTACHMENT_SRV/AttachmentContentSet');
    expect(uploads).toHaveLength(2);
    expect(uploads[1]?.body.equals(bytes)).toBe(true);
    const stored = fake.attachments.filter((a) => a.entity.LinkedSAPObjectKey === objectKey);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.content.equals(bytes)).toBe(true);
  });

  it('fails at construction on a malformed sap-client, naming the field only', () => {
    expect(() => sap({ credentials: { ...credentials(), sapClient: 'abc' } })).toThrow(
      /Invalid credentials: sapClient$/,
    );
  });
});

describe('SAP uploadAttachment through the integrations service', () => {
  const t = useConnectorForge({ ha: quickHa });

  it('shows a base URL in the status and health without the credentials or query put into it', async () => {
    const url = new URL(fake.url);
    url.username = 'svc';
    url.password = 'S3cretPw';
    url.search = '?apikey=abc123';
    await t.service.connect('sap', { ...credentials(), baseUrl: url.href }, { test: false });
    const shown = JSON.stringify([await t.service.status('sap'), await t.service.health()]);
    expect(shown).toContain(new URL(fake.url).host);
    expect(shown).not.toMatch(/S3cretPw|abc123|svc@/);
  });

  it('streams a stored PDF to AttachmentContentSet with Slug, BusinessObjectTypeName and LinkedSAPObjectKey', async () => {
    await t.service.connect('sap', credentials());
    const order = await t.service.action<{ purchaseOrder: string }>(
      'sap',
      'createPurchaseOrder',
      purchaseOrderInput(),
    );
    expect(order.success).toBe(true);
    const objectKey = order.data!.purchaseOrder;
    const pdf = writePdf({ pages: ['FileForge invoice 42'], title: 'Invoice 42' });
    const fileId = await t.store('Rechnung-42 (März).pdf', pdf);
    fake.service.requests.length = 0;

    const result = await t.service.action('sap', 'uploadAttachment', { objectKey }, { fileId });
    expect(result).toMatchObject({
      success: true,
      data: {
        businessObjectType: 'BUS2012',
        objectKey,
        fileName: 'Rechnung-42 (März).pdf',
        mimeType: 'application/pdf',
        fileSize: String(pdf.length),
        documentType: 'SAT',
      },
    });
    expect((result.data as { documentNumber: string }).documentNumber).toMatch(/^\d+$/);

    const [upload] = posts('API_CV_ATTACHMENT_SRV/AttachmentContentSet');
    expect(upload?.headers.authorization).toBe(fake.basicAuth);
    expect(upload?.headers.accept).toBe('application/json');
    expect(upload?.headers['x-csrf-token']).toBeTruthy();
    expect(sessionCookie(upload?.headers.cookie)).toBeDefined();
    expect(upload?.headers.slug).toBe(encodeURIComponent('Rechnung-42 (März).pdf'));
    expect(upload?.headers.businessobjecttypename).toBe('BUS2012');
    expect(upload?.headers.linkedsapobjectkey).toBe(objectKey);
    expect(upload?.headers['content-type']).toBe('application/pdf');
    expect(upload?.headers['content-length']).toBe(String(pdf.length));
    expect(upload?.body.equals(pdf)).toBe(true);

    const [stored] = fake.attachments.filter((a) => a.entity.LinkedSAPObjectKey === objectKey);
    expect(stored?.content.equals(pdf)).toBe(true);
    expect(stored?.entity.BusinessObjectTypeName).toBe('BUS2012');

    // listAttachments reads them back with GetAllOriginals (quoted literals, no CSRF: a read)
    const listed = await t.service.action('sap', 'listAttachments', { objectKey });
    expect(listed).toMatchObject({
      success: true,
      data: { attachments: [{ objectKey, fileName: 'Rechnung-42 (März).pdf', mimeType: 'application/pdf' }] },
    });
    const [read] = fake.service.requestsTo('GET', `${ROOT}/API_CV_ATTACHMENT_SRV/GetAllOriginals`);
    expect(Object.fromEntries(read!.query)).toEqual({
      'sap-client': '100',
      BusinessObjectTypeName: "'BUS2012'",
      LinkedSAPObjectKey: `'${objectKey}'`,
    });
    expect(read?.headers.authorization).toBe(fake.basicAuth);
    expect(read?.headers.accept).toBe('application/json');
    expect(read?.headers['x-csrf-token']).toBeUndefined();
  });

  it('refuses an attachment to a purchase order SAP does not know, without retrying', async () => {
    const fileId = await t.store('orphan.pdf', writePdf());
    fake.service.requests.length = 0;
    const result = await t.service.action('sap', 'uploadAttachment', { objectKey: '4499999999' }, { fileId });
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: { code: 'INTEGRATION_REJECTED', details: { vendorCode: 'CV/020', status: 400 } },
    });
    expect(posts('API_CV_ATTACHMENT_SRV/AttachmentContentSet')).toHaveLength(1);
  });
});
