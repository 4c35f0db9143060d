import { writePdf } from '@fileforge/test-fixtures/pdf';
import { describe, expect, it } from 'vitest';
import { createOracleConnector } from '../src/connectors/index.js';
import { createOracleFake, oracleFaults } from './fakes/oracle.js';
import {
  connectorMaker,
  memoryFile,
  quickHa,
  recordingSleep,
  useConnectorForge,
  useFakes,
} from './support/connectors.js';

const fake = createOracleFake();
/** An identity domain whose client secret holds what form-encoding would change. */
const awkward = createOracleFake({ clientSecret: 'Ab+c/d=e f:g@h' });
const http = useFakes([fake, awkward]);

const credentials = () => ({
  baseUrl: fake.url,
  identityDomainUrl: fake.url,
  clientId: fake.credentials.clientId,
  clientSecret: fake.credentials.clientSecret,
  scope: fake.credentials.scope,
});

const oracle = connectorMaker(createOracleConnector, () => ({
  credentials: credentials(),
  http,
  ha: quickHa,
}));

const API = '/fscmRestApi/resources/11.13.18.05';
const ADF_ITEM = 'application/vnd.oracle.adf.resourceitem+json';
const tokenRequests = () => fake.service.requestsTo('POST', '/oauth2/v1/token');
const api = (method: string, path: string) => fake.service.requestsTo(method, `${API}/${path}`);

let sequence = 0;
/** A name no other test in this run has used (the fake's stores live as long as the file). */
const unique = (prefix: string) => `${prefix} ${process.pid}-${++sequence}`;

const invoiceInput = (invoiceNumber = unique('FF-INV')) => ({
  invoiceNumber,
  currency: 'USD',
  amount: 2212.75,
  invoiceDate: '2025-08-01',
  businessUnit: 'Vision Operations',
  supplier: 'Advanced Network Devices',
  supplierSite: 'FRESNO',
  invoiceGroup: 'Aug2025',
  description: 'Office Supplies',
  lines: [{ amount: 2212.75, distributionCombination: '01-000-7110-0000-000' }],
});

describe('Oracle ERP Cloud connector', () => {
  it('tests the connection: client credentials with Basic client auth, then one supplier read (framework 4)', async () => {
    const result = await oracle().testConnection();
    expect(result).toMatchObject({
      success: true,
      data: { apiBase: `${fake.apiUrl}/`, frameworkVersion: '4', suppliersVisible: true },
    });
    const [token] = tokenRequests();
    const basic = Buffer.from(`${fake.credentials.clientId}:${fake.credentials.clientSecret}`).toString(
      'base64',
    );
    expect(token?.headers.authorization).toBe(`Basic ${basic}`);
    expect(token?.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(Object.fromEntries(new URLSearchParams(token!.body.toString('utf8')))).toEqual({
      grant_type: 'client_credentials',
      scope: 'urn:opc:resource:consumer::all',
    });
    const [read] = api('GET', 'suppliers');
    expect(read?.headers.authorization).toMatch(/^Bearer client:ff-oracle-client\./);
    expect(read?.headers['rest-framework-version']).toBe('4');
    expect(read?.query.get('limit')).toBe('1');
  });

  it('sends a client secret with + / = : @ and a space in Basic as it is, not form-encoded', async () => {
    const result = await oracle({
      credentials: {
        ...credentials(),
        baseUrl: awkward.url,
        identityDomainUrl: awkward.url,
        clientSecret: awkward.credentials.clientSecret,
      },
    }).testConnection();
    expect(result).toMatchObject({ success: true });
    const [token] = awkward.service.requestsTo('POST', '/oauth2/v1/token');
    const basic = Buffer.from(`ff-oracle-client:Ab+c/d=e f:g@h`, 'utf8').toString('base64');
    expect(token?.headers.authorization).toBe(`Basic ${basic}`);
  });

  it('refuses a wrong client secret at the token endpoint with INTEGRATION_REJECTED, no retry', async () => {
    const result = await oracle({ credentials: { ...credentials(), clientSecret: 'nope' } }).testConnection();
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: { code: 'INTEGRATION_REJECTED', details: { status: 401, vendorCode: 'invalid_client' } },
    });
    expect(tokenRequests()).toHaveLength(1);
    expect(api('GET', 'suppliers')).toHaveLength(0);
  });

  it('creates a supplier with an ADF item body', async () => {
    const name = unique('Lee Supplies');
    const result = await oracle().action('createSupplier', { supplier: name, taxpayerId: '94-1234567' });
    expect(result).toMatchObject({ success: true, attempt: 1, data: { supplier: name, status: 'ACTIVE' } });
    const data = result.data as { supplierId: number; supplierNumber: string; self: string };
    expect(data.self).toBe(`${fake.apiUrl}/suppliers/${data.supplierId}`);

    const [post] = api('POST', 'suppliers');
    expect(post?.headers['content-type']).toBe(ADF_ITEM);
    expect(post?.headers['rest-framework-version']).toBe('4');
    expect(post?.headers.authorization).toMatch(/^Bearer /);
    expect(post?.json).toEqual({
      Supplier: name,
      TaxOrganizationTypeCode: 'CORPORATION',
      BusinessRelationshipCode: 'SPEND_AUTHORIZED',
      TaxpayerId: '94-1234567',
    });
    expect(fake.suppliers.get(data.supplierId)).toMatchObject({
      Supplier: name,
      SupplierNumber: data.supplierNumber,
    });
  });

  it('creates a Payables invoice with its invoiceLines', async () => {
    const input = invoiceInput();
    const result = await oracle().action('createInvoice', input);
    expect(result).toMatchObject({
      success: true,
      attempt: 1,
      data: { invoiceNumber: input.invoiceNumber, validationStatus: 'Not validated' },
    });
    const { invoiceId, supplierNumber } = result.data as { invoiceId: number; supplierNumber: string };
    expect(supplierNumber).toMatch(/^\d+$/);

    const [post] = api('POST', 'invoices');
    expect(post?.headers['content-type']).toBe(ADF_ITEM);
    expect(post?.headers['rest-framework-version']).toBe('4');
    expect(post?.json).toEqual({
      InvoiceNumber: input.invoiceNumber,
      InvoiceCurrency: 'USD',
      InvoiceAmount: 2212.75,
      InvoiceDate: '2025-08-01',
      BusinessUnit: 'Vision Operations',
      Supplier: 'Advanced Network Devices',
      SupplierSite: 'FRESNO',
      InvoiceGroup: 'Aug2025',
      Description: 'Office Supplies',
      invoiceLines: [{ LineNumber: 1, LineAmount: 2212.75, DistributionCombination: '01-000-7110-0000-000' }],
    });
    expect(fake.invoices.get(invoiceId)).toMatchObject({
      InvoiceNumber: input.invoiceNumber,
      invoiceLines: [{ LineNumber: 1, LineAmount: 2212.75 }],
    });
  });

  it('maps a v4 error to INTEGRATION_REJECTED with every o:errorDetails entry, sent once', async () => {
    const before = fake.invoices.size;
    const result = await oracle().action('createInvoice', { ...invoiceInput(), businessUnit: 'Atlantis' });
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: {
        code: 'INTEGRATION_REJECTED',
        details: {
          integration: 'oracle',
          status: 400,
          vendorCode: 'AP-810002',
          errorDetails: [
            { detail: 'The business unit Atlantis is not valid.', code: 'AP-810002', path: 'BusinessUnit' },
          ],
        },
      },
    });
    expect(result.error?.message).toContain('The business unit Atlantis is not valid.');
    expect(api('POST', 'invoices')).toHaveLength(1);
    expect(fake.invoices.size).toBe(before);
  });

  it('reads the plain-text errors of older framework versions', async () => {
    fake.service.inject({
      status: 400,
      body: 'Invalid operation create for the specified resource.',
      match: (r) => r.method === 'POST' && r.path === `${API}/suppliers`,
    });
    const result = await oracle().action('createSupplier', { supplier: unique('Plain') });
    expect(result).toMatchObject({ success: false, attempt: 1, error: { code: 'INTEGRATION_REJECTED' } });
    expect(result.error?.message).toContain('Invalid operation create for the specified resource.');
  });

  it('explains a 403 as a missing Fusion role, without retrying', async () => {
    fake.service.inject(oracleFaults.forbidden());
    const result = await oracle().action('createSupplier', { supplier: unique('Forbidden') });
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: { code: 'INTEGRATION_REJECTED', details: { status: 403 } },
    });
    expect(result.error?.message).toMatch(/Fusion role/);
    expect(api('POST', 'suppliers')).toHaveLength(1);
  });

  it('gets exactly one new token when the old one has expired', async () => {
    const connector = oracle();
    expect((await connector.action('createSupplier', { supplier: unique('Before expiry') })).success).toBe(
      true,
    );
    const issued = fake.service.tokens.issued;
    fake.service.tokens.expireAll();

    const result = await connector.action('createSupplier', { supplier: unique('After expiry') });
    expect(result).toMatchObject({ success: true, attempt: 1 });
    expect(fake.service.tokens.issued).toBe(issued + 1);
    expect(tokenRequests()).toHaveLength(2);
    const posts = api('POST', 'suppliers');
    expect(posts).toHaveLength(3); // one, the refused one, the one with the new token
    expect(posts[2]?.headers.authorization).not.toBe(posts[1]?.headers.authorization);
    expect(posts[2]?.json).toEqual(posts[1]?.json);
  });

  it('waits for Retry-After on 429 and succeeds', async () => {
    fake.service.inject(oracleFaults.throttled(1));
    const { waits, sleep } = recordingSleep();
    const result = await oracle({ clock: { sleep } }).action('createSupplier', {
      supplier: unique('Throttled'),
    });
    expect(result).toMatchObject({ success: true, attempt: 2 });
    expect(waits).toEqual([1000]);
    expect(api('POST', 'suppliers')).toHaveLength(2);
  });

  it('waits for Retry-After on 503 and succeeds', async () => {
    fake.service.inject(oracleFaults.unavailable(2));
    const { waits, sleep } = recordingSleep();
    const result = await oracle({ clock: { sleep } }).action('createInvoice', invoiceInput());
    expect(result).toMatchObject({ success: true, attempt: 2 });
    expect(waits).toEqual([2000]);
  });

  it('attaches a file to a supplier with DatatypeCode FILE and base64 FileContents', async () => {
    const supplier = fake.seedSupplier(unique('Seeded'), ['MAIN']);
    const bytes = writePdf({ pages: ['W-9'] });
    const file = memoryFile(bytes, 'w9.pdf');
    const result = await oracle().action(
      'uploadAttachment',
      { supplierId: supplier.SupplierId as number, title: 'W-9', category: 'From Supplier' },
      { file },
    );
    expect(result).toMatchObject({
      success: true,
      data: { fileName: 'w9.pdf', title: 'W-9', contentType: 'application/pdf', length: bytes.length },
    });
    const [post] = api('POST', `suppliers/${supplier.SupplierId}/child/attachments`);
    expect(post?.headers['content-type']).toBe(ADF_ITEM);
    expect(post?.headers['rest-framework-version']).toBe('4');
    expect(post?.json).toEqual({
      DatatypeCode: 'FILE',
      CategoryName: 'From Supplier',
      FileName: 'w9.pdf',
      Title: 'W-9',
      FileContents: bytes.toString('base64'),
    });
    const [stored] = fake.attachments.get(`suppliers/${supplier.SupplierId}`) ?? [];
    expect(stored?.content.equals(bytes)).toBe(true);
  });

  it('refuses an attachment naming both an invoice and a supplier, before any call', async () => {
    const result = await oracle().action(
      'uploadAttachment',
      { invoiceId: 1, supplierId: 2 },
      { file: memoryFile(Buffer.from('x')) },
    );
    expect(result).toMatchObject({ success: false, error: { code: 'VALIDATION_FAILED' } });
    expect(fake.service.requests).toHaveLength(0);
  });
});

describe('Oracle uploadAttachment through the integrations service', () => {
  const t = useConnectorForge({ ha: quickHa });

  it('attaches a stored PDF to an invoice as base64 FileContents (Type File, From Supplier)', async () => {
    await t.service.connect('oracle', credentials());
    const invoice = await t.service.action<{ invoiceId: number }>('oracle', 'createInvoice', invoiceInput());
    expect(invoice.success).toBe(true);
    const { invoiceId } = invoice.data!;
    const pdf = writePdf({ pages: ['FileForge invoice 42'], title: 'Invoice 42' });
    const fileId = await t.store('invoice-42.pdf', pdf);
    fake.service.requests.length = 0;

    const result = await t.service.action(
      'oracle',
      'uploadAttachment',
      { invoiceId, description: 'Scanned original' },
      { fileId },
    );
    expect(result).toMatchObject({
      success: true,
      data: { fileName: 'invoice-42.pdf', title: 'invoice-42', length: pdf.length },
    });
    const { attachedDocumentId, self } = result.data as { attachedDocumentId: number; self: string };
    expect(self).toBe(`${fake.apiUrl}/invoices/${invoiceId}/child/attachments/${attachedDocumentId}`);

    const [post] = api('POST', `invoices/${invoiceId}/child/attachments`);
    expect(post?.headers.authorization).toMatch(/^Bearer /);
    expect(post?.headers['content-type']).toBe(ADF_ITEM);
    expect(post?.headers['rest-framework-version']).toBe('4');
    expect(post?.json).toEqual({
      Type: 'File',
      Category: 'From Supplier',
      FileName: 'invoice-42.pdf',
      Title: 'invoice-42',
      Description: 'Scanned original',
      FileContents: pdf.toString('base64'),
    });
    const [stored] = fake.attachments.get(`invoices/${invoiceId}`) ?? [];
    expect(stored?.content.equals(pdf)).toBe(true);
    expect(stored?.item.AttachedDocumentId).toBe(attachedDocumentId);
  });

  it('refuses an attachment to an invoice Oracle does not know (404), without retrying', async () => {
    const fileId = await t.store('orphan.pdf', writePdf());
    fake.service.requests.length = 0;
    const result = await t.service.action('oracle', 'uploadAttachment', { invoiceId: 42 }, { fileId });
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: { code: 'INTEGRATION_REJECTED', details: { status: 404 } },
    });
    expect(api('POST', 'invoices/42/child/attachments')).toHaveLength(1);
  });
});
