/**
 * Several processes on one deployment (issue 13): an API-side forge that only queues, two
 * `fileforge worker` children on the same PostgreSQL catalog, local blob folder and (private)
 * Redis; one worker is SIGKILLed while it runs jobs. Every file ends processed with its
 * derivatives once, and no job is left active or failed.
 */
import { Readable } from 'node:stream';
import { createForge } from '@fileforge/core';
import { defaultProcessors } from '@fileforge/processors';
import { POSTGRES_TEST_URL, postgresTestSchema, requireService } from '@fileforge/test-fixtures/services';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliProcess, spawnCli } from './support/child.js';
import { makePng } from './support/fixtures.js';
import { type PrivateRedis, startPrivateRedis } from './support/private-redis.js';
import { eventually, makeTempDir, stopTestServers, TOKEN_SECRET } from './support/server.js';

const postgres = await requireService('PostgreSQL', POSTGRES_TEST_URL);
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await stopTestServers();
});

function startWorker(dataDir: string, databaseUrl: string, redis: PrivateRedis): CliProcess {
  const worker = spawnCli(['worker'], {
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    MAX_WORKERS: '2',
    // A dead worker's jobs run again elsewhere after 2 s instead of 30 s.
    JOB_LEASE_MS: '2000',
    SECRET_KEY: TOKEN_SECRET,
    JWT_SECRET_KEY: TOKEN_SECRET,
    LOG_LEVEL: 'info',
  });
  worker.child.once('error', () => {});
  cleanups.push(async () => {
    if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await worker.exited;
  });
  return worker;
}

const started = (worker: CliProcess) =>
  eventually(
    () => {
      if (worker.child.exitCode !== null) throw new Error(`worker exited early:\n${worker.output().stderr}`);
      return worker.output().stdout.includes('FileForge worker running jobs') ? true : undefined;
    },
    'a worker starts',
    { timeoutMs: 60_000, intervalMs: 100 },
  );

/** How many of the queue's jobs were recovered from a dead holder (BullMQ's `stc` count). */
async function stalledJobs(url: string): Promise<number> {
  const client = new Redis(url);
  client.on('error', () => {});
  try {
    let stalled = 0;
    for (const key of await client.keys('fileforge:fileforge:*')) {
      if ((await client.type(key)) !== 'hash') continue;
      if (Number(await client.hget(key, 'stc')) > 0) stalled++;
    }
    return stalled;
  } finally {
    client.disconnect();
  }
}

describe.skipIf(!postgres)('two workers, one killed mid-job (issue 13)', () => {
  it('processes every file exactly once in effect, with nothing left active', async () => {
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const schema = postgresTestSchema();
    cleanups.push(() => schema.drop());
    const dataDir = await makeTempDir();
    const api = await createForge({
      dataDir,
      databaseUrl: schema.url,
      queueUrl: redis.url,
      runJobs: false,
      processors: defaultProcessors(),
    });
    cleanups.push(() => api.close());

    // The files are queued before the workers start, so both are busy when one is killed.
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const record = await api.ingest(Readable.from([makePng(40 + i, 30 + (i % 7))]), {
        name: `image-${i}.png`,
      });
      ids.push(record.id);
    }
    const [doomed, survivor] = [
      startWorker(dataDir, schema.url, redis),
      startWorker(dataDir, schema.url, redis),
    ];
    await Promise.all([started(doomed), started(survivor)]);
    const statuses = async () =>
      Promise.all(ids.map(async (id) => (await api.catalog.files.get('default', id))?.status));
    await eventually(
      async () => ((await statuses()).filter((s) => s === 'processed').length >= 6 ? true : undefined),
      'the workers process the first files',
      { timeoutMs: 60_000 },
    );
    expect((await api.queue.stats()).running).toBeGreaterThan(0);
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');

    await eventually(
      async () => ((await statuses()).every((s) => s === 'processed') ? true : undefined),
      'every file ends processed',
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    await eventually(async () => {
      const stats = await api.queue.stats();
      return stats.pending === 0 && stats.running === 0 ? stats : undefined;
    }, 'the queue drains');
    expect((await api.queue.stats()).failed).toBe(0);
    // The killed worker held jobs: BullMQ's stalled-job check gave them to the survivor.
    expect(await stalledJobs(redis.url)).toBeGreaterThan(0);
    for (const id of ids) {
      const derivatives = await api.files.derivatives(id);
      const names = derivatives.map((d) => d.name);
      expect(new Set(names).size).toBe(names.length);
      expect(names.some((name) => name.startsWith('thumbnail-'))).toBe(true);
      // Each derivative's blob is there (a rerun replaced it, never left the record pointing at nothing).
      for (const d of derivatives) expect(await api.blobs.stat(d.blobKey)).toEqual({ size: d.size });
    }

    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toBe(0);
  }, 180_000);
});
