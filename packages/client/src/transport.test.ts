import { describe, expect, it } from 'vitest';
import { createClient, isFileForgeClientError } from './index.js';
import { retryAfterMs } from './retry.js';

/** A `fetch` answering from a script of responses, recording each request. */
function scripted(responses: Array<() => Response>) {
  const seen: Array<{ method: string; url: string; idempotencyKey: string | null }> = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    seen.push({
      method: request.method,
      url: request.url,
      idempotencyKey: request.headers.get('idempotency-key'),
    });
    const next = responses.shift();
    if (!next) throw new Error('no more scripted responses');
    return next();
  };
  return { fetch, seen };
}

const busy = (retryAfter: string) => () =>
  Response.json(
    { error: { code: 'BUSY', message: 'busy' } },
    { status: 503, headers: { 'retry-after': retryAfter } },
  );
const ok = (body: unknown) => () => Response.json(body, { headers: { 'x-request-id': 'req-1' } });
const base = { baseUrl: 'http://127.0.0.1:9', apiKey: 'ffk_test' };

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates, and ignores nonsense', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:02 GMT', now)).toBe(2000);
    expect(retryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});

describe('the transport', () => {
  it('retries a GET on 503 (an HTTP-date Retry-After in the past means now) and returns the answer', async () => {
    const { fetch, seen } = scripted([
      busy(new Date(0).toUTCString()),
      busy('0'),
      ok({ items: [], nextCursor: null }),
    ]);
    const client = createClient({ ...base, fetch });
    await expect(client.files.page()).resolves.toEqual({ items: [], nextCursor: null });
    expect(seen).toHaveLength(3);
  });

  it('never repeats a POST without an Idempotency-Key', async () => {
    const { fetch, seen } = scripted([busy('0'), ok({})]);
    const client = createClient({ ...base, fetch });
    const error = await client.files.reprocess('abc').catch((e: unknown) => e);
    expect(isFileForgeClientError(error) && error.code === 'BUSY' && error.status === 503).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it('repeats an upload of bytes that carries an Idempotency-Key, with the same key', async () => {
    const { fetch, seen } = scripted([
      busy('0'),
      () => Response.json({ files: [{ id: 'f1' }] }, { status: 201 }),
    ]);
    const client = createClient({ ...base, fetch });
    const file = await client.files.upload(new Uint8Array([1, 2, 3]), {
      name: 'a.bin',
      idempotencyKey: 'k-1',
    });
    expect(file.id).toBe('f1');
    expect(seen.map((s) => s.idempotencyKey)).toEqual(['k-1', 'k-1']);
  });

  it('stops after the configured attempts and when Retry-After is beyond maxDelayMs', async () => {
    const three = scripted([busy('0'), busy('0'), busy('0'), busy('0')]);
    const capped = createClient({ ...base, fetch: three.fetch, retry: { attempts: 3 } });
    await expect(capped.files.page()).rejects.toMatchObject({ code: 'BUSY' });
    expect(three.seen).toHaveLength(3);

    const far = scripted([busy('3600'), ok({})]);
    const patient = createClient({ ...base, fetch: far.fetch, retry: { maxDelayMs: 1000 } });
    await expect(patient.files.page()).rejects.toMatchObject({ code: 'BUSY', status: 503 });
    expect(far.seen).toHaveLength(1);
  });

  it('is aborted while waiting to retry', async () => {
    const { fetch } = scripted([busy('20'), ok({})]);
    const client = createClient({ ...base, fetch });
    const controller = new AbortController();
    const pending = client.files.page({ signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toMatchObject({ name: 'FileForgeClientError', code: 'ABORTED', status: 0 });
  });

  it('reports a network failure as NETWORK_ERROR and an error body without JSON by its status', async () => {
    const down = createClient({
      ...base,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    await expect(down.files.get('x')).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
    const proxy = scripted([
      () => new Response('<html>bad gateway</html>', { status: 502, headers: { 'x-request-id': 'r9' } }),
    ]);
    const client = createClient({ ...base, fetch: proxy.fetch });
    await expect(client.files.get('x')).rejects.toMatchObject({
      code: 'HTTP_502',
      status: 502,
      requestId: 'r9',
    });
  });

  it('refuses bad options when created', () => {
    expect(() => createClient({ baseUrl: '127.0.0.1:8000' })).toThrow(/baseUrl/);
    expect(() => createClient({ ...base, token: 't' })).toThrow(/only one/);
    expect(() => createClient({ ...base, retry: { attempts: 0 } })).toThrow(/attempts/);
  });
});
