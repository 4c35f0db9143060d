import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForge, loadConfig } from '@fileforge/core';
import { REDIS_TEST_URL, requireService } from '@fileforge/test-fixtures/services';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverOptionsFromConfig } from '../src/commands/server-options.js';
import { createRateLimit } from '../src/middleware/rate-limit.js';
import { PASSWORD } from './support/access-seed.js';
import {
  type AccessServer,
  bearer,
  type ErrorBody,
  startAccessServer,
  stopAccessServers,
} from './support/access-server.js';
import { startTestServer, stopTestServers } from './support/server.js';

let s: AccessServer;
let userToken: string;

describe('rate limit (100 per minute)', () => {
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

describe('anonymous PATCH requests to resumable uploads', () => {
  afterEach(stopTestServers);

  it('are counted like any other request: only an authenticated caller’s chunks are left out', async () => {
    const s = await startTestServer({}, { rateLimit: '3 per minute' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${s.url}/api/v1/uploads/${'0'.repeat(31)}${i}`, {
        method: 'PATCH',
        headers: {
          'Tus-Resumable': '1.0.0',
          'Upload-Offset': '0',
          'Content-Type': 'application/offset+octet-stream',
        },
        body: 'x',
      });
      statuses.push(res.status);
      if (res.status !== 429) {
        await res.arrayBuffer();
        continue;
      }
      expect(Number(res.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
      expect(((await res.json()) as ErrorBody).error.code).toBe('RATE_LIMITED');
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('RATELIMIT_DEFAULT', () => {
  it.each(['0 per minute', '00 per hour', '1000000000 per minute', '100/minute', '10 per week', 'garbage'])(
    'refuses %j when the configuration is loaded, naming the variable',
    (value) => {
      expect(() => loadConfig({ RATELIMIT_DEFAULT: value })).toThrow(/RATELIMIT_DEFAULT/);
    },
  );

  it.each(['1 per second', '10 per second', '100 per minute', '010 per hour', '999999999 per day'])(
    'accepts %j, and the rate limit takes what the configuration accepted',
    async (value) => {
      const config = loadConfig({ RATELIMIT_DEFAULT: value });
      expect(config.env.RATELIMIT_DEFAULT).toBe(value);
      await createRateLimit({ rule: config.env.RATELIMIT_DEFAULT }).close();
    },
  );
});

const redis = await requireService('Redis', REDIS_TEST_URL);

describe.skipIf(!redis)('two server instances behind one Redis (issue 13)', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await stopAccessServers();
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('share one rate-limit budget through REDIS_URL: requests split across both stop at the limit, not twice it', async () => {
    // REDIS_URL alone (no RATELIMIT_STORAGE_URL) puts the counters in Redis.
    const config = loadConfig({ REDIS_URL: REDIS_TEST_URL, RATELIMIT_DEFAULT: '10 per minute' });
    const { rateLimit, rateLimitStorageUrl } = serverOptionsFromConfig(config, {
      secretKey: 'k'.repeat(48),
      jwtSecretKey: 'j'.repeat(48),
    });
    expect(rateLimitStorageUrl).toBe(REDIS_TEST_URL);

    // Two instances on one catalog (one SQLite file, as two processes would share PostgreSQL),
    // so a user and their token are valid on both.
    const root = await mkdtemp(join(tmpdir(), 'fileforge-two-instances-'));
    dirs.push(root);
    const databaseUrl = `sqlite:${join(root, 'shared.db')}`;
    await (await createForge({ dataDir: join(root, 'setup'), databaseUrl })).close();
    const server = { rateLimit, ...(rateLimitStorageUrl ? { rateLimitStorageUrl } : {}) };
    const one = await startAccessServer({ forge: { databaseUrl }, server });
    const two = await startAccessServer({ forge: { databaseUrl }, server });
    // A fresh user: its bucket (keyed by its id) is this test's alone in the shared Redis.
    const user = await one.server.auth.createUser({
      email: 'split@default.example',
      password: PASSWORD,
      role: 'viewer',
      tenant: 'default',
    });
    const token = (await two.server.auth.login('split@default.example', PASSWORD)).accessToken;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        const res = await fetch(`${(i % 2 ? one : two).url}/api/v1/files`, { headers: bearer(token) });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
      // 10 per minute in total, alternating between the instances: 5 + 5 pass, then 429 on both.
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
      expect(statuses.slice(10)).toEqual(Array(20).fill(429));
    } finally {
      const client = new Redis(REDIS_TEST_URL);
      client.on('error', () => {});
      const keys = await client.keys(`fileforge:rl*${user.id}*`);
      if (keys.length > 0) await client.del(...keys);
      await client.quit();
    }
  });
});
