import { randomUUID } from 'node:crypto';
import { createRedisLockManager, type LockManager } from '@fileforge/core';
import { REDIS_TEST_URL, requireService } from '@fileforge/test-fixtures/services';
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

async function detailed(locks?: LockManager) {
  if (locks) locksToClose.push(locks);
  const s = await startAccessServer(locks ? { forge: { locks } } : {});
  const res = await fetch(`${s.url}/health/detailed`);
  return { status: res.status, body: (await res.json()) as Detailed };
}

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
});
