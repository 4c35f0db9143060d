/**
 * The probes under the conditions an operator meets: dependencies that never answer (a frozen
 * PostgreSQL, a silent outbox), a probe storm while one is slow, and the upload folder's temp
 * directory removed while the server runs. A dependency that "never answers" is the forge's own
 * call replaced by one that never settles — what a black-holed connection looks like to it.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startIntegrationServer } from './support/integrations.js';
import { startTestServer, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

const never = () => new Promise<never>(() => {});

const timed = async <T>(work: () => Promise<T>) => {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
};

/** GET with a deadline of its own, so a probe that hangs fails the test instead of stalling it. */
async function probe(url: string) {
  const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('health probes: deadlines, probe storms, recovery', () => {
  it('/health/detailed answers within one check limit (5 s) when every dependency hangs, the webhook outbox included', {
    timeout: 30_000,
  }, async () => {
    const s = await startIntegrationServer();
    s.forge.catalog.ping = never;
    s.forge.blobs.check = never;
    s.forge.queue.stats = never;
    const hooks = s.integrations.webhooks!.service as { backlog: () => Promise<unknown> };
    hooks.backlog = never;

    const { value, ms } = await timed(() => probe(`${s.url}/health/detailed`));
    expect(value.status).toBe(503);
    expect(value.body).toMatchObject({
      status: 'unhealthy',
      components: {
        database: { status: 'unhealthy' },
        storage: { status: 'unhealthy' },
        queue: { status: 'unhealthy' },
        webhooks: { status: 'unhealthy' },
      },
    });
    // The checks run side by side: one limit (5 s), not their sum, and never forever.
    expect(ms).toBeLessThan(8_000);
  });

  it('concurrent probes share one check of a slow dependency, and a later probe checks afresh', {
    timeout: 30_000,
  }, async () => {
    const s = await startTestServer();
    const ping = s.forge.catalog.ping.bind(s.forge.catalog);
    let pings = 0;
    s.forge.catalog.ping = () => {
      pings++;
      return never();
    };
    const storm = await Promise.all(Array.from({ length: 25 }, () => probe(`${s.url}/ready`)));
    expect(storm.map((r) => r.status)).toEqual(storm.map(() => 503));
    expect(pings).toBe(1);

    // The database answers again: the next probe does not wait on the abandoned call.
    s.forge.catalog.ping = () => {
      pings++;
      return ping();
    };
    const after = await probe(`${s.url}/ready`);
    expect(after.status).toBe(200);
    expect(pings).toBe(2);
  });

  it('/ready and uploads recover when the temp directory of UPLOAD_FOLDER is removed while serving', async () => {
    const s = await startTestServer();
    expect((await probe(`${s.url}/ready`)).status).toBe(200);
    await rm(join(s.uploadFolder, '.tmp'), { recursive: true, force: true });

    const ready = await probe(`${s.url}/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ components: { storage: 'healthy' } });
    const form = new FormData();
    form.append('file', new Blob(['still here'], { type: 'text/plain' }), 'still.txt');
    const res = await s.api('/api/v1/files', { method: 'POST', body: form });
    expect(res.status).toBe(201);
  });
});
