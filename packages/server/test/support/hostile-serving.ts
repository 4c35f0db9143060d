/**
 * Catalogue rows for section I (serving stored files) and K1–K3 (rate limits that a client
 * must not be able to escape).
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { makePng } from './fixtures.js';
import { type HostileCase, TRUSTED_PROXY } from './hostile-case.js';
import { uploadOne } from './hostile-checks.js';
import { type CaseOutcome, codeOf, httpRequest, sameOutcome } from './hostile-requests.js';
import { authedFetch, type TestServer } from './server.js';

/** The headers that keep a served upload inert in a browser (security spec I1, B2). */
function expectInert(res: Response, label: string, disposition: RegExp = /^attachment/) {
  expect(res.headers.get('content-disposition'), label).toMatch(disposition);
  expect(res.headers.get('x-content-type-options'), label).toBe('nosniff');
  expect(res.headers.get('content-security-policy'), label).toMatch(/^sandbox/);
}

/** A fresh API key of the server's default tenant: its own rate-limit bucket. */
async function freshKey(server: TestServer, role: 'admin' | 'viewer' = 'viewer') {
  const res = await server.api('/api/v1/api-keys', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: `k-${randomBytes(4).toString('hex')}`, role }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { key: string }).key;
}

/** `RateLimit-Remaining` of a raw answer as a number. */
const remaining = (headers: Record<string, string>) => Number(headers['ratelimit-remaining']);

export const SERVING_CASES: HostileCase[] = [
  {
    id: 'I1',
    attack: 'stored HTML, SVG and a PNG+HTML polyglot served inert, even when asked inline',
    expected: { status: 200, code: null },
    seeAlso: 'hostile-uploads.test.ts (rejected originals)',
    async run(server) {
      const uploads: Array<[string, Uint8Array, string, RegExp]> = [
        ['page.html', Buffer.from('<!doctype html><script>alert(1)</script>'), 'text/html', /^attachment/],
        [
          'logo.svg',
          Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
          'image/svg+xml',
          /^attachment/,
        ],
        // An image on the inline allow-list stays inline on request, but still sandboxed and nosniff.
        [
          'poly.png',
          Buffer.concat([makePng(8, 8), Buffer.from('<html><script>alert(1)</script>')]),
          'image/png',
          /^inline/,
        ],
      ];
      const outcomes: Array<[string, CaseOutcome]> = [];
      for (const [name, bytes, type, disposition] of uploads) {
        const { file } = await uploadOne(server.api, name, bytes, type);
        const res = await server.api(`/api/v1/files/${file!.id}/download?inline=1`);
        expectInert(res, name, disposition);
        await res.arrayBuffer();
        outcomes.push([name, { status: res.status, code: null, storedIds: [file!.id] }]);
      }
      return sameOutcome(outcomes);
    },
  },
  {
    id: 'I2',
    attack: 'range abuse: 500 overlapping ranges, overlapping pairs, bytes=5-3 — the whole file with 200',
    expected: { status: 200, code: null },
    seeAlso: 'files-api.test.ts (bytes=5-3)',
    async run(server) {
      const bytes = randomBytes(4096);
      const { file } = await uploadOne(server.api, 'ranges.bin', bytes);
      const outcomes: Array<[string, CaseOutcome]> = [];
      for (const range of [
        `bytes=${Array(500).fill('0-').join(',')}`,
        'bytes=0-5,3-8',
        'bytes=5-3',
        'bytes=0-1,2-3',
      ]) {
        const start = performance.now();
        const res = await server.api(`/api/v1/files/${file!.id}/download`, { headers: { Range: range } });
        const body = Buffer.from(await res.arrayBuffer());
        expect(performance.now() - start, range.slice(0, 20)).toBeLessThan(5_000);
        if (res.status === 200) expect(body.equals(bytes), range.slice(0, 20)).toBe(true);
        outcomes.push([range.slice(0, 20), { status: res.status, code: null, storedIds: [file!.id] }]);
      }
      const single = await server.api(`/api/v1/files/${file!.id}/download`, {
        headers: { Range: 'bytes=2-5' },
      });
      expect(single.status).toBe(206);
      expect(Buffer.from(await single.arrayBuffer()).equals(bytes.subarray(2, 6))).toBe(true);
      return sameOutcome(outcomes);
    },
  },
  {
    id: 'I2',
    attack: 'a range past the end',
    expected: { status: 416, code: 'RANGE_NOT_SATISFIABLE' },
    async run(server) {
      const { file } = await uploadOne(server.api, 'short.bin', randomBytes(100));
      const res = await server.api(`/api/v1/files/${file!.id}/download`, {
        headers: { Range: 'bytes=100-' },
      });
      expect(res.headers.get('content-range')).toBe('bytes */100');
      return { status: res.status, code: codeOf(await res.text()), storedIds: [file!.id] };
    },
  },
  {
    id: 'I3',
    attack: "another tenant's admin reads, downloads and deletes a file by id",
    expected: { status: 404, code: 'NOT_FOUND' },
    seeAlso: 'access-matrix.test.ts',
    async run(server) {
      const bytes = randomBytes(1024);
      const { file } = await uploadOne(server.api, 'mine.bin', bytes);
      const other = await server.server.auth.createUser({
        email: `other-${randomBytes(4).toString('hex')}@acme.test`,
        password: 'correct horse battery staple',
        role: 'admin',
        tenant: 'acme',
      });
      const { key } = await server.server.auth.createApiKey(
        { kind: 'user', id: other.id, userId: other.id, tenant: other.tenant, role: other.role },
        { name: 'acme', role: 'admin' },
      );
      const api = authedFetch(server.url, { Authorization: `Bearer ${key}` });
      const outcomes: Array<[string, CaseOutcome]> = [];
      for (const [method, suffix] of [
        ['GET', ''],
        ['GET', '/download'],
        ['DELETE', ''],
      ] as const) {
        const res = await api(`/api/v1/files/${file!.id}${suffix}`, { method });
        outcomes.push([`${method}${suffix}`, { status: res.status, code: codeOf(await res.text()) }]);
      }
      const mine = await server.api(`/api/v1/files/${file!.id}/download`);
      expect(Buffer.from(await mine.arrayBuffer()).equals(bytes), 'the owner still has the file').toBe(true);
      return { ...sameOutcome(outcomes), storedIds: [file!.id] };
    },
  },
  {
    id: 'K1',
    attack: '100 anonymous requests each with a fresh X-Forwarded-For: the 101st is limited',
    server: 'limited',
    expected: { status: 429, code: 'RATE_LIMITED' },
    seeAlso: 'access-rate-limit.test.ts, middleware/rate-limit.test.ts',
    async run(server) {
      const spoofed = () => `203.0.113.${Math.floor(Math.random() * 250)}`;
      for (let i = 0; i < 100; i++) {
        const res = await httpRequest(server, {
          path: '/api/v1/files',
          auth: false,
          localAddress: '127.0.0.4',
          headers: { 'X-Forwarded-For': spoofed(), 'X-Real-IP': spoofed() },
        });
        expect(res.status, `request ${i + 1}`).toBe(401);
      }
      const res = await httpRequest(server, {
        path: '/api/v1/files',
        auth: false,
        localAddress: '127.0.0.4',
        headers: { 'X-Forwarded-For': spoofed() },
      });
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // Another client address still has its own bucket.
      const other = await httpRequest(server, {
        path: '/api/v1/files',
        auth: false,
        localAddress: '127.0.0.8',
      });
      expect(other.status, 'another address').toBe(401);
      return { status: res.status, code: codeOf(res.body) };
    },
  },
  {
    id: 'K2',
    attack: 'IPv6 rotation inside one /56 (behind the trusted proxy); IPv4-mapped keyed as IPv4',
    server: 'limited',
    expected: { status: 401, code: 'UNAUTHENTICATED' },
    seeAlso: 'middleware/rate-limit.test.ts (K2, unit)',
    async run(server) {
      const via = (forwarded: string) =>
        httpRequest(server, {
          path: '/api/v1/files',
          auth: false,
          localAddress: TRUSTED_PROXY,
          headers: { 'X-Forwarded-For': forwarded },
        });
      const seen: number[] = [];
      for (const address of ['2001:db8:1:200::10', '2001:db8:1:2ff::99', '2001:db8:1:210:ffff::1']) {
        seen.push(remaining((await via(address)).headers));
      }
      expect(seen, 'one bucket for the /56').toEqual([99, 98, 97]);
      expect(remaining((await via('2001:db8:1:300::1')).headers), 'the next /56').toBe(99);
      expect(remaining((await via('198.51.100.9')).headers)).toBe(99);
      const mapped = await via('::ffff:198.51.100.9');
      expect(remaining(mapped.headers), 'IPv4-mapped is the same client').toBe(98);
      return { status: mapped.status, code: codeOf(mapped.body) };
    },
  },
  {
    id: 'K3',
    attack: 'path, case, query and method variants of one route share one bucket',
    server: 'limited',
    expected: { status: 429, code: 'RATE_LIMITED' },
    async run(server) {
      const headers = { Authorization: `Bearer ${await freshKey(server)}` };
      const variants: Array<[string, string]> = [
        ['GET', '/api/v1/files'],
        ['GET', '/api/v1/files/'],
        ['GET', '/api/v1/files?x=1'],
        ['GET', '/api/v1//files'],
        ['GET', '/api/v1/files/.'],
        ['GET', '/API/V1/FILES'],
        ['HEAD', '/api/v1/files'],
      ];
      let last = 100;
      for (let i = 0; i < 100; i++) {
        const [method, path] = variants[i % variants.length]!;
        const res = await httpRequest(server, { method, path, headers, auth: false });
        const left = remaining(res.headers);
        if (Number.isNaN(left)) {
          // Outside the limited tree: must not reach a handler either.
          expect(res.status, `${method} ${path}`).toBe(404);
          continue;
        }
        expect(left, `${method} ${path} drew from the same bucket`).toBe(last - 1);
        last = left;
      }
      let final = await httpRequest(server, { path: '/api/v1/files', headers, auth: false });
      while (final.status !== 429 && remaining(final.headers) > 0) {
        final = await httpRequest(server, { path: '/api/v1/files', headers, auth: false });
      }
      if (final.status !== 429)
        final = await httpRequest(server, { path: '/api/v1/files', headers, auth: false });
      for (const [method, path] of variants) {
        const res = await httpRequest(server, { method, path, headers, auth: false });
        expect([404, 429], `${method} ${path} after the bucket ran out`).toContain(res.status);
      }
      return { status: final.status, code: codeOf(final.body) };
    },
  },
];
