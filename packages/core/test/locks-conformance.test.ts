import { randomUUID } from 'node:crypto';
import { createInProcessLockManager, createRedisLockManager, openLockManager } from '@fileforge/core';
import { describeLockManager } from '@fileforge/core/testing';
import { REDIS_TEST_URL, requireService } from '@fileforge/test-fixtures/services';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

describeLockManager('in-process', async () => {
  // Two "instances" in one process share one manager: that is what in-process locks cover.
  const shared = createInProcessLockManager();
  return { open: () => shared, teardown: async () => {} };
});

const redis = await requireService('Redis', REDIS_TEST_URL);

describe.skipIf(!redis)('locks on Redis', () => {
  // Each test gets its own prefix: the machine's Redis is shared and never flushed.
  describeLockManager('redis', async () => {
    const prefix = `fileforge-test:locks:${randomUUID()}:`;
    return {
      open: () => createRedisLockManager({ url: REDIS_TEST_URL, prefix }),
      async teardown() {
        const client = new Redis(REDIS_TEST_URL);
        client.on('error', () => {});
        const keys = await client.keys(`${prefix}*`);
        if (keys.length > 0) await client.del(...keys);
        await client.quit();
      },
    };
  });

  it('openLockManager chooses Redis for a URL and in-process without one', async () => {
    const shared = openLockManager({ url: REDIS_TEST_URL, prefix: `fileforge-test:locks:${randomUUID()}:` });
    expect(shared.kind).toBe('redis');
    expect(openLockManager().kind).toBe('in-process');
    await shared.ping();
    await shared.close();
  });
});

describe('Redis lock manager without Redis', () => {
  it('refuses a bad URL when created, and rejects acquire with LOCKS_UNAVAILABLE (never grants) when Redis is unreachable', async () => {
    expect(() => createRedisLockManager({ url: 'http://x' })).toThrow(/redis:\/\//);
    expect(() => createRedisLockManager({})).toThrow(/"url" or "client"/);
    // Port 1 on loopback: nothing listens there.
    const locks = createRedisLockManager({ url: 'redis://127.0.0.1:1', prefix: 'x:' });
    await expect(locks.acquire('k', { ttlMs: 1000 })).rejects.toMatchObject({ code: 'LOCKS_UNAVAILABLE' });
    await expect(locks.ping()).rejects.toMatchObject({ code: 'LOCKS_UNAVAILABLE' });
    await locks.close();
  });
});
