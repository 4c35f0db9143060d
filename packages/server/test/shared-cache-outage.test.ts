/**
 * The shared cache (REDIS_URL) while Redis is down or not answering: its calls fail within a
 * second, so what reads it falls back to the catalog at once. Before, node-redis queued every
 * command while disconnected and a frozen Redis answered nothing: each call hung, and with
 * webhooks on (they read the cache for every event) every upload waited for the event
 * dispatcher's 30 s listener timeout.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { createForge, createSharedCache, type Forge, type SharedCache } from '@fileforge/core';
import { createWebhooksExtension } from '@fileforge/integrations';
import { afterEach, describe, expect, it } from 'vitest';
import { type PrivateRedis, startPrivateRedis } from './support/private-redis.js';
import { makeTempDir, stopTestServers } from './support/server.js';

let redis: PrivateRedis | undefined;
let forge: Forge | undefined;
const caches: SharedCache[] = [];
afterEach(async () => {
  await forge?.close();
  forge = undefined;
  for (const cache of caches.splice(0)) await cache.close();
  await redis?.stop();
  redis = undefined;
  await stopTestServers();
});

/** Milliseconds `work` took to settle (resolve or reject). */
async function timed(work: () => Promise<unknown>): Promise<{ ms: number; error?: unknown }> {
  const start = performance.now();
  try {
    await work();
    return { ms: performance.now() - start };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

describe('the shared cache while Redis is away', () => {
  it('fails its calls within a second while Redis is down, and works again once it is back', {
    timeout: 60_000,
  }, async () => {
    redis = await startPrivateRedis();
    const cache = createSharedCache({ url: redis.url, namespace: 'outage' });
    caches.push(cache);
    await cache.set('k', 'v1', 60_000);
    expect(await cache.get('k')).toBe('v1');

    await redis.stop();
    for (const call of [() => cache.get('k'), () => cache.set('k', 'v2'), () => cache.ping()]) {
      const { ms, error } = await timed(call);
      expect(error).toBeDefined();
      expect(ms).toBeLessThan(3_000);
    }

    await redis.start();
    // Reconnected (a restart without persistence starts empty).
    await expect
      .poll(
        () =>
          cache.set('k', 'v3').then(
            () => true,
            () => false,
          ),
        { timeout: 20_000 },
      )
      .toBe(true);
    expect(await cache.get('k')).toBe('v3');
  });

  it('fails its calls within its time limit when Redis accepts connections and answers nothing', {
    timeout: 30_000,
  }, async () => {
    const sockets: Socket[] = [];
    const frozen: Server = createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => frozen.listen(0, '127.0.0.1', resolve));
    const { port } = frozen.address() as { port: number };
    try {
      const cache = createSharedCache({ url: `redis://127.0.0.1:${port}`, timeoutMs: 500 });
      caches.push(cache);
      const { ms, error } = await timed(() => cache.get('k'));
      expect(error).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
      expect(ms).toBeLessThan(2_500);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => frozen.close(() => resolve()));
    }
  });

  it('with webhooks on, an upload while Redis is down completes in seconds, not after the 30 s listener timeout', {
    timeout: 90_000,
  }, async () => {
    redis = await startPrivateRedis();
    const hooks = createWebhooksExtension({
      secretKey: 'shared-cache-outage-secret-0123456789',
      allowedHosts: ['127.0.0.1'],
      cacheUrl: redis.url,
    });
    forge = await createForge({ dataDir: await makeTempDir(), extensions: [hooks] });
    await hooks.service.subscribe({ name: 'sink', url: 'http://127.0.0.1:9/hooks', events: ['file.*'] });
    await forge.ingest(Readable.from([Buffer.from('before\n')]), { name: 'before.txt' });

    await redis.stop();
    const { ms, error } = await timed(() =>
      forge!.ingest(Readable.from([Buffer.from('during\n')]), { name: 'during.txt' }),
    );
    expect(error).toBeUndefined();
    expect(ms).toBeLessThan(10_000);
    // Its event still reached the subscription (matched from the catalog): an attempt is queued.
    const page = await forge.files.list();
    expect(page.items.map((f) => f.name).sort()).toEqual(['before.txt', 'during.txt']);
  });
});
