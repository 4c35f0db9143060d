import { statfs } from 'node:fs/promises';
import type { Forge } from '@fileforge/core';
import { Hono } from 'hono';
import type { RequestStats } from '../observability/stats.js';
import type { ServerEnv } from '../server-env.js';

type Check = { status: 'healthy' | 'unhealthy'; latency_ms: number; error?: string };

async function timed(fn: () => Promise<unknown>): Promise<Check> {
  const started = performance.now();
  try {
    await fn();
    return { status: 'healthy', latency_ms: Math.round((performance.now() - started) * 100) / 100 };
  } catch (error) {
    return {
      status: 'unhealthy',
      latency_ms: Math.round(performance.now() - started),
      error: (error as Error).message.replace(/^\[fileforge(:[a-z-]+)?\]\s*/, ''),
    };
  }
}

/**
 * `GET /health` (liveness), `GET /ready` (database and storage answer) and
 * `GET /health/detailed` (latencies, free disk, queue, request counters), in the shapes of
 * FileForge's operations guide.
 */
export function healthRoutes(forge: Forge, stats: RequestStats, version: string) {
  const app = new Hono<ServerEnv>();
  const now = () => new Date().toISOString();

  app.get('/health', (c) => c.json({ status: 'healthy', timestamp: now(), version }));

  app.get('/ready', async (c) => {
    const [database, storage] = await Promise.all([
      timed(() => forge.catalog.ping()),
      timed(() => forge.blobs.check()),
    ]);
    const ready = database.status === 'healthy' && storage.status === 'healthy' && !forge.closing;
    return c.json(
      {
        status: ready ? 'ready' : 'not_ready',
        components: { database: database.status, storage: storage.status },
        timestamp: now(),
      },
      ready ? 200 : 503,
    );
  });

  app.get('/health/detailed', async (c) => {
    const database = await timed(() => forge.catalog.ping());
    let freeBytes: number | undefined;
    const storage = await timed(async () => {
      freeBytes = (await forge.blobs.check()).freeBytes;
    });
    if (freeBytes === undefined) {
      freeBytes = await statfs(forge.options.uploadFolder)
        .then((s) => s.bavail * s.bsize)
        .catch(() => undefined);
    }
    const queue = await forge.queue.stats().catch(() => undefined);
    const healthy = database.status === 'healthy' && storage.status === 'healthy';
    return c.json(
      {
        status: healthy ? 'healthy' : 'unhealthy',
        version,
        timestamp: now(),
        components: {
          database: { ...database, dialect: forge.catalog.dialect },
          storage: {
            ...storage,
            disk_free_gb: freeBytes === undefined ? null : Math.round((freeBytes / 1024 ** 3) * 100) / 100,
          },
          queue: { status: queue ? 'healthy' : 'unhealthy', ...queue },
        },
        metrics: {
          requests_total: stats.requests,
          errors_total: stats.errors,
          avg_response_time_ms:
            stats.requests === 0 ? 0 : Math.round((stats.totalMs / stats.requests) * 100) / 100,
          uptime_seconds: Math.round(process.uptime()),
          memory_rss_mb: Math.round(process.memoryUsage.rss() / 1024 / 1024),
        },
      },
      healthy ? 200 : 503,
    );
  });

  return app;
}
