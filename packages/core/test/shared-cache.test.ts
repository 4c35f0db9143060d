import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { createSharedCache, type SharedCache } from '@fileforge/core';
import { REDIS_TEST_URL, requireService } from '@fileforge/test-fixtures/services';
import { afterEach, describe, expect, it } from 'vitest';

const opened: SharedCache[] = [];
afterEach(async () => {
  for (const cache of opened.splice(0)) await cache.close();
});
const open = (options: Parameters<typeof createSharedCache>[0]) => {
  const cache = createSharedCache(options);
  opened.push(cache);
  return cache;
};

const redis = await requireService('Redis', REDIS_TEST_URL);

describe('shared cache (issue 13)', () => {
  it('keeps values in this process by default, with expiry and delete', async () => {
    const cache = open({});
    expect(cache.kind).toBe('memory');
    await cache.set('a', { v: 1 });
    await cache.set('short', 'x', 100);
    expect(await cache.get('a')).toEqual({ v: 1 });
    await delay(300);
    expect(await cache.get('short')).toBeUndefined();
    await cache.delete('a');
    expect(await cache.get('a')).toBeUndefined();
    // Another instance's memory is its own.
    await cache.set('b', 1);
    expect(await open({}).get('b')).toBeUndefined();
  });

  it('refuses a URL that is not redis:// when created', () => {
    expect(() => createSharedCache({ url: 'http://127.0.0.1' })).toThrow(/redis:\/\//);
  });

  it.skipIf(!redis)(
    'two instances on one Redis and namespace see each other’s writes and deletes',
    async () => {
      const namespace = `fileforge-test:cache:${randomUUID()}`;
      // Sharing, not deadlines, is what this checks: a first call (which connects) on a busy
      // machine may take longer than the default second.
      const timeoutMs = 10_000;
      const one = open({ url: REDIS_TEST_URL, namespace, timeoutMs });
      const two = open({ url: REDIS_TEST_URL, namespace, timeoutMs });
      const elsewhere = open({ url: REDIS_TEST_URL, namespace: `${namespace}:other`, timeoutMs });
      expect(one.kind).toBe('redis');
      await one.set('generation', 'g1', 60_000);
      expect(await two.get('generation')).toBe('g1');
      expect(await elsewhere.get('generation')).toBeUndefined();
      await two.delete('generation');
      expect(await one.get('generation')).toBeUndefined();
      await one.ping();
    },
  );

  it.skipIf(!redis)(
    'after close, calls reject and open no new connection that would keep the process alive',
    async () => {
      const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
      const cache = createSharedCache({
        url: REDIS_TEST_URL,
        namespace: `fileforge-test:cache:${randomUUID()}`,
        timeoutMs: 10_000,
      });
      await cache.set('k', 1, 60_000);
      await cache.close();
      await delay(100);
      const afterClose = sockets();
      // An event delivered while a service shuts down may still reach its cache.
      await expect(cache.get('k')).rejects.toThrow(/closed/);
      await expect(cache.set('k', 2)).rejects.toThrow(/closed/);
      await delay(200);
      expect(sockets()).toBeLessThanOrEqual(afterClose);
    },
  );

  it('rejects (never answers stale or empty silently) when Redis cannot be reached', {
    timeout: 15_000,
  }, async () => {
    const cache = open({ url: 'redis://127.0.0.1:1' });
    await expect(cache.get('k')).rejects.toThrow();
  });
});
