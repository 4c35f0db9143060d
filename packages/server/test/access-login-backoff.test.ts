import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForge } from '@fileforge/core';
import { REDIS_TEST_URL, requireService } from '@fileforge/test-fixtures/services';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AccessServer,
  type ErrorBody,
  jsonBody,
  startAccessServer,
  stopAccessServers,
} from './support/access-server.js';

const PASSWORD = 'correct horse battery staple';
const EMAIL = 'locked@default.example';
const NOBODY = 'nobody@default.example';

let s: AccessServer;
let clock: number;

beforeEach(async () => {
  clock = Date.parse('2026-06-01T12:00:00Z');
  s = await startAccessServer({
    server: {
      // 3 free failures, then 60 s doubling up to 200 s, on a clock the test moves.
      loginThrottle: { freeFailures: 3, baseLockSeconds: 60, maxLockSeconds: 200, now: () => clock },
    },
  });
  await s.server.auth.createUser({ email: EMAIL, password: PASSWORD, role: 'viewer', tenant: 'default' });
});
afterEach(stopAccessServers);

async function attempt(email: string, password: string, url = s.url) {
  const res = await fetch(`${url}/api/v1/auth/login`, jsonBody('POST', { email, password }));
  const body = (await res.json()) as ErrorBody & { accessToken?: string };
  return { status: res.status, retryAfter: res.headers.get('Retry-After'), code: body.error?.code };
}

async function failTimes(email: string, n: number) {
  for (let i = 0; i < n; i++) expect((await attempt(email, 'a wrong password')).status).toBe(401);
}

describe('per-account login back-off (issue 7)', () => {
  it('locks an account after 4 failures: 429 with Retry-After even for the right password, until the window ends', async () => {
    await failTimes(EMAIL, 4);
    expect(await attempt(EMAIL, PASSWORD)).toEqual({ status: 429, retryAfter: '60', code: 'RATE_LIMITED' });
    // The key is the account, whatever the spelling of the address.
    expect((await attempt('LOCKED@Default.Example', PASSWORD)).status).toBe(429);

    clock += 30_000;
    expect(await attempt(EMAIL, PASSWORD)).toEqual({ status: 429, retryAfter: '30', code: 'RATE_LIMITED' });

    clock += 30_000;
    expect((await attempt(EMAIL, PASSWORD)).status).toBe(200);
    // Success clears the failures: the next wrong password is free again.
    await failTimes(EMAIL, 3);
    expect((await attempt(EMAIL, PASSWORD)).status).toBe(200);
  });

  it('answers a non-existent email exactly the same way, so lock-outs reveal no accounts', async () => {
    await failTimes(NOBODY, 4);
    expect(await attempt(NOBODY, PASSWORD)).toEqual({ status: 429, retryAfter: '60', code: 'RATE_LIMITED' });
    clock += 60_000;
    expect(await attempt(NOBODY, PASSWORD)).toEqual({
      status: 401,
      retryAfter: null,
      code: 'UNAUTHENTICATED',
    });
  });

  it('doubles the lock-out with every further failure, up to the maximum', async () => {
    await failTimes(EMAIL, 4);
    const windows: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const locked = await attempt(EMAIL, 'a wrong password');
      expect(locked.status).toBe(429);
      windows.push(locked.retryAfter);
      clock += Number(locked.retryAfter) * 1000;
      expect((await attempt(EMAIL, 'a wrong password')).status).toBe(401);
    }
    expect(windows).toEqual(['60', '120', '200']);
    expect((await attempt(EMAIL, PASSWORD)).retryAfter).toBe('200');
  });

  it('keeps other accounts out of one account’s lock-out', async () => {
    await s.server.auth.createUser({
      email: 'other@default.example',
      password: PASSWORD,
      role: 'viewer',
      tenant: 'default',
    });
    await failTimes(EMAIL, 4);
    expect((await attempt(EMAIL, PASSWORD)).status).toBe(429);
    expect((await attempt('other@default.example', PASSWORD)).status).toBe(200);
  });
});

describe('passwords over 72 bytes (issue 7)', () => {
  const FIRST_72 = 'p'.repeat(72);

  it('never match at login, even when the first 72 bytes are the password', async () => {
    await s.server.auth.createUser({
      email: 'long@default.example',
      password: FIRST_72,
      role: 'viewer',
      tenant: 'default',
    });
    expect((await attempt('long@default.example', `${FIRST_72}suffix`)).status).toBe(401);
    expect((await attempt('long@default.example', `${FIRST_72}x`)).code).toBe('UNAUTHENTICATED');
    expect((await attempt('long@default.example', FIRST_72)).status).toBe(200);
  });

  it('are refused when creating a user, setting a password, or at setup (multi-byte characters counted in bytes)', async () => {
    await s.server.auth.createUser({
      email: 'admin@default.example',
      password: PASSWORD,
      role: 'admin',
      tenant: 'default',
    });
    const { accessToken } = await s.server.auth.login('admin@default.example', PASSWORD);
    const headers = { Authorization: `Bearer ${accessToken}` };
    const create = (password: string) =>
      fetch(
        `${s.url}/api/v1/users`,
        jsonBody('POST', { email: 'new@default.example', password, role: 'viewer' }, headers),
      );

    for (const password of ['p'.repeat(73), `${'é'.repeat(36)}x`]) {
      const res = await create(password);
      expect(res.status, `${Buffer.byteLength(password)} bytes`).toBe(400);
      expect(((await res.json()) as ErrorBody).error.code).toBe('VALIDATION_FAILED');
    }
    // Another user's: an admin's own password is changed with POST /api/v1/auth/password only.
    const other = await s.server.auth.createUser({
      email: 'other@default.example',
      password: PASSWORD,
      role: 'viewer',
      tenant: 'default',
    });
    const patched = await fetch(
      `${s.url}/api/v1/users/${other.id}`,
      jsonBody('PATCH', { password: 'p'.repeat(73) }, headers),
    );
    expect(patched.status).toBe(400);
    expect((await create('é'.repeat(36))).status).toBe(201);

    const fresh = await startAccessServer();
    const setup = await fetch(
      `${fresh.url}/api/v1/setup`,
      jsonBody('POST', { email: 'first@default.example', password: 'p'.repeat(73) }),
    );
    expect(setup.status).toBe(400);
  });
});

const redis = await requireService('Redis', REDIS_TEST_URL);

describe.skipIf(!redis)('two server instances behind one Redis (issue 13)', () => {
  const keyPrefix = `fileforge:test-login:${randomUUID()}`;
  let root: string;
  afterEach(async () => {
    await stopAccessServers();
    await rm(root, { recursive: true, force: true });
    const client = new Redis(REDIS_TEST_URL);
    client.on('error', () => {});
    const keys = await client.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });

  it('count failed logins split across both: the back-off starts after LOGIN_FREE_FAILURES in total, on both', async () => {
    // Two instances on one catalog (one SQLite file, as two processes would share PostgreSQL)
    // and one Redis (the rate limit's store, which the login throttle shares).
    root = await mkdtemp(join(tmpdir(), 'fileforge-login-two-'));
    const databaseUrl = `sqlite:${join(root, 'shared.db')}`;
    await (await createForge({ dataDir: join(root, 'setup'), databaseUrl })).close();
    const server = {
      rateLimitStorageUrl: REDIS_TEST_URL,
      // The address bucket in the shared Redis stays out of the way of this test's logins.
      rateLimit: '100000 per minute',
      loginThrottle: {
        freeFailures: 3,
        baseLockSeconds: 60,
        maxLockSeconds: 200,
        now: () => clock,
        keyPrefix,
      },
    };
    const one = await startAccessServer({ forge: { databaseUrl }, server });
    const two = await startAccessServer({ forge: { databaseUrl }, server });
    await one.server.auth.createUser({ email: EMAIL, password: PASSWORD, role: 'viewer', tenant: 'default' });
    const urls = [one.url, two.url];

    // 4 wrong passwords, alternating: 2 per instance, which alone would both still be free.
    for (let i = 0; i < 4; i++)
      expect((await attempt(EMAIL, 'a wrong password', urls[i % 2])).status).toBe(401);
    for (const url of urls) {
      expect(await attempt(EMAIL, PASSWORD, url)).toEqual({
        status: 429,
        retryAfter: '60',
        code: 'RATE_LIMITED',
      });
    }

    // After the window, a success on one instance clears the count on the other too.
    clock += 60_000;
    expect((await attempt(EMAIL, PASSWORD, one.url)).status).toBe(200);
    for (let i = 0; i < 3; i++)
      expect((await attempt(EMAIL, 'a wrong password', urls[i % 2])).status).toBe(401);
    expect((await attempt(EMAIL, PASSWORD, two.url)).status).toBe(200);
  });
});
