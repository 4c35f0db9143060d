import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import {
  createRedisLockManager,
  type LockManager,
  type LockPrimitives,
  lockManagerOf,
} from '@fileforge/core';
import { REDIS_TEST_URL, requireService } from '@fileforge/test-fixtures/services';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

const redis = await requireService('Redis', REDIS_TEST_URL);

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A TCP proxy in front of Redis that, once armed, lets the next command containing `marker`
 * through and cuts the connection when its answer comes back: the command ran, its answer is
 * lost (as when a network drops between Redis and the client).
 */
async function lossyProxy(target: URL) {
  let marker: string | null = null;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    let losing = false;
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      if (marker !== null && chunk.includes(marker)) {
        marker = null;
        losing = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (losing) client.destroy();
      else client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    loseAnswerTo(text: string) {
      marker = text;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe.skipIf(!redis)('Redis locks when an answer is lost', () => {
  it('an acquire whose grant landed but whose answer was lost leaves the key free or held by its caller, not locked for its TTL', async () => {
    const prefix = `fileforge-test:locks:${randomUUID()}:`;
    const proxy = await lossyProxy(new URL(REDIS_TEST_URL));
    cleanups.push(() => proxy.close());
    const locks: LockManager = createRedisLockManager({ url: proxy.url, prefix, commandTimeoutMs: 1_000 });
    cleanups.push(async () => {
      await locks.close();
      const client = new Redis(REDIS_TEST_URL);
      client.on('error', () => {});
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
      await client.quit();
    });
    await locks.ping();

    // The lock script's SET … NX runs in Redis; its answer never reaches the client.
    proxy.loseAnswerTo("'NX'");
    const first = await locks.acquire('report', { ttlMs: 60_000 }).then(
      (lock) => ({ lock }),
      (error: unknown) => ({ error }),
    );
    if ('lock' in first) {
      // The client sent the command again after reconnecting: the grant is its own.
      expect(first.lock).not.toBeNull();
      if (first.lock) expect(await locks.release(first.lock)).toBe(true);
    } else {
      // Or it failed: with the grant given back, not held by nobody for the next minute.
      expect(first.error).toMatchObject({ code: 'LOCKS_UNAVAILABLE' });
    }
    const again = await locks.acquire('report', { ttlMs: 60_000 });
    expect(again).not.toBeNull();
    if (again) await locks.release(again);
  });
});

describe('a lock store that fails after granting', () => {
  it('gives the grant back, so the next acquire is not refused until the TTL', async () => {
    const held = new Map<string, string>();
    let loseNext = true;
    const store: LockPrimitives = {
      kind: 'lossy',
      async tryAcquire(key, token) {
        if (held.has(key)) return null;
        held.set(key, token);
        if (loseNext) {
          loseNext = false;
          throw new Error('connection reset after the command ran');
        }
        return { fence: 1 };
      },
      async renew(key, token) {
        return held.get(key) === token;
      },
      async release(key, token) {
        if (held.get(key) !== token) return false;
        held.delete(key);
        return true;
      },
      async ping() {},
      async close() {},
    };
    const locks = lockManagerOf(store, randomUUID);
    await expect(locks.acquire('report', { ttlMs: 60_000 })).rejects.toThrow('connection reset');
    expect(await locks.acquire('report', { ttlMs: 60_000 })).not.toBeNull();
  });
});
