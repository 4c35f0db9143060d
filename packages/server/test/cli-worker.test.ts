/**
 * `fileforge worker` (issue 13): a child process that runs the jobs an API-side forge queues
 * on the same Redis and catalog, and stops gracefully on SIGTERM (exit 0, nothing left
 * active), after which another worker finishes whatever it handed back. Redis is a private
 * redis-server; the catalog is a schema of its own on the machine's PostgreSQL (processes
 * sharing one SQLite file get SQLITE_BUSY under this load: not a supported deployment).
 */
import { Readable } from 'node:stream';
import { createForge, type Forge } from '@fileforge/core';
import { defaultProcessors } from '@fileforge/processors';
import { POSTGRES_TEST_URL, postgresTestSchema, requireService } from '@fileforge/test-fixtures/services';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CliProcess,
  freePort,
  loginAsAdmin,
  serveEnv,
  spawnCli,
  waitForHealthy,
  waitForWorker,
} from './support/child.js';
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
    MAX_WORKERS: '1',
    SHUTDOWN_GRACE_MS: '200',
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

/**
 * SIGTERM, then waits until the server has shut down: it exits (with 0), or has logged `stopped`.
 */
async function stopServe(cli: CliProcess): Promise<void> {
  cli.child.kill('SIGTERM');
  const exited = cli.exited.then((code) => expect(code).toBe(0));
  const stopped = eventually(
    () => (/"msg":"stopped"/.test(cli.output().stdout) ? true : undefined),
    'serve stops',
  );
  await Promise.race([exited, stopped]);
}

const statusOf = async (forge: Forge, id: string) => (await forge.catalog.files.get('default', id))?.status;

describe('fileforge worker (issue 13)', () => {
  it.skipIf(!postgres)(
    'processes files queued by another process, and on SIGTERM exits 0 leaving no job active',
    async () => {
      const redis = await startPrivateRedis();
      cleanups.push(() => redis.stop());
      const schema = postgresTestSchema();
      cleanups.push(() => schema.drop());
      const dataDir = await makeTempDir();
      // The API side: queues jobs in Redis, runs none.
      const api = await createForge({
        dataDir,
        databaseUrl: schema.url,
        queueUrl: redis.url,
        runJobs: false,
        processors: defaultProcessors(),
      });
      cleanups.push(() => api.close());

      const first = startWorker(dataDir, schema.url, redis);
      await waitForWorker(first);
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const record = await api.ingest(Readable.from([Buffer.from(`invoice number ${i}\n`.repeat(200))]), {
          name: `doc-${i}.txt`,
        });
        ids.push(record.id);
      }
      await eventually(
        async () => ((await statusOf(api, ids[0]!)) === 'processed' ? true : undefined),
        'the worker processes the first file',
        { timeoutMs: 30_000 },
      );

      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      expect(first.output().stdout).toContain('worker stopped');
      // In-flight work was finished or handed back: nothing is held by the stopped worker.
      const afterStop = await api.queue.stats();
      expect(afterStop.running).toBe(0);
      const unfinished = (await Promise.all(ids.map((id) => statusOf(api, id)))).filter(
        (s) => s !== 'processed',
      );
      // Every unfinished file still has its job waiting (handed back, or never started).
      expect(afterStop.pending).toBeGreaterThanOrEqual(unfinished.length);
      expect(unfinished.length).toBeGreaterThan(0); // stopped mid-stream: the next worker has work

      // Another worker takes over what is left.
      const second = startWorker(dataDir, schema.url, redis);
      await waitForWorker(second);
      await eventually(
        async () => {
          const statuses = await Promise.all(ids.map((id) => statusOf(api, id)));
          return statuses.every((s) => s === 'processed') ? true : undefined;
        },
        'every file ends processed',
        { timeoutMs: 60_000 },
      );
      // A file is processed slightly before its job is marked done: the queue then drains.
      await eventually(async () => {
        const stats = await api.queue.stats();
        return stats.pending === 0 && stats.running === 0 ? stats : undefined;
      }, 'the queue drains');
      expect((await api.queue.stats()).failed).toBe(0);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    },
  );

  it('fileforge serve with REDIS_URL only queues jobs; with --with-worker it runs them', async () => {
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const dataDir = await makeTempDir();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const serve = (args: string[]) => {
      const cli = spawnCli(
        ['serve', ...args],
        serveEnv(port, dataDir, { REDIS_URL: redis.url, LOG_LEVEL: 'info' }),
      );
      cli.child.once('error', () => {});
      cleanups.push(async () => {
        if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
        await cli.exited;
      });
      return cli;
    };
    const queueOf = async () =>
      (
        (await (await fetch(`${url}/health/detailed`)).json()) as {
          components: { queue: Record<string, number> };
        }
      ).components.queue;

    const apiOnly = serve([]);
    await waitForHealthy(url, apiOnly);
    const headers = await loginAsAdmin(url);
    const form = new FormData();
    form.append('file', new Blob(['queued, not run\n'], { type: 'text/plain' }), 'queued.txt');
    const res = await fetch(`${url}/api/v1/files`, { method: 'POST', headers, body: form });
    expect(res.status).toBe(201);
    const { id } = ((await res.json()) as { files: Array<{ id: string }> }).files[0]!;
    expect(await queueOf()).toMatchObject({ pending: 1, running: 0, completed: 0 });
    const file = async () =>
      ((await (await fetch(`${url}/api/v1/files/${id}`, { headers })).json()) as { status: string }).status;
    expect(await file()).toBe('pending');
    await stopServe(apiOnly);

    const withWorker = serve(['--with-worker']);
    await waitForHealthy(url, withWorker);
    await eventually(
      async () => ((await file()) === 'processed' ? true : undefined),
      'the server runs the job',
    );
    await stopServe(withWorker);
  });

  it('explains itself with --help, and refuses to start without REDIS_URL or on a SQLite catalog', async () => {
    const help = spawnCli(['worker', '--help'], {});
    expect(await help.exited).toBe(0);
    expect(help.output().stdout).toMatch(/Usage: fileforge worker[\s\S]*REDIS_URL[\s\S]*SIGTERM/);

    const dataDir = await makeTempDir();
    const bare = spawnCli(['worker'], { DATA_DIR: dataDir, REDIS_URL: '' });
    expect(await bare.exited).toBe(1);
    expect(bare.output().stderr).toMatch(/REDIS_URL is not set/);
    // A SQLite catalog belongs to one process: refused before anything opens.
    const sqlite = spawnCli(['worker'], {
      DATA_DIR: dataDir,
      REDIS_URL: 'redis://127.0.0.1:1',
      DATABASE_URL: '',
    });
    expect(await sqlite.exited).toBe(1);
    expect(sqlite.output().stderr).toMatch(
      /SQLite file, which belongs to one process.*DATABASE_URL=postgresql/,
    );
  });
});
