import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { isRetryableError, retryAfterMsOf } from '@fileforge/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient, type HttpClientOptions } from './client.js';
import { upstreamStatusError } from './response.js';
import { createSsrfGuard, validateOutboundUrl } from './ssrf-guard.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

let server: Server;
let port: number;
let handler: Handler;
const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: Buffer }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const clients: HttpClient[] = [];
const client = (options: HttpClientOptions = {}) => {
  const c = createHttpClient(options);
  clients.push(c);
  return c;
};

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  server.closeAllConnections();
  seen.length = 0;
  handler = (_req, res) => res.end('ok');
});

/** DNS that answers from a table, in turn for names with several answers (rebinding). */
function fakeDns(table: Record<string, string[][]>) {
  const calls: Record<string, number> = {};
  return async (hostname: string): Promise<LookupAddress[]> => {
    const answers = table[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const n = calls[hostname] ?? 0;
    calls[hostname] = n + 1;
    const list = answers[Math.min(n, answers.length - 1)] ?? [];
    return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('HttpClient: the SSRF guard', () => {
  it('refuses the local server by default, before any connection is made', async () => {
    const http = client();
    await expect(http.request({ method: 'GET', url: `http://127.0.0.1:${port}/` })).rejects.toMatchObject({
      code: 'WEBHOOK_URL_FORBIDDEN',
      message: expect.stringMatching(/"127.0.0.1": 127.0.0.1 is loopback/),
    });
    await expect(http.request({ method: 'GET', url: `http://localhost:${port}/` })).rejects.toMatchObject({
      code: 'WEBHOOK_URL_FORBIDDEN',
      message: expect.stringMatching(/"localhost": it resolves to/),
    });
    expect(seen).toHaveLength(0);
  });

  it('reaches the local server when allow-listed, by address or by name', async () => {
    handler = (_req, res) => res.setHeader('X-Echo', 'yes').end('{"hello":"world"}');
    const byAddress = client({ guard: { allowedHosts: '127.0.0.0/8' } });
    const res = await byAddress.request({ method: 'GET', url: `http://127.0.0.1:${port}/a?b=1` });
    expect(res).toMatchObject({ status: 200, ok: true });
    expect(res.headers['x-echo']).toBe('yes');
    expect(res.json()).toEqual({ hello: 'world' });
    expect(seen[0]?.url).toBe('/a?b=1');
    const byName = client({
      guard: { allowedHosts: ['localhost'], resolve: fakeDns({ localhost: [['127.0.0.1']] }) },
    });
    expect((await byName.request({ method: 'GET', url: `http://localhost:${port}/` })).text()).toContain(
      'hello',
    );
  });

  it('checks at connection time the addresses a name resolves to (metadata, mixed public + private)', async () => {
    const resolve = fakeDns({
      'metadata.test': [['169.254.169.254']],
      'mixed.test': [['93.184.215.14', '127.0.0.1']],
      'loopback.test': [['127.0.0.1']],
    });
    const http = client({ guard: { resolve } });
    await expect(http.request({ method: 'GET', url: 'http://metadata.test/latest' })).rejects.toMatchObject({
      code: 'WEBHOOK_URL_FORBIDDEN',
      message: expect.stringMatching(/169\.254\.169\.254, which is link-local/),
    });
    await expect(http.request({ method: 'GET', url: `http://mixed.test:${port}/` })).rejects.toMatchObject({
      code: 'WEBHOOK_URL_FORBIDDEN',
      message: expect.stringMatching(/127\.0\.0\.1, which is loopback/),
    });
    // The name exists only in the fake DNS: reaching the server proves the guard's lookup connects.
    const allowed = client({ guard: { resolve, allowedHosts: '127.0.0.1' } });
    expect((await allowed.request({ method: 'GET', url: `http://loopback.test:${port}/` })).status).toBe(200);
    expect(seen).toHaveLength(1);
  });

  it('refuses an IP literal at connect time too, not only when the URL is checked', async () => {
    const guard = createSsrfGuard();
    const lenient = client({ guard: { ...guard, checkUrl: (url) => new URL(url) } });
    await expect(lenient.request({ method: 'GET', url: `http://127.0.0.1:${port}/` })).rejects.toMatchObject({
      code: 'WEBHOOK_URL_FORBIDDEN',
    });
    expect(seen).toHaveLength(0);
  });

  it('defeats DNS rebinding: a name public at subscription, loopback at delivery, is refused', async () => {
    const resolve = fakeDns({ 'rebind.test': [['93.184.215.14'], ['127.0.0.1']] });
    const http = client({ guard: { resolve } });
    const url = await validateOutboundUrl(`http://rebind.test:${port}/hook`, http.guard);
    await expect(http.request({ method: 'POST', url, body: '{}' })).rejects.toMatchObject({
      code: 'WEBHOOK_URL_FORBIDDEN',
    });
    expect(seen).toHaveLength(0);
  });

  it('returns a redirect to a forbidden address as a 302 and does not follow it', async () => {
    handler = (_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${port}/secret` }).end();
    const resolve = fakeDns({ 'allowed.test': [['127.0.0.1']] });
    const http = client({ guard: { resolve, allowedHosts: 'allowed.test' } });
    const res = await http.request({ method: 'GET', url: `http://allowed.test:${port}/start` });
    expect(res.status).toBe(302);
    expect(res.ok).toBe(false);
    expect(res.headers.location).toBe(`http://127.0.0.1:${port}/secret`);
    expect(seen.map((r) => r.url)).toEqual(['/start']);
  });
});

describe('HttpClient: requests and responses', () => {
  const local = () => client({ guard: { allowedHosts: '127.0.0.1' }, userAgent: 'FileForge-Webhooks/1.2.3' });

  it('sends the user-agent, headers and a streamed body byte for byte', async () => {
    handler = (_req, res, body) => res.end(body);
    const payload = Buffer.alloc(300_000, 'x');
    const res = await local().request({
      method: 'POST',
      url: `http://127.0.0.1:${port}/in`,
      headers: { 'Content-Type': 'application/octet-stream' },
      body: Readable.from([payload.subarray(0, 100_000), payload.subarray(100_000)]),
    });
    expect(res.body.equals(payload)).toBe(true);
    expect(seen[0]?.headers).toMatchObject({
      'user-agent': 'FileForge-Webhooks/1.2.3',
      'content-type': 'application/octet-stream',
    });
  });

  it('times out a stalled response with TIMEOUT (retryable), leaving no timer behind', async () => {
    handler = (_req, res) => res.writeHead(200).write('partial'); // never ends
    const before = timers();
    const started = Date.now();
    const error = await local()
      .request({ method: 'GET', url: `http://127.0.0.1:${port}/`, timeoutMs: 200 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/within 200 ms/) });
    expect(isRetryableError(error)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('refuses a response larger than maxResponseBytes, declared or chunked', async () => {
    const http = client({ guard: { allowedHosts: '127.0.0.1' }, maxResponseBytes: 1000 });
    handler = (_req, res) => res.end(Buffer.alloc(2000));
    await expect(http.request({ method: 'GET', url: `http://127.0.0.1:${port}/` })).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      details: { reason: 'response_too_large', limit: 1000 },
    });
    handler = (_req, res) => {
      for (let i = 0; i < 20; i++) res.write(Buffer.alloc(100));
      res.end();
    };
    const error = await http
      .request({ method: 'GET', url: `http://127.0.0.1:${port}/` })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', details: { reason: 'response_too_large' } });
    expect(isRetryableError(error)).toBe(false);
    expect(
      (await http.request({ method: 'GET', url: `http://127.0.0.1:${port}/`, maxResponseBytes: 5000 })).body,
    ).toHaveLength(2000);
  });

  it('stops at once when aborted, with ABORTED (not retried), also before sending', async () => {
    handler = () => {}; // never answers
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const error = await local()
      .request({ method: 'GET', url: `http://127.0.0.1:${port}/`, signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect(isRetryableError(error)).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
    const count = seen.length;
    await expect(
      local().request({ method: 'GET', url: `http://127.0.0.1:${port}/`, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    expect(seen).toHaveLength(count);
  });

  it('closes a streamed body it refuses before sending (a bad URL or a bad per-request limit)', async () => {
    for (const bad of [
      { url: 'ftp://127.0.0.1/' },
      { url: `http://127.0.0.1:${port}/`, timeoutMs: -1 },
      { url: `http://127.0.0.1:${port}/`, maxResponseBytes: 0 },
    ]) {
      const body = Readable.from(['never sent']);
      await expect(local().request({ method: 'POST', body, ...bad })).rejects.toBeInstanceOf(Error);
      expect(body.destroyed).toBe(true);
    }
    expect(seen).toHaveLength(0);
  });

  it('reports an unreachable allowed host as a retryable UPSTREAM_ERROR with its cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await local()
      .request({ method: 'GET', url: `http://127.0.0.1:${freePort}/` })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', details: { networkCode: 'ECONNREFUSED' } });
    expect((error as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isRetryableError(error)).toBe(true);
  });

  it('turns a failed status into an error that retry() judges right, with Retry-After', async () => {
    handler = (req, res) => res.writeHead(Number(req.url?.slice(1)), { 'retry-after': '7' }).end();
    const http = local();
    const unavailable = await http.request({ method: 'GET', url: `http://127.0.0.1:${port}/503` });
    const error = upstreamStatusError(unavailable, 'webhooks');
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', details: { status: 503, retryAfterSeconds: 7 } });
    expect(isRetryableError(error)).toBe(true);
    expect(retryAfterMsOf(error)).toBe(7000);
    for (const [status, retried] of [
      [408, true],
      [429, true],
      [500, true],
      [400, false],
      [404, false],
      [410, false],
    ] as const) {
      const res = await http.request({ method: 'GET', url: `http://127.0.0.1:${port}/${status}` });
      expect(isRetryableError(upstreamStatusError(res)), String(status)).toBe(retried);
    }
  });
});

describe('HttpClient.stream', () => {
  it('streams a download and cuts it at maxResponseBytes', async () => {
    const data = Buffer.alloc(200_000, 'd');
    handler = (_req, res) => res.end(data);
    const http = client({ guard: { allowedHosts: '127.0.0.1' } });
    const res = await http.stream({ method: 'GET', url: `http://127.0.0.1:${port}/file` });
    const chunks: Buffer[] = [];
    for await (const chunk of res.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);

    handler = (_req, res) => {
      res.writeHead(200);
      for (let i = 0; i < 10; i++) res.write(Buffer.alloc(1000));
      res.end();
    };
    const capped = await http.stream({
      method: 'GET',
      url: `http://127.0.0.1:${port}/`,
      maxResponseBytes: 5000,
    });
    const read = async () => {
      for await (const _ of capped.body);
    };
    await expect(read()).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      details: { reason: 'response_too_large' },
    });
  });
});
