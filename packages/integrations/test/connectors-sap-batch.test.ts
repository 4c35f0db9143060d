/**
 * Issue 11: SAP `createProducts` — one OData V2 `$batch` change set, all or nothing — against
 * the faithful Gateway fake, whose batch runs each operation through its own entity routes.
 */
import { createRng } from '@fileforge/test-fixtures/random';
import { describe, expect, it } from 'vitest';
import { createSapConnector } from '../src/connectors/index.js';
import { httpPart, joinParts } from '../src/connectors/multipart-mixed.js';
import { splitMultipart } from './fakes/mime-parts.js';
import { createSapFake } from './fakes/sap.js';
import { connectorMaker, quickHa, useFakes } from './support/connectors.js';

const fake = createSapFake();
const http = useFakes([fake]);
const sap = connectorMaker(createSapConnector, () => ({
  credentials: {
    baseUrl: fake.url,
    username: fake.credentials.user,
    password: fake.credentials.password,
    sapClient: fake.credentials.client,
  },
  http,
  ha: quickHa,
}));

const ROOT = '/sap/opu/odata/sap/API_PRODUCT_SRV';
const batches = () => fake.service.requestsTo('POST', `${ROOT}/$batch`);
const csrfFetches = () =>
  fake.service.requests.filter((r) => r.method === 'GET' && r.headers['x-csrf-token'] === 'Fetch');
let n = 0;
const newProduct = () => `FF-BATCH-${process.pid}-${++n}`;
const product = (id: string) => ({ product: id, productType: 'FERT', baseUnit: 'EA' });

describe('SAP createProducts ($batch change set)', () => {
  it('sends one multipart/mixed $batch with the CSRF token: a change set of application/http POSTs', async () => {
    const [a, b] = [newProduct(), newProduct()];
    const result = await sap().action('createProducts', {
      products: [product(a), { ...product(b), descriptions: [{ language: 'EN', description: 'Second' }] }],
    });
    expect(result).toMatchObject({
      success: true,
      attempt: 1,
      data: {
        products: [
          { product: a, productType: 'FERT' },
          { product: b, baseUnit: 'EA' },
        ],
      },
    });
    expect(fake.products.has(a) && fake.products.has(b)).toBe(true);
    expect(fake.service.requestsTo('POST', `${ROOT}/A_Product`)).toHaveLength(0);

    const [batch] = batches();
    expect(batch?.headers.authorization).toBe(fake.basicAuth);
    expect(batch?.query.get('sap-client')).toBe('100');
    expect(batch?.headers.accept).toBe('multipart/mixed');
    expect(csrfFetches()).toHaveLength(1);
    expect([...fake.sessions.values()]).toContain(batch?.headers['x-csrf-token']);
    expect(batch?.headers.cookie).toMatch(/SAP_SESSIONID_ER9_100=/);
    const boundary = /^multipart\/mixed; boundary=(batch_\w+)$/.exec(
      batch?.headers['content-type'] ?? '',
    )?.[1];
    const [changeset, ...others] = splitMultipart(batch!.body, boundary!) ?? [];
    expect(others).toEqual([]);
    const inner = /^multipart\/mixed; boundary=(changeset_\w+)$/.exec(
      changeset?.headers['content-type'] ?? '',
    )?.[1];
    const operations = splitMultipart(changeset!.body, inner!) ?? [];
    expect(operations).toHaveLength(2);
    for (const [i, op] of operations.entries()) {
      expect(op.headers).toEqual({
        'content-type': 'application/http',
        'content-transfer-encoding': 'binary',
      });
      const [head = '', json = ''] = op.body.toString('utf8').split('\r\n\r\n');
      expect(head.split('\r\n')).toEqual([
        'POST A_Product HTTP/1.1',
        'Accept: application/json',
        `Content-ID: ${i + 1}`,
        'Content-Type: application/json',
      ]);
      expect(JSON.parse(json)).toMatchObject({
        Product: i === 0 ? a : b,
        ProductType: 'FERT',
        BaseUnit: 'EA',
      });
    }
  });

  it('creates none when SAP refuses one: the change set is rolled back and SAP’s message reported', async () => {
    const existing = newProduct();
    expect((await sap().action('createProduct', product(existing))).success).toBe(true);
    const fresh = newProduct();
    const result = await sap().action('createProducts', { products: [product(fresh), product(existing)] });
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: { code: 'INTEGRATION_REJECTED', details: { status: 400, vendorCode: 'M3/351' } },
    });
    expect(result.error?.message).toContain(`Material ${existing} already exists`);
    expect(fake.products.has(fresh)).toBe(false);
    expect(batches()).toHaveLength(1);
  });

  it('fetches one new CSRF token when the batch is refused for it, then succeeds', async () => {
    const connector = sap();
    expect((await connector.action('createProducts', { products: [product(newProduct())] })).success).toBe(
      true,
    );
    fake.expireCsrfTokens();
    const id = newProduct();
    const result = await connector.action('createProducts', { products: [product(id)] });
    expect(result).toMatchObject({ success: true, attempt: 1 });
    expect(fake.products.has(id)).toBe(true);
    expect(csrfFetches()).toHaveLength(2);
    expect(batches()).toHaveLength(3); // first, refused, with the new token
  });
});

describe('SAP createProducts: a damaged $batch answer', () => {
  /** A well-formed answer to a change set of two creates, as Gateway writes it. */
  function goodAnswer(products: string[]) {
    const inner = joinParts(
      'changeset_ff',
      products.map((p, i) =>
        httpPart(
          'HTTP/1.1 201 Created',
          { 'Content-Type': 'application/json', 'Content-ID': String(i + 1) },
          JSON.stringify({ d: { Product: p, ProductType: 'FERT', BaseUnit: 'EA' } }),
        ),
      ),
    );
    return joinParts('batch_ff', [`Content-Type: multipart/mixed; boundary=changeset_ff\r\n\r\n${inner}`]);
  }

  it('is read correctly when intact (the fuzz below starts from a sound answer)', async () => {
    const [a, b] = [newProduct(), newProduct()];
    fake.service.inject({
      status: 202,
      headers: { 'content-type': 'multipart/mixed; boundary=batch_ff' },
      body: goodAnswer([a, b]),
      match: (r) => r.method === 'POST' && r.path === `${ROOT}/$batch`,
    });
    const result = await sap().action('createProducts', { products: [product(a), product(b)] });
    expect(result).toMatchObject({ success: true, data: { products: [{ product: a }, { product: b }] } });
  });

  it('never fails with anything but a vendor error, whatever bytes are flipped or cut (seeded fuzz)', async () => {
    const codes = new Map<string, number>();
    for (let seed = 1; seed <= 60; seed++) {
      const r = createRng(seed);
      const [a, b] = [newProduct(), newProduct()];
      const bytes = Buffer.from(goodAnswer([a, b]), 'latin1');
      let damaged: Buffer;
      if (seed % 3 === 0) {
        damaged = bytes.subarray(0, r.int(0, bytes.length - 1));
      } else {
        damaged = Buffer.from(bytes);
        for (let i = r.int(1, 6); i > 0; i--) {
          const at = r.int(0, damaged.length - 1);
          damaged[at] = r.pick([0x0d, 0x0a, 0x2d, 0x3a, 0x22, 0x7b, 0x7d, 0x20, r.int(0, 255)]);
        }
      }
      fake.service.inject({
        status: 202,
        headers: { 'content-type': 'multipart/mixed; boundary=batch_ff' },
        body: damaged.toString('latin1'),
        match: (req) => req.method === 'POST' && req.path === `${ROOT}/$batch`,
      });
      const result = await sap().action('createProducts', { products: [product(a), product(b)] });
      const outcome = result.success ? 'ok' : (result.error?.code ?? 'none');
      expect(
        ['ok', 'UPSTREAM_ERROR', 'INTEGRATION_REJECTED'],
        `seed ${seed}: ${result.error?.message}`,
      ).toContain(outcome);
      // A vendor error names the integration; a TypeError from a misread answer would not.
      if (!result.success)
        expect(result.error?.details, `seed ${seed}: ${result.error?.message}`).toMatchObject({
          integration: 'sap',
        });
      if (result.success) {
        // Read as a success only when both products came back named.
        const { products } = result.data as { products: { product?: unknown }[] };
        expect(products.map((p) => typeof p.product)).toEqual(['string', 'string']);
      }
      codes.set(outcome, (codes.get(outcome) ?? 0) + 1);
    }
    // The cases reach both the framing checks and the reading of the parts.
    expect(codes.get('UPSTREAM_ERROR'), JSON.stringify([...codes])).toBeGreaterThan(0);
  });
});
