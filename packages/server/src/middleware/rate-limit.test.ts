import { randomUUID } from 'node:crypto';
import { FileForgeError } from '@fileforge/core';
import { Hono, type MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ipKey } from '../http/client-address.js';
import { createRateLimit, parseRateRule, type RateLimit, type RateLimitOptions } from './rate-limit.js';

const limits: RateLimit[] = [];
afterEach(async () => {
  await Promise.all(limits.splice(0).map((limit) => limit.close()));
});

function limited(options: RateLimitOptions, before?: MiddlewareHandler) {
  const limit = createRateLimit(options);
  limits.push(limit);
  const app = new Hono();
  app.use(requestId());
  if (before) app.use(before);
  app.use(limit.middleware);
  app.get('/items/:id', (c) => c.json({ ok: true }));
  return { app, limit };
}

/** A request as @hono/node-server delivers it: the socket's peer address in `env.incoming`. */
const from = (app: Hono, remoteAddress: string, headers: Record<string, string> = {}) =>
  app.request('/items/1', { headers }, { incoming: { socket: { remoteAddress } } });

const randomIp = () => Array.from({ length: 4 }, () => Math.floor(Math.random() * 256)).join('.');

function expectInvalidConfig(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(FileForgeError.is(error) && error.code).toBe('INVALID_CONFIG');
    return;
  }
  expect.fail('expected INVALID_CONFIG');
}

describe('parseRateRule', () => {
  it('reads "<n> per <unit>" for seconds, minutes, hours and days', () => {
    expect(parseRateRule('100 per minute')).toEqual({ points: 100, windowSeconds: 60 });
    expect(parseRateRule('5 per second')).toEqual({ points: 5, windowSeconds: 1 });
    expect(parseRateRule('1000 per hour')).toEqual({ points: 1000, windowSeconds: 3600 });
    expect(parseRateRule(' 7  PER  Day ')).toEqual({ points: 7, windowSeconds: 86_400 });
  });

  it.each([
    '',
    '100',
    '100/minute',
    '0 per minute',
    '-1 per minute',
    '1.5 per minute',
    '100 per week',
    'ten per minute',
  ])('refuses %j with INVALID_CONFIG', (rule) => expectInvalidConfig(() => parseRateRule(rule)));
});

describe('ipKey', () => {
  it('keys IPv6 clients by their /56 network', () => {
    expect(ipKey('2001:db8:1:2::10')).toBe(ipKey('2001:db8:1:2::99'));
    expect(ipKey('2001:db8:1:2::10')).toBe(ipKey('2001:db8:1:ff:ffff:ffff:ffff:ffff'));
    expect(ipKey('2001:0db8:0001:0002:0000:0000:0000:0010')).toBe(ipKey('2001:db8:1:2::10'));
    expect(ipKey('2001:db8:1:2::10')).toBe('2001:db8:1:0:0:0:0:0/56');
    expect(ipKey('2001:db8:1:100::1')).not.toBe(ipKey('2001:db8:1:2::10'));
    expect(ipKey('2001:db8:1:100::1')).toBe('2001:db8:1:100:0:0:0:0/56');
    expect(ipKey('::1')).toBe('0:0:0:0:0:0:0:0/56');
    expect(ipKey('2001:db8:1:2::10', 64)).not.toBe(ipKey('2001:db8:1:3::10', 64));
  });

  it('keys IPv4 and IPv4-mapped IPv6 as the IPv4 address', () => {
    expect(ipKey('203.0.113.9')).toBe('203.0.113.9');
    expect(ipKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(ipKey('::FFFF:cb00:7109')).toBe('203.0.113.9');
  });

  it('puts anything unparseable in one shared "unknown" bucket', () => {
    expect(ipKey(undefined)).toBe('unknown');
    expect(ipKey('not-an-ip')).toBe('unknown');
  });
});

describe('createRateLimit (memory store)', () => {
  it('lets 100 requests per minute through, counting down, and answers the 101st with 429', async () => {
    const { app } = limited({ rule: '100 per minute' });
    for (let i = 1; i <= 100; i++) {
      const res = await from(app, '203.0.113.9');
      expect(res.status).toBe(200);
      expect(res.headers.get('RateLimit-Limit')).toBe('100');
      expect(res.headers.get('RateLimit-Remaining')).toBe(String(100 - i));
      expect(Number(res.headers.get('RateLimit-Reset'))).toBeGreaterThan(0);
      expect(Number(res.headers.get('RateLimit-Reset'))).toBeLessThanOrEqual(60);
    }
    const refused = await from(app, '203.0.113.9');
    expect(refused.status).toBe(429);
    const retryAfter = refused.headers.get('Retry-After') ?? '';
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    expect(refused.headers.get('RateLimit-Remaining')).toBe('0');
    const body = (await refused.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({
      code: 'RATE_LIMITED',
      requestId: refused.headers.get('X-Request-Id'),
    });
    expect(body.error.message).toMatch(/too many requests/i);
    expect((await from(app, '198.51.100.1')).status).toBe(200);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy (K1)', async () => {
    const { app } = limited({ rule: '100 per minute' });
    for (let i = 0; i < 100; i++) {
      expect((await from(app, '203.0.113.9', { 'X-Forwarded-For': randomIp() })).status).toBe(200);
    }
    expect((await from(app, '203.0.113.9', { 'X-Forwarded-For': randomIp() })).status).toBe(429);
  });

  it('behind a trusted proxy keys by the right-most untrusted X-Forwarded-For hop', async () => {
    const { app } = limited({ rule: '2 per minute', trustedProxies: ['10.0.0.0/8', '192.0.2.1'] });
    const viaProxies = (xff: string) => from(app, '10.1.2.3', { 'X-Forwarded-For': xff });
    // The client's own claims (left of what the proxies appended) change nothing.
    expect((await viaProxies('1.1.1.1, 198.51.100.7, 192.0.2.1')).status).toBe(200);
    expect((await viaProxies('2.2.2.2, 198.51.100.7, 10.9.9.9')).status).toBe(200);
    expect((await viaProxies('3.3.3.3, 198.51.100.7')).status).toBe(429);
    expect((await viaProxies('198.51.100.8')).status).toBe(200);
    // The same header from an untrusted peer is ignored: keyed by the peer.
    expect((await from(app, '203.0.113.50', { 'X-Forwarded-For': '198.51.100.9' })).status).toBe(200);
    expect((await from(app, '203.0.113.50', { 'X-Forwarded-For': '198.51.100.10' })).status).toBe(200);
    expect((await from(app, '203.0.113.50', { 'X-Forwarded-For': '198.51.100.11' })).status).toBe(429);
  });

  it('shares one bucket across an IPv6 /56 but not across /56 networks (K2)', async () => {
    const { app } = limited({ rule: '2 per minute' });
    expect((await from(app, '2001:db8:1:2::10')).status).toBe(200);
    expect((await from(app, '2001:db8:1:2::99')).status).toBe(200);
    expect((await from(app, '2001:db8:1:2a::1')).status).toBe(429);
    expect((await from(app, '2001:db8:1:300::1')).status).toBe(200);
    expect((await from(app, '::ffff:203.0.113.9')).status).toBe(200);
    expect((await from(app, '203.0.113.9')).status).toBe(200);
    expect((await from(app, '203.0.113.9')).status).toBe(429);
  });

  it('counts an authenticated principal by its id, whatever its address', async () => {
    const { app } = limited({ rule: '1 per minute' }, async (c, next) => {
      const user = c.req.header('X-Test-User');
      if (user) c.set('principal' as never, { id: user } as never);
      await next();
    });
    expect((await from(app, '203.0.113.9', { 'X-Test-User': 'alice' })).status).toBe(200);
    expect((await from(app, '203.0.113.10', { 'X-Test-User': 'alice' })).status).toBe(429);
    expect((await from(app, '203.0.113.9', { 'X-Test-User': 'bob' })).status).toBe(200);
    expect((await from(app, '203.0.113.9')).status).toBe(200);
  });

  it('refuses bad options at construction with INVALID_CONFIG', () => {
    expectInvalidConfig(() => createRateLimit({ rule: '100 per fortnight' }));
    expectInvalidConfig(() => createRateLimit({ rule: '1 per second', storageUrl: 'postgres://db/x' }));
    expectInvalidConfig(() => createRateLimit({ rule: '1 per second', trustedProxies: ['proxy.local'] }));
    expectInvalidConfig(() => createRateLimit({ rule: '1 per second', trustedProxies: ['10.0.0.0/33'] }));
    expectInvalidConfig(() => createRateLimit({ rule: '1 per second', ipv6Subnet: 0 }));
  });

  it('keeps limiting in memory, without failing or crashing, while Redis is unreachable', async () => {
    const errors: Error[] = [];
    const { app, limit } = limited({
      rule: '2 per minute',
      storageUrl: 'redis://127.0.0.1:1',
      onStoreError: (error) => errors.push(error),
    });
    await expect(limit.ready()).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    expect((await from(app, '203.0.113.9')).status).toBe(200);
    expect((await from(app, '203.0.113.9')).status).toBe(200);
    expect((await from(app, '203.0.113.9')).status).toBe(429);
    expect(errors.length).toBeGreaterThan(0);
  });
});

const REDIS_URL = 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, retryStrategy: () => null, connectTimeout: 2_000 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const redisUp = await redisReachable();
const skipRedis = !redisUp && process.env.CI !== 'true';
if (skipRedis)
  console.warn(`[rate-limit.test] Redis not reachable at ${REDIS_URL}: skipping the shared-limit test`);

describe('createRateLimit (Redis store)', () => {
  it.skipIf(skipRedis)('shares one limit between two server instances (K4)', async () => {
    if (!redisUp) expect.fail(`Redis must be reachable at ${REDIS_URL} in CI (start redis-server)`);
    const keyPrefix = `fileforge:rl:test:${randomUUID()}`;
    const options = { rule: '10 per minute', storageUrl: REDIS_URL, keyPrefix };
    const one = limited(options);
    const two = limited(options);
    await Promise.all([one.limit.ready(), two.limit.ready()]);
    try {
      const responses = await Promise.all(
        Array.from({ length: 30 }, (_, i) => from(i % 2 ? one.app : two.app, '203.0.113.9')),
      );
      const passed = responses.filter((res) => res.status === 200);
      expect(passed).toHaveLength(10);
      expect(responses.filter((res) => res.status === 429)).toHaveLength(20);
      const remaining = passed.map((res) => Number(res.headers.get('RateLimit-Remaining')));
      expect(remaining.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect((await from(one.app, '198.51.100.1')).status).toBe(200);
    } finally {
      const cleanup = new Redis(REDIS_URL);
      const keys = await cleanup.keys(`${keyPrefix}:*`);
      if (keys.length > 0) await cleanup.del(...keys);
      await cleanup.quit();
    }
  });
});
