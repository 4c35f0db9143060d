/**
 * Scale-out end to end (issue 13): one `fileforge serve` and two `fileforge worker` child
 * processes, each with a data directory of its own, sharing a PostgreSQL catalog (a fresh
 * schema of the machine's server), a private `redis-server` (BullMQ) and an S3 emulator for
 * every blob. 500 small images are uploaded over HTTP; one worker is SIGKILLed while it holds a
 * job. Then every file is processed, each has exactly one thumbnail (one catalog row, one
 * object, no stray object left by the killed worker), no job is left in the queue, the killed
 * job was recovered by the other worker, and the API answered `/health` all along.
 */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { type S3Emulator, startS3Emulator } from '@fileforge/test-fixtures/s3';
import { POSTGRES_TEST_URL, postgresTestSchema, requireService } from '@fileforge/test-fixtures/services';
import { type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleCli, spawnBundledCli } from './support/bundled-cli.js';
import {
  type CliProcess,
  freePort,
  loginAsAdmin,
  serveEnv,
  waitForHealthy,
  waitForWorker,
} from './support/child.js';
import { makePng } from './support/fixtures.js';
import { startPrivateRedis } from './support/private-redis.js';
import { eventually, makeTempDir, stopTestServers, TOKEN_SECRET } from './support/server.js';

const postgres = await requireService('PostgreSQL', POSTGRES_TEST_URL);

const FILES = 500;
/** Files per upload request, and requests in flight at once. */
const PER_REQUEST = 10;
const PARALLEL_REQUESTS = 4;
/** Jobs done before a worker is killed: it dies while uploads and processing go on. */
const KILL_AFTER = 50;
/** The processes' BullMQ queue: FileForge's default prefix and name. */
const QUEUE = { name: 'fileforge', prefix: 'fileforge' };

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  await stopTestServers();
});

/** Ends a child on leaving the test (SIGKILL if it still runs). */
function owned(cli: CliProcess): CliProcess {
  cli.child.once('error', () => {});
  cleanups.push(async () => {
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
    await cli.exited;
  });
  return cli;
}

/** 500 distinct small PNGs (distinct sizes, so no two share a blob). */
const images = Array.from({ length: FILES }, (_, i) => ({
  name: `photo-${String(i).padStart(3, '0')}.png`,
  bytes: makePng(40 + (i % 25), 30 + Math.floor(i / 25)),
}));

/** Every key in the emulator's bucket. */
async function allObjects(s3: S3Emulator): Promise<string[]> {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: { ...s3.credentials },
    forcePathStyle: true,
  });
  try {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: s3.bucket, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  } finally {
    client.destroy();
  }
}

/** Polls `GET /health` until `stop()`, recording every answer (or failure). */
function probeHealth(url: string) {
  const answers: Array<number | string> = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const status = await fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) })
        .then(async (res) => {
          await res.arrayBuffer();
          return res.status;
        })
        .catch((error: Error) => error.message);
      answers.push(status);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    answers,
    async stop() {
      running = false;
      await done;
    },
  };
}

describe.skipIf(!postgres)('scale-out: 1 API + 2 workers on PostgreSQL, Redis and S3 (issue 13)', () => {
  it('processes 500 uploads exactly once in effect while a worker is SIGKILLed mid-job', {
    timeout: 480_000,
  }, async () => {
    const [bundle, redis, s3] = await Promise.all([bundleCli(), startPrivateRedis(), startS3Emulator()]);
    cleanups.push(bundle.remove, redis.stop, s3.close);
    const schema = postgresTestSchema();
    cleanups.push(schema.drop);
    const shared = {
      DATABASE_URL: schema.url,
      REDIS_URL: redis.url,
      ...s3.env,
      SECRET_KEY: TOKEN_SECRET,
      JWT_SECRET_KEY: TOKEN_SECRET,
    };
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // Three "machines": no process shares a data directory with another.
    const [apiDir, dirA, dirB] = await Promise.all([makeTempDir(), makeTempDir(), makeTempDir()]);
    const api = owned(spawnBundledCli(bundle.path, ['serve'], serveEnv(port, apiDir, shared)));
    const workerEnv = (dataDir: string) => ({
      ...shared,
      DATA_DIR: dataDir,
      MAX_WORKERS: '1',
      SHUTDOWN_GRACE_MS: '2000',
      // The killed worker's job runs elsewhere within two leases: 20 s instead of a minute.
      JOB_LEASE_MS: '10000',
      LOG_LEVEL: 'info',
    });
    const workerA = owned(spawnBundledCli(bundle.path, ['worker'], workerEnv(dirA)));
    const workerB = owned(spawnBundledCli(bundle.path, ['worker'], workerEnv(dirB)));
    await Promise.all([waitForHealthy(url, api), waitForWorker(workerA), waitForWorker(workerB)]);
    const auth = await loginAsAdmin(url);

    const queue = new Queue(QUEUE.name, { prefix: QUEUE.prefix, connection: { url: redis.url } as never });
    queue.on('error', () => {});
    cleanups.push(() => queue.close());
    const health = probeHealth(url);

    // Upload: PER_REQUEST files a request, PARALLEL_REQUESTS requests at once.
    const ids: string[] = [];
    const statuses: number[] = [];
    let next = 0;
    const uploads = Promise.all(
      Array.from({ length: PARALLEL_REQUESTS }, async () => {
        while (next < FILES) {
          const batch = images.slice(next, next + PER_REQUEST);
          next += PER_REQUEST;
          const form = new FormData();
          for (const image of batch) form.append('file', new File([image.bytes], image.name));
          const res = await fetch(`${url}/api/v1/files`, { method: 'POST', headers: auth, body: form });
          statuses.push(res.status);
          const body = (await res.json()) as { files?: Array<{ id: string }> };
          ids.push(...(body.files ?? []).map((f) => f.id));
        }
      }),
    );
    // Meanwhile, once KILL_AFTER jobs are done and both workers hold one (MAX_WORKERS=1 each),
    // the first worker is SIGKILLed mid-job.
    let completedAtKill = 0;
    const kill = (async () => {
      let counts: Record<string, number> = {};
      await eventually(
        async () => {
          counts = await queue.getJobCounts('active', 'completed', 'wait', 'delayed', 'failed');
          return counts.active === 2 && (counts.completed ?? 0) >= KILL_AFTER ? true : undefined;
        },
        'both workers run a job',
        { timeoutMs: 180_000, intervalMs: 20 },
      ).catch((error: Error) => {
        const logs = [workerA, workerB].map(
          (w) => w.output().stderr.slice(-2000) + w.output().stdout.slice(-2000),
        );
        throw new Error(
          `${error.message}; queue ${JSON.stringify(counts)}; workers:\n${logs.join('\n---\n')}`,
        );
      });
      workerA.child.kill('SIGKILL');
      completedAtKill = await queue.getCompletedCount();
      return workerA.exited;
    })();
    expect((await Promise.all([kill, uploads]))[0]).toBe('SIGKILL');
    expect(statuses.every((s) => s === 201)).toBe(true);
    expect(new Set(ids).size).toBe(FILES);
    expect(completedAtKill).toBeLessThan(FILES);

    // Every file ends processed, as the API reports it.
    const list = async (status: string) => {
      const res = await fetch(`${url}/api/v1/files?status=${status}&limit=500`, { headers: auth });
      expect(res.status).toBe(200);
      return ((await res.json()) as { items: Array<{ id: string }> }).items;
    };
    await eventually(
      async () => {
        const failed = await list('failed');
        if (failed.length > 0) throw new Error(`${failed.length} files failed`);
        return (await list('processed')).length === FILES ? true : undefined;
      },
      'every file is processed',
      { timeoutMs: 180_000, intervalMs: 1000 },
    );
    await health.stop();

    // Nothing left in the queue: not active, not waiting, not failed (API and BullMQ agree).
    // A file turns processed just before its job is marked completed in BullMQ: let the last settle.
    const queueHealth = async () => {
      const detailed = await fetch(`${url}/health/detailed`, { headers: auth });
      return ((await detailed.json()) as { components: Record<string, { running?: number }> }).components
        .queue;
    };
    await eventually(
      async () => ((await queueHealth())?.running === 0 ? true : undefined),
      'the last job settles',
      {
        timeoutMs: 30_000,
        intervalMs: 200,
      },
    );
    expect(await queueHealth()).toMatchObject({ status: 'healthy', pending: 0, running: 0, failed: 0 });
    expect(
      await queue.getJobCounts('active', 'wait', 'delayed', 'prioritized', 'waiting-children', 'failed'),
    ).toEqual({ active: 0, wait: 0, delayed: 0, prioritized: 0, 'waiting-children': 0, failed: 0 });
    // The killed worker's job was recovered from its stall and completed by the other worker;
    // only the two workers ran jobs (the API process ran none).
    const completed: Job[] = await queue.getCompleted(0, -1);
    expect(completed.length).toBeGreaterThanOrEqual(FILES);
    const recovered = completed.filter((job) => job.stalledCounter > 0);
    expect(recovered.length).toBeGreaterThanOrEqual(1);
    const ranBy = new Set(completed.map((job) => job.processedBy));
    expect(ranBy.size).toBe(2);
    for (const job of recovered) expect(ranBy).toContain(job.processedBy);
    // FileForge's per-file key state (which job of a file waits, which one runs) is cleared.
    const client = new Redis(redis.url, { lazyConnect: true });
    client.on('error', () => {});
    await client.connect();
    try {
      expect(await client.keys(`${QUEUE.prefix}:${QUEUE.name}:fileforge-key:*`)).toEqual([]);
    } finally {
      client.disconnect();
    }

    // Exactly one thumbnail per file in the catalog, and the bucket holds exactly the blobs
    // the catalog names: originals and thumbnails, nothing twice, nothing orphaned.
    const db = new pg.Client({ connectionString: POSTGRES_TEST_URL });
    db.on('error', () => {});
    await db.connect();
    let fileKeys: string[];
    let derivatives: Array<{ file_id: string; name: string; blob_key: string }>;
    try {
      fileKeys = (await db.query(`select blob_key from "${schema.schema}".files`)).rows.map(
        (r: { blob_key: string }) => r.blob_key,
      );
      derivatives = (await db.query(`select file_id, name, blob_key from "${schema.schema}".derivatives`))
        .rows;
    } finally {
      await db.end();
    }
    expect(fileKeys).toHaveLength(FILES);
    expect(derivatives).toHaveLength(FILES);
    expect(new Set(derivatives.map((d) => d.file_id))).toEqual(new Set(ids));
    expect(new Set(derivatives.map((d) => d.name))).toEqual(new Set(['thumbnail-256.webp']));
    const objects = await allObjects(s3);
    expect(objects.filter((key) => key.includes('/derived/'))).toHaveLength(FILES);
    expect(objects.sort()).toEqual([...fileKeys, ...derivatives.map((d) => d.blob_key)].sort());

    // The recovered file's thumbnail is served by the API.
    const recoveredId = (recovered[0]?.data as { payload: { fileId: string } } | undefined)?.payload.fileId;
    expect(ids).toContain(recoveredId);
    const thumb = await fetch(`${url}/api/v1/files/${recoveredId}/derivatives/thumbnail-256.webp`, {
      headers: auth,
    });
    expect(thumb.status).toBe(200);
    expect(
      Buffer.from(await thumb.arrayBuffer())
        .subarray(8, 12)
        .toString('latin1'),
    ).toBe('WEBP');

    // The API answered /health throughout the run.
    expect(health.answers.length).toBeGreaterThan(10);
    expect(health.answers.filter((a) => a !== 200)).toEqual([]);

    // The surviving worker and the API stop gracefully.
    workerB.child.kill('SIGTERM');
    api.child.kill('SIGTERM');
    expect(await workerB.exited).toBe(0);
    expect(await api.exited).toBe(0);
  });
});
