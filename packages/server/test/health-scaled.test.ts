/**
 * "`/ready` and `/health/detailed` report PostgreSQL, Redis and S3 with latencies" (issue 13):
 * a server configured as a scaled-out instance — the catalog in a PostgreSQL schema of its own,
 * the queue and locks on a private redis-server (as REDIS_URL sets both), blobs in the S3
 * emulator — probed over HTTP, then with its Redis killed and started again.
 */

import { type S3Emulator, startS3Emulator } from '@fileforge/test-fixtures/s3';
import { POSTGRES_TEST_URL, postgresTestSchema, requireService } from '@fileforge/test-fixtures/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateRedis, startPrivateRedis } from './support/private-redis.js';
import {
  eventually,
  type FileResource,
  startTestServer,
  stopTestServers,
  waitForFinal,
} from './support/server.js';

const postgres = await requireService('PostgreSQL', POSTGRES_TEST_URL);

let s3: S3Emulator | undefined;
let redis: PrivateRedis | undefined;
const schema = postgresTestSchema();
beforeAll(async () => {
  if (!postgres) return;
  s3 = await startS3Emulator({ bucket: 'fileforge-health-scaled' });
  redis = await startPrivateRedis();
});
afterAll(async () => {
  await stopTestServers();
  await redis?.stop();
  await s3?.close();
  if (postgres) await schema.drop();
});

const latency = expect.any(Number);

type Ready = {
  status: string;
  components: Record<string, string>;
  latency_ms: Record<string, number>;
};

describe.skipIf(!postgres)('health of a scaled-out instance: PostgreSQL, Redis and S3 (issue 13)', () => {
  it('reports each dependency with its latency, and Redis lost then back', { timeout: 60_000 }, async () => {
    const t = await startTestServer({
      databaseUrl: schema.url,
      queueUrl: redis!.url,
      locksUrl: redis!.url,
      s3: { bucket: s3!.bucket, endpoint: s3!.endpoint, region: s3!.region, credentials: s3!.credentials },
    });

    const ready = await fetch(`${t.url}/ready`);
    expect(ready.status).toBe(200);
    const readyBody = (await ready.json()) as Ready;
    expect(readyBody).toMatchObject({
      status: 'ready',
      components: { database: 'healthy', storage: 'healthy', redis: 'healthy', startup: 'complete' },
      latency_ms: { database: latency, storage: latency, redis: latency },
    });
    for (const ms of Object.values(readyBody.latency_ms)) expect(ms).toBeGreaterThanOrEqual(0);

    const detailed = await fetch(`${t.url}/health/detailed`);
    expect(detailed.status).toBe(200);
    expect(await detailed.json()).toMatchObject({
      status: 'healthy',
      components: {
        database: { status: 'healthy', engine: 'postgresql', latency_ms: latency, connections_idle: latency },
        storage: { status: 'healthy', engine: 's3', latency_ms: latency },
        redis: { status: 'healthy', latency_ms: latency, used_for: ['locks'] },
        queue: { status: 'healthy', latency_ms: latency },
      },
    });

    // Redis gone: reported unhealthy, but still ready (reads and downloads go on; uploads
    // answer 503 QUEUE_UNAVAILABLE — docs/scaling.md); /health/detailed is unhealthy.
    await redis!.stop();
    const stillReady = await fetch(`${t.url}/ready`);
    expect(stillReady.status).toBe(200);
    expect(await stillReady.json()).toMatchObject({
      status: 'ready',
      components: { database: 'healthy', storage: 'healthy', redis: 'unhealthy' },
      latency_ms: { redis: latency },
    });
    const unhealthy = await fetch(`${t.url}/health/detailed`);
    expect(unhealthy.status).toBe(503);
    expect(await unhealthy.json()).toMatchObject({
      status: 'unhealthy',
      components: { database: { status: 'healthy' }, redis: { status: 'unhealthy' } },
    });

    // Back: reported healthy again without a restart.
    await redis!.start();
    await eventually(
      async () => {
        const res = await fetch(`${t.url}/ready`);
        const body = (await res.json()) as Ready;
        return res.status === 200 && body.components.redis === 'healthy' ? true : undefined;
      },
      '/ready never reported Redis healthy once it was back',
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    // And the instance works again: an upload is stored and processed through the queue.
    // (It also wakes the BullMQ worker: an idle one whose Redis restarted does not close yet.)
    const form = new FormData();
    form.append('file', new Blob(['back again'], { type: 'text/plain' }), 'back.txt');
    const res = await t.api('/api/v1/files', { method: 'POST', body: form });
    expect(res.status).toBe(201);
    const [file] = ((await res.json()) as { files: FileResource[] }).files;
    expect((await waitForFinal(t.api, file!.id)).status).toBe('processed');
  });
});
