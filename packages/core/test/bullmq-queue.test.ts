/**
 * BullMQ queue behaviour beyond the shared conformance suite: a worker process killed in the
 * middle of a job (its lock expires, another instance runs the job), a retrying run superseded
 * by its key's pending job, a key whose pending job BullMQ failed before it started (it must not
 * absorb later enqueues nor supersede a retry), the outcome hooks, and Redis unreachable (issue 13).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createBullmqQueue, ErrorCode, type JobQueue, type JobRecord } from '@fileforge/core';
import { REDIS_TEST_URL, requireService } from '@fileforge/test-fixtures/services';
import { Job, UnrecoverableError, Worker, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteRedisPrefix, testPrefix } from './support/redis.js';

const redis = await requireService('Redis', REDIS_TEST_URL);
const CHILD = fileURLToPath(new URL('./support/bullmq-child.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

type Jobs = { work: { n: number } };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function queueOn(
  prefix: string,
  options: Partial<Parameters<typeof createBullmqQueue>[0]> = {},
): JobQueue<Jobs> {
  const queue = createBullmqQueue<Jobs>({ url: REDIS_TEST_URL, prefix, backoff: () => 10, ...options });
  cleanups.push(() => queue.close({ graceMs: 100 }));
  return queue;
}

function isolated(): string {
  const prefix = testPrefix();
  cleanups.unshift(() => deleteRedisPrefix(REDIS_TEST_URL, prefix));
  return prefix;
}

describe.skipIf(!redis)('BullMQ queue on Redis (issue 13)', () => {
  it('runs the job of a worker process killed mid-job on another instance, once', async () => {
    const prefix = isolated();
    const leaseMs = 500;
    const child = spawn(
      process.execPath,
      ['--conditions=@fileforge/source', '--import', 'tsx', CHILD, REDIS_TEST_URL, prefix, String(leaseMs)],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    const exited = new Promise<unknown>((resolve) => {
      child.once('error', resolve);
      child.once('exit', (code, signal) => resolve(signal ?? code));
    });
    cleanups.push(async () => {
      child.kill('SIGKILL');
      await exited;
    });
    await until(() => stdout.includes('ready') || child.exitCode !== null, 30_000);
    expect(stdout, stderr).toContain('ready');

    const producer = queueOn(prefix, { leaseMs });
    await producer.enqueue('work', { n: 7 });
    await until(() => stdout.includes('started 7'), 10_000);
    expect(await producer.stats()).toMatchObject({ running: 1, completed: 0 });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const survivor = queueOn(prefix, { leaseMs });
    const runs: number[] = [];
    survivor.register('work', async ({ n }) => {
      runs.push(n);
    });
    await survivor.start();
    await until(async () => (await survivor.stats()).completed === 1, 10_000);
    await survivor.onIdle();
    expect(runs).toEqual([7]);
    expect(await survivor.stats()).toMatchObject({ pending: 0, running: 0, completed: 1, failed: 0 });
  }, 60_000);

  it('supersedes a failing run by the pending job of its key, and reports outcomes through the hooks', async () => {
    const prefix = isolated();
    const outcomes: string[] = [];
    const record = (what: string) => (job: JobRecord) =>
      outcomes.push(`${what}:${job.status}:${job.payload.n}`);
    const queue = queueOn(prefix, {
      maxAttempts: 5,
      concurrency: 2,
      pollIntervalMs: 20,
      onJobCompleted: record('completed'),
      onJobRetry: record('retry'),
      onJobFailed: record('failed'),
    });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const runs: number[] = [];
    queue.register('work', async ({ n }) => {
      runs.push(n);
      if (n === 1) {
        await gate;
        throw new Error('first run fails');
      }
      if (n === 3) throw new Error('never works');
    });
    await queue.start();
    const first = await queue.enqueue('work', { n: 1 }, { key: 'file-a' });
    await until(() => runs.length === 1);
    const second = await queue.enqueue('work', { n: 2 }, { key: 'file-a' });
    expect(second).not.toBe(first);
    release();
    await until(() => runs.length === 2);
    await queue.onIdle();
    // The failed run is not retried: the pending job carries the work.
    expect(runs).toEqual([1, 2]);
    expect(await queue.stats()).toMatchObject({ completed: 1, failed: 1, pending: 0 });

    await queue.enqueue('work', { n: 3 }, { maxAttempts: 2 });
    await until(async () => (await queue.stats()).failed === 2);
    await until(() => outcomes.length === 4); // hooks fire once BullMQ has recorded the outcome
    // The follow-up may complete before the superseded run's failure is recorded.
    expect(outcomes.slice(0, 2).sort()).toEqual(['completed:completed:2', 'retry:failed:1']);
    expect(outcomes.slice(2)).toEqual(['retry:pending:3', 'failed:failed:3']);
  });

  it('queues a new job for a key whose pending job BullMQ failed before it ever started (stall limit)', async () => {
    const prefix = isolated();
    const queue = queueOn(prefix, { pollIntervalMs: 20 });
    const first = await queue.enqueue('work', { n: 1 }, { key: 'file-a' });

    // A worker takes the job and dies before running it: its lock expires unrenewed, and with
    // a stall limit of 0 BullMQ's stall checker marks the job to fail on its next fetch.
    const dying = bareWorker(prefix, { lockDuration: 100, stalledInterval: 50, maxStalledCount: 0 });
    expect((await dying.getNextJob('dying-token', { block: false }))?.id).toBe(first);
    await dying.startStalledCheckTimer();
    const job = () => Job.fromId(dying, first);
    await until(async () => (await job())?.deferredFailure !== undefined);
    await dying.close(true);

    // This instance fetches it, and BullMQ fails it without calling the handler.
    const runs: number[] = [];
    queue.register('work', async ({ n }) => {
      runs.push(n);
    });
    await queue.start();
    await until(async () => (await queue.stats()).failed === 1);
    expect(await (await job())?.getState()).toBe('failed');

    const second = await queue.enqueue('work', { n: 2 }, { key: 'file-a' });
    expect(second).not.toBe(first);
    await until(() => runs.length === 1);
    await queue.onIdle();
    expect(runs).toEqual([2]);
    expect(await queue.stats()).toMatchObject({ pending: 0, running: 0, completed: 1, failed: 1 });
  });

  it('retries a failing run instead of letting a pending job BullMQ already failed supersede it', async () => {
    const prefix = isolated();
    const queue = queueOn(prefix, { maxAttempts: 3, concurrency: 1, pollIntervalMs: 20 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const runs: number[] = [];
    queue.register('work', async ({ n }) => {
      runs.push(n);
      if (runs.length === 1) {
        await gate;
        throw new Error('first run fails');
      }
    });
    await queue.start();
    await queue.enqueue('work', { n: 1 }, { key: 'file-a' });
    await until(() => runs.length === 1);
    const pending = await queue.enqueue('work', { n: 2 }, { key: 'file-a' });

    // Another worker takes the pending job and BullMQ fails it before it starts (as it does with
    // a job over the stall limit): it will never run.
    const other = bareWorker(prefix);
    const job = await other.getNextJob('other-token', { block: false });
    expect(job?.id).toBe(pending);
    await job?.moveToFailed(new UnrecoverableError('job stalled more than allowable limit'), 'other-token');
    expect(await job?.getState()).toBe('failed');

    release();
    await until(() => runs.length === 2);
    await queue.onIdle();
    expect(runs).toEqual([1, 1]);
    expect(await queue.stats()).toMatchObject({ pending: 0, running: 0, completed: 1, failed: 1 });
  });

  it('loads bullmq and ioredis only when the queue is first used, not on import', () => {
    // A resolve hook that reports the two packages as they are imported.
    const hooks = `export async function resolve(specifier, context, next) {
      if (specifier === 'bullmq' || specifier === 'ioredis') process.stderr.write('LOADED ' + specifier + '\\n');
      return next(specifier, context);
    }`;
    const probe = `
      import { register } from 'node:module';
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));
      const { createBullmqQueue } = await import('@fileforge/core');
      const queue = createBullmqQueue({ url: ${JSON.stringify(REDIS_TEST_URL)}, prefix: ${JSON.stringify(isolated())} });
      process.stderr.write('CREATED\\n');
      await queue.stats();
      await queue.close();
    `;
    const result = spawnSync(
      process.execPath,
      ['--conditions=@fileforge/source', '--import', 'tsx', '--input-type=module', '-e', probe],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.status, result.stderr).toBe(0);
    const events = result.stderr.split('\n').filter((line) => /^(LOADED|CREATED)/.test(line));
    expect(events[0]).toBe('CREATED');
    expect(events.slice(1).sort()).toEqual(['LOADED bullmq', 'LOADED ioredis']);
  }, 60_000);

  it('rejects an enqueue with QUEUE_UNAVAILABLE within its command timeout when Redis is unreachable', async () => {
    const port = await closedPort();
    const queue = createBullmqQueue<Jobs>({ url: `redis://127.0.0.1:${port}`, commandTimeoutMs: 500 });
    cleanups.push(() => queue.close({ graceMs: 0 }));
    const started = Date.now();
    await expect(queue.enqueue('work', { n: 1 })).rejects.toMatchObject({
      code: ErrorCode.QUEUE_UNAVAILABLE,
    });
    await expect(queue.stats()).rejects.toMatchObject({ code: ErrorCode.QUEUE_UNAVAILABLE });
    // Generous bound: the point is that it does not wait for Redis to come back.
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

/** A plain BullMQ worker on the queue that runs nothing: jobs are taken from it by hand. */
function bareWorker(prefix: string, options: Partial<WorkerOptions> = {}): Worker {
  const connection = new Redis(REDIS_TEST_URL, { maxRetriesPerRequest: null });
  const worker = new Worker('fileforge', null, { connection, prefix, autorun: false, ...options });
  cleanups.push(async () => {
    await worker.close(true);
    connection.disconnect();
  });
  return worker;
}

/** Polls `check` every 10 ms until it holds; throws after `timeoutMs`. */
async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A loopback port nobody listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
