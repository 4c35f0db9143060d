import { randomUUID } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { createRedisLockManager, ErrorCode, type LockManager } from '@fileforge/core';
import { REDIS_TEST_URL, requireService } from '@fileforge/test-fixtures/services';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startAccessServer, stopAccessServers } from './support/access-server.js';

const redis = await requireService('Redis', REDIS_TEST_URL);

type Detailed = {
  status: string;
  components: { redis?: { status: string; latency_ms: number; used_for: string[] } };
};

const locksToClose: LockManager[] = [];
afterEach(async () => {
  await stopAccessServers();
  for (const locks of locksToClose.splice(0)) await locks.close();
});

async function detailed(locks?: LockManager, path = '/health/detailed') {
  if (locks) locksToClose.push(locks);
  const s = await startAccessServer(locks ? { forge: { locks } } : {});
  const res = await fetch(`${s.url}${path}`);
  return { status: res.status, body: (await res.json()) as Detailed };
}

/** A "Redis" that accepts connections and never answers (stopped, paused, cut off after connecting). */
async function frozenRedis() {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const timed = async <T>(work: () => Promise<T>) => {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
};

describe('/health/detailed and the shared Redis (issue 13)', () => {
  it('has no redis component on an embedded server (in-process locks)', async () => {
    const { status, body } = await detailed();
    expect(status).toBe(200);
    expect(body.components.redis).toBeUndefined();
  });

  it.skipIf(!redis)('reports the Redis its locks live in, with its latency', async () => {
    const { status, body } = await detailed(
      createRedisLockManager({ url: REDIS_TEST_URL, prefix: `fileforge-test:health:${randomUUID()}:` }),
    );
    expect(status).toBe(200);
    expect(body.components.redis).toMatchObject({ status: 'healthy', used_for: ['locks'] });
    expect(body.components.redis?.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it('answers 503 with redis unhealthy when that Redis cannot be reached', { timeout: 20_000 }, async () => {
    // Port 1 on loopback: nothing listens there.
    const { status, body } = await detailed(
      createRedisLockManager({ url: 'redis://127.0.0.1:1', prefix: 'x:' }),
    );
    expect(status).toBe(503);
    expect(body.status).toBe('unhealthy');
    expect(body.components.redis).toMatchObject({ status: 'unhealthy', used_for: ['locks'] });
  });

  it('a Redis that answers nothing: lock calls fail with LOCKS_UNAVAILABLE in seconds, the probes still answer', {
    timeout: 60_000,
  }, async () => {
    const frozen = await frozenRedis();
    try {
      const locks = createRedisLockManager({ url: frozen.url, prefix: 'x:' });
      const acquired = await timed(() =>
        locks.acquire('k', { ttlMs: 5_000 }).then(
          () => null,
          (e: unknown) => e,
        ),
      );
      expect(acquired.value).toMatchObject({ code: ErrorCode.LOCKS_UNAVAILABLE });
      expect(acquired.ms).toBeLessThan(10_000);

      const health = await timed(() => detailed(locks));
      expect(health.value.status).toBe(503);
      expect(health.value.body.components.redis).toMatchObject({ status: 'unhealthy' });
      expect(health.ms).toBeLessThan(10_000);

      // A client of the caller's own, without a command timeout: the probe's own limit answers.
      const own = new Redis(frozen.url, { lazyConnect: true, maxRetriesPerRequest: null });
      own.on('error', () => {});
      try {
        const ready = await timed(() =>
          detailed(createRedisLockManager({ client: own, prefix: 'y:' }), '/ready'),
        );
        // Redis is reported, not required: the instance stays ready.
        expect(ready.value.status).toBe(200);
        expect(ready.value.body.components.redis).toBe('unhealthy');
        expect(ready.ms).toBeLessThan(10_000);
      } finally {
        own.disconnect();
      }
    } finally {
      await frozen.close();
    }
  });
});
