/**
 * "Losing Redis mid-test gives 503s (never 201) and recovery after it returns" (issue 13): a
 * server whose queue is BullMQ on a private redis-server that the test kills and starts again.
 */
import { Readable } from 'node:stream';
import { createForge } from '@fileforge/core';
import { defaultProcessors } from '@fileforge/processors';
import { afterEach, describe, expect, it } from 'vitest';
import { type PrivateRedis, startPrivateRedis } from './support/private-redis.js';
import { eventually, makeTempDir, startTestServer, stopTestServers, waitForFinal } from './support/server.js';

let redis: PrivateRedis | undefined;
afterEach(async () => {
  await stopTestServers();
  await redis?.stop();
  redis = undefined;
});

function oneFile(name: string, text: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'text/plain' }), name);
  return form;
}

type Uploaded = { files: Array<{ id: string }> };
type ErrorBody = { error: { code: string; details?: { stored?: Array<{ id: string; name: string }> } } };

describe('uploads while Redis (the BullMQ queue) is down (issue 13)', () => {
  it('answer 503 QUEUE_UNAVAILABLE, never 201, leave the file pending, and work again once Redis is back', async () => {
    redis = await startPrivateRedis();
    const ts = await startTestServer({ queueUrl: redis.url, queueTiming: { leaseMs: 2000 } });

    const before = await ts.api('/api/v1/files', { method: 'POST', body: oneFile('before.txt', 'before\n') });
    expect(before.status).toBe(201);
    const beforeId = ((await before.json()) as Uploaded).files[0]!.id;
    expect((await waitForFinal(ts.api, beforeId)).status).toBe('processed');

    await redis.stop();
    const storedDuringOutage: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await ts.api('/api/v1/files', {
        method: 'POST',
        body: oneFile(`down-${i}.txt`, `down ${i}\n`),
      });
      expect(res.status).toBe(503);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe('QUEUE_UNAVAILABLE');
      expect(body.error.details?.stored).toEqual([{ id: expect.any(String), name: `down-${i}.txt` }]);
      storedDuringOutage.push(body.error.details!.stored![0]!.id);
    }
    // Stored, not processed, and not claiming more: pending until processing is queued.
    for (const id of storedDuringOutage) {
      const record = (await (await ts.api(`/api/v1/files/${id}`)).json()) as { status: string };
      expect(record.status).toBe('pending');
    }
    const health = await ts.api('/health/detailed');
    expect(health.status).toBe(503);
    expect(
      ((await health.json()) as { components: { queue: { status: string } } }).components.queue.status,
    ).toBe('unhealthy');

    await redis.start();
    // The connection comes back on its own (reconnect backoff): the first 201 ends the outage.
    const after = await eventually(
      async () => {
        const res = await ts.api('/api/v1/files', { method: 'POST', body: oneFile('after.txt', 'after\n') });
        if (res.status === 201) return ((await res.json()) as Uploaded).files[0]!;
        expect(res.status).toBe(503);
        return undefined;
      },
      'an upload succeeds once Redis is back',
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect((await waitForFinal(ts.api, after.id)).status).toBe('processed');

    // Redis came back empty: the queue knows only what was queued since (a file is processed a
    // moment before its job is marked done, hence onIdle).
    await ts.forge.queue.onIdle();
    expect(await ts.forge.queue.stats()).toMatchObject({ pending: 0, running: 0, failed: 0 });

    // Files stored during the outage have no job yet; the next start (or the server's periodic
    // re-queue) queues them, and the Redis that came back empty runs them.
    await ts.server.close();
    const again = await createForge({
      dataDir: ts.dataDir,
      queueUrl: redis.url,
      processors: defaultProcessors(),
    });
    try {
      for (const id of storedDuringOutage) {
        await expect
          .poll(async () => (await again.catalog.files.get('default', id))?.status, { timeout: 20_000 })
          .toBe('processed');
      }
      await again.queue.onIdle();
      expect(await again.queue.stats()).toMatchObject({ pending: 0, running: 0, failed: 0 });
    } finally {
      await again.close();
    }
  });

  it('the server starts while Redis is down, answers 503 until it is up, then uploads are processed', async () => {
    redis = await startPrivateRedis();
    const dataDir = await makeTempDir();
    // A file left unfinished by an earlier run, so that start-up has something to queue.
    const earlier = await createForge({ dataDir, queueUrl: redis.url, runJobs: false });
    const left = await earlier.ingest(Readable.from([Buffer.from('left over\n')]), { name: 'left.txt' });
    await earlier.close();
    await redis.stop();

    const ts = await startTestServer({ dataDir, queueUrl: redis.url });
    const down = await ts.api('/api/v1/files', { method: 'POST', body: oneFile('down.txt', 'down\n') });
    expect(down.status).toBe(503);
    expect(((await down.json()) as ErrorBody).error.code).toBe('QUEUE_UNAVAILABLE');

    await redis.start();
    const up = await eventually(
      async () => {
        const res = await ts.api('/api/v1/files', { method: 'POST', body: oneFile('up.txt', 'up\n') });
        return res.status === 201 ? ((await res.json()) as Uploaded).files[0]! : undefined;
      },
      'an upload succeeds once Redis is up',
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect((await waitForFinal(ts.api, up.id)).status).toBe('processed');
    // The left-over file was not queued at start-up (Redis was down): still pending, not lost.
    expect((await ts.forge.catalog.files.get('default', left.id))?.status).toBe('pending');
  });
});
