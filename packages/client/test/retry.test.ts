import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, stopTestServers, type TestServer } from '../../server/test/support/server.js';
import { isFileForgeClientError } from '../src/index.js';
import { clientFor, type Exchange, recordingFetch } from './support/client-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({}, { rateLimit: '2 per second' });
});
afterAll(stopTestServers);

describe('retries on 429', () => {
  it('repeats a GET answered 429 after the Retry-After the server sent, and it succeeds', async () => {
    const log: Exchange[] = [];
    const client = clientFor(server, { fetch: recordingFetch(log) });
    for (let i = 0; i < 6; i++) await client.files.page({ limit: 1 });
    const limited = log.findIndex((e) => e.status === 429);
    expect(limited, 'the tiny rate limit was never hit').toBeGreaterThanOrEqual(0);
    const refusal = log[limited]!;
    const retry = log[limited + 1]!;
    expect(refusal.retryAfter).toMatch(/^\d+$/);
    expect(retry.path).toBe(refusal.path);
    // The retry waited at least what Retry-After asked (a lower bound only).
    expect(retry.at - refusal.at).toBeGreaterThanOrEqual(Number(refusal.retryAfter) * 1000 - 50);
    expect(log.filter((e) => e.status === 200)).toHaveLength(6);
  });

  it('gives up with a typed RATE_LIMITED error when retries are off', async () => {
    const client = clientFor(server, { retry: false });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () => client.files.page({ limit: 1 })),
    );
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(refused.length).toBeGreaterThan(0);
    const [first] = refused;
    expect(isFileForgeClientError(first) && first.status === 429 && first.code === 'RATE_LIMITED').toBe(true);
  });
});
