import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PASSWORD } from './support/access-seed.js';
import {
  type AccessServer,
  bearer,
  type ErrorBody,
  startAccessServer,
  stopAccessServers,
} from './support/access-server.js';

let s: AccessServer;
let userToken: string;

beforeEach(async () => {
  s = await startAccessServer({ server: { rateLimit: '100 per minute' } });
  await s.server.auth.createUser({
    email: 'viewer@default.example',
    password: PASSWORD,
    role: 'viewer',
    tenant: 'default',
  });
  // In process, so the login itself does not count against this address's bucket.
  userToken = (await s.server.auth.login('viewer@default.example', PASSWORD)).accessToken;
});
afterEach(stopAccessServers);

const listFiles = (headers: Record<string, string> = {}) => fetch(`${s.url}/api/v1/files`, { headers });

/** Sends 100 anonymous requests; returns their statuses and RateLimit-Remaining headers. */
async function spendAddressBucket() {
  const seen: { status: number; remaining: string | null; limit: string | null }[] = [];
  for (let i = 0; i < 100; i++) {
    const res = await listFiles();
    await res.arrayBuffer();
    seen.push({
      status: res.status,
      remaining: res.headers.get('RateLimit-Remaining'),
      limit: res.headers.get('RateLimit-Limit'),
    });
  }
  return seen;
}

describe('rate limit (100 per minute)', () => {
  it('answers the 101st anonymous request in a minute with 429, whatever X-Forwarded-For claims', async () => {
    const seen = await spendAddressBucket();
    expect(seen.map((r) => r.status)).toEqual(Array(100).fill(401));
    expect(seen.map((r) => r.limit)).toEqual(Array(100).fill('100'));
    expect(seen.map((r) => r.remaining)).toEqual(Array.from({ length: 100 }, (_, i) => String(99 - i)));

    const limited = await listFiles();
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('Retry-After'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('RateLimit-Remaining')).toBe('0');
    expect(((await limited.json()) as ErrorBody).error.code).toBe('RATE_LIMITED');

    // No trusted proxy is configured: a client cannot buy a fresh bucket by claiming another address.
    for (const forwarded of ['203.0.113.7', '198.51.100.1, 10.0.0.1', '2001:db8::1', '127.0.0.2']) {
      const res = await listFiles({ 'X-Forwarded-For': forwarded, 'X-Real-IP': forwarded });
      await res.arrayBuffer();
      expect(res.status, `X-Forwarded-For: ${forwarded}`).toBe(429);
    }
  });

  it('counts a logged-in user in their own bucket, not their address’s', async () => {
    await spendAddressBucket();
    expect((await listFiles()).status).toBe(429);

    const res = await listFiles(bearer(userToken));
    expect(res.status).toBe(200);
    expect(res.headers.get('RateLimit-Remaining')).toBe('99');
    // … and the user's requests did not refill or drain the address's bucket.
    expect((await listFiles()).status).toBe(429);
  });
});
