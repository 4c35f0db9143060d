/**
 * The {@link JobQueue} on BullMQ and Redis (`REDIS_URL`), for any number of processes
 * (`fileforge worker`) on any machines.
 *
 * How this works: all job types share one BullMQ queue (so `concurrency` bounds the whole
 * instance); a job's BullMQ name is its type and its data `{ payload, key }`. BullMQ holds a
 * running job under a lock of `leaseMs`, renewed while the handler runs; a holder that dies
 * stops renewing and the stalled-job check of any instance (every `leaseMs`) puts the job back
 * to wait. Retries use BullMQ's attempts with this queue's `backoff`. Keyed jobs
 * ({@link EnqueueOptions.key}) get ids derived from their key and a small per-key state in
 * Redis (see `bullmq-keys.ts`): one pending job absorbs enqueues, and a job whose key already
 * runs is put back as delayed (no attempt counted) until that run ends. Enqueues use their own
 * connection without an offline queue: with Redis unreachable they fail within
 * `commandTimeoutMs` with `QUEUE_UNAVAILABLE` instead of waiting. `bullmq` and `ioredis` are
 * loaded on first use, so importing `@fileforge/core` never loads them.
 *
 * @module
 */
import type { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { createId } from '../ids/id.js';
import type { JobRecord, JobStatus } from '../model/index.js';
import { type Backoff, exponentialBackoff } from './backoff.js';
import { createKeyState, type KeyedJobData, keyedJobId } from './bullmq-keys.js';
import { createProducer, type Producer } from './bullmq-producer.js';
import type { JobMap } from './job-map.js';
import type { JobHandler, JobQueue, QueueHooks, QueueStats } from './job-queue.js';

/** Options for {@link createBullmqQueue}. */
export interface BullmqQueueOptions extends QueueHooks {
  /** The Redis URL (REDIS_URL), e.g. `redis://:password@redis:6379/0`. */
  url: string;
  /** BullMQ queue name; processes share jobs when they share URL, prefix and name. @default 'fileforge' */
  name?: string;
  /** Prefix of every Redis key of the queue. @default 'fileforge' */
  prefix?: string;
  /** Jobs run at once by this instance (MAX_WORKERS). @default 4 */
  concurrency?: number;
  /** Attempts per job before it is marked failed. @default 5 */
  maxAttempts?: number;
  /** Delay before each retry. @default exponentialBackoff() (1 s doubling to 60 s, jittered) */
  backoff?: Backoff;
  /**
   * BullMQ's `lockDuration` and `stalledInterval`: how long a running job stays held without
   * renewal, and how often instances look for jobs whose holder died. Shorter recovers a dead
   * worker's jobs sooner; a worker whose event loop is blocked longer loses its job. @default 30000
   */
  leaseMs?: number;
  /** How often a running job's lock is renewed (BullMQ's `lockRenewTime`); below `leaseMs`. @default leaseMs / 3 */
  renewIntervalMs?: number;
  /** How often `onIdle()` asks Redis, and how long a job waiting for its key's run is put back. @default 1000 */
  pollIntervalMs?: number;
  /** How long `enqueue` waits for Redis before failing with `QUEUE_UNAVAILABLE`. @default 5000 */
  commandTimeoutMs?: number;
  /** Completed jobs kept in Redis (counted by `stats()`), by age in seconds and/or number. @default { age: 86400, count: 10000 } */
  keepCompleted?: KeepJobs;
  /** Failed jobs kept in Redis for inspection. @default every one */
  keepFailed?: KeepJobs;
  /** This instance's name, recorded on the jobs it runs. @default a random id */
  owner?: string;
  /** Clock in milliseconds (records only: BullMQ and Redis keep their own time). @default Date.now */
  now?: () => number;
}

/** Finished jobs to keep: the newest `count`, and/or those younger than `age` seconds. */
export type KeepJobs = { age: number; count?: number } | { count: number };

interface Running {
  controller: AbortController;
  abortedBy?: 'close' | 'lease';
  /** Left behind by `close()`: its late outcome must change nothing. */
  abandoned?: boolean;
  settled: Promise<unknown>;
}

const positive = (name: string, value: number) => {
  if (!(Number.isFinite(value) && value > 0))
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      `[fileforge:queue] Option "${name}" must be a positive number`,
    );
  return value;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * How long `close()` lets BullMQ close the worker (after the grace and the aborts) before its
 * connections are dropped regardless: BullMQ's polite close waits for its blocking connection
 * to end, which never happens while that connection is between reconnect attempts.
 */
const WORKER_CLOSE_MS = 2000;

/**
 * Reconnect delay of the worker's connections: BullMQ's own default grows exponentially to
 * 20 s, so a worker would stay deaf (and `close()` stuck) for up to 20 s after Redis is back.
 */
const reconnectDelay = (attempt: number) => Math.min(attempt * 100, 2000);

/**
 * Creates a {@link JobQueue} on BullMQ. Bad options fail here; Redis is first contacted by
 * `enqueue`, `start` or `stats`.
 *
 * @example
 * ```ts
 * const queue = createBullmqQueue({ url: 'redis://127.0.0.1:6379', concurrency: 2 });
 * queue.register('thumbnail', async ({ fileId }, { signal }) => { … });
 * await queue.start();
 * await queue.enqueue('thumbnail', { fileId }, { key: `thumbnail:${fileId}` });
 * ```
 */
export function createBullmqQueue<M extends object = JobMap>(options: BullmqQueueOptions): JobQueue<M> {
  if (!options?.url)
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:queue] Missing required option "url" (REDIS_URL)',
    );
  const name = options.name ?? 'fileforge';
  const prefix = options.prefix ?? 'fileforge';
  const concurrency = positive('concurrency', options.concurrency ?? 4);
  const maxAttempts = positive('maxAttempts', options.maxAttempts ?? 5);
  const leaseMs = positive('leaseMs', options.leaseMs ?? 30_000);
  const renewIntervalMs = positive('renewIntervalMs', options.renewIntervalMs ?? leaseMs / 3);
  const pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs ?? 1000);
  const commandTimeoutMs = positive('commandTimeoutMs', options.commandTimeoutMs ?? 5000);
  if (renewIntervalMs >= leaseMs)
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:queue] "renewIntervalMs" must be below "leaseMs"',
    );
  const backoff = options.backoff ?? exponentialBackoff();
  const now = options.now ?? Date.now;
  const owner = options.owner ?? `worker-${createId()}`;
  const keys = createKeyState(`${prefix}:${name}:`);
  const handlers = new Map<string, JobHandler<never>>();
  const running = new Map<string, Running>();
  let worker: Worker<KeyedJobData> | undefined;
  let control: Redis | undefined;
  /** Every worker-side connection (ours and the ones BullMQ duplicates from ours). */
  const connections = new Set<Redis>();
  let started = false;
  let closed = false;
  // While Redis is away every reconnect attempt errors: each message is reported once until it is back.
  const reported = new Set<string>();
  const report = (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    if (reported.has(message)) return;
    reported.add(message);
    options.onQueueError?.(error);
  };

  const producer = createProducer({
    url: options.url,
    name,
    prefix,
    commandTimeoutMs,
    report,
    onReady: () => reported.clear(),
  });
  const { open, bounded } = producer;

  const jobRecord = (job: Job<KeyedJobData>, status: JobStatus): JobRecord => ({
    id: job.id ?? '',
    type: job.name,
    payload: job.data.payload,
    key: job.data.key,
    status,
    attempts: job.attemptsMade + (status === 'running' ? 1 : 0),
    maxAttempts: job.opts.attempts ?? maxAttempts,
    runAt: new Date(job.timestamp + (job.delay ?? 0)).toISOString(),
    lastError: job.failedReason || null,
    leaseOwner: status === 'running' ? owner : null,
    leaseExpiresAt: null,
    createdAt: new Date(job.timestamp).toISOString(),
    updatedAt: new Date(now()).toISOString(),
  });

  /**
   * Puts a job that may not run yet back as delayed, without counting an attempt: after
   * `pollIntervalMs`, doubling each time it is put back, up to `leaseMs` (a follow-up waiting for
   * a long run is also promoted as soon as that run ends).
   */
  async function postpone(job: Job<KeyedJobData>, token: string, { bullmq }: Producer): Promise<never> {
    const putBack = Math.max(0, job.attemptsStarted - job.attemptsMade - 1);
    await job.moveToDelayed(
      Date.now() + Math.min(leaseMs, pollIntervalMs * 2 ** Math.min(putBack, 16)),
      token,
    );
    throw new bullmq.DelayedError();
  }

  async function promote(id: string | null, { bullmq, queue }: Producer): Promise<void> {
    if (!id) return;
    const next = await bullmq.Job.fromId(queue, id).catch(() => undefined);
    await next?.promote().catch(() => {}); // not delayed (already waiting or started): nothing to do
  }

  async function processJob(job: Job<KeyedJobData>, token: string | undefined): Promise<void> {
    const e = await open();
    const id = job.id ?? '';
    const key = job.data.key;
    const handler = handlers.get(job.name) as JobHandler<unknown> | undefined;
    const redis = control ?? e.client;
    if (!token) throw new FileForgeError(ErrorCode.INTERNAL, '[fileforge:queue] BullMQ gave no lock token');
    if (closed) {
      // Fetched while closing: handed straight back, not started.
      await job.moveToWait(token);
      throw new e.bullmq.WaitingError();
    }
    if (!handler) return postpone(job, token, e); // another instance runs this type
    if (key !== null && !(await keys.start(redis, key, id))) return postpone(job, token, e);
    const entry: Running = { controller: new AbortController(), settled: Promise.resolve() };
    running.set(id, entry);
    let outcome: { ok: true } | { ok: false; error: unknown };
    try {
      const run = handler(job.data.payload, {
        job: jobRecord(job, 'running'),
        signal: entry.controller.signal,
      });
      entry.settled = run.catch(() => {});
      await run;
      outcome = { ok: true };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      running.delete(id);
    }
    if (entry.abandoned) return new Promise<never>(() => {}); // its lock is gone; BullMQ is closed
    if (entry.abortedBy === 'lease') throw new e.bullmq.DelayedError(); // another instance holds it
    if (outcome.ok) {
      if (key !== null) await promote(await keys.finish(redis, key, id), e);
      return;
    }
    if (entry.abortedBy === 'close') {
      // Interrupted by shutdown, not the job's fault: back to wait, the attempt not counted.
      if (key !== null) await keys.requeue(redis, key, id, Date.now());
      await job.moveToWait(token);
      throw new e.bullmq.WaitingError();
    }
    const retries = job.attemptsMade + 1 < (job.opts.attempts ?? 1);
    if (key !== null) {
      const newer = retries
        ? await keys.requeue(redis, key, id, Date.now())
        : await keys.finish(redis, key, id);
      if (newer && retries) {
        await promote(newer, e);
        throw new e.bullmq.UnrecoverableError(`superseded by pending job ${newer}`);
      }
      await promote(newer, e);
    }
    throw outcome.error;
  }

  function onFailed(job: Job<KeyedJobData> | undefined, error: Error): void {
    if (!job) return;
    const superseded = error.name === 'UnrecoverableError' && error.message.startsWith('superseded by');
    const retrying = job.attemptsMade < (job.opts.attempts ?? 1) && error.name !== 'UnrecoverableError';
    if (retrying || superseded) options.onJobRetry?.(jobRecord(job, retrying ? 'pending' : 'failed'), error);
    else options.onJobFailed?.(jobRecord(job, 'failed'), error);
  }

  async function startWorker(): Promise<void> {
    // Not waiting for Redis: the worker connects (and reconnects) by itself, so a worker started
    // while Redis is down begins taking jobs once it is up.
    const [bullmq, { Redis: IORedis }] = await Promise.all([import('bullmq'), import('ioredis')]);
    // Worker-side scripts wait out a short outage (offline queue) instead of failing the job.
    const connect = () => {
      const client = new IORedis(options.url, { maxRetriesPerRequest: null, retryStrategy: reconnectDelay });
      client.on('error', () => {}); // reported through the producer connection and the worker
      connections.add(client);
      // BullMQ duplicates the worker's connection for its blocking fetch (BZPOPMIN): kept here
      // too, so `close()` can drop it whatever state BullMQ left it in.
      const duplicate = client.duplicate.bind(client);
      client.duplicate = (override) => {
        const copy = duplicate(override);
        copy.on('error', () => {});
        connections.add(copy);
        return copy;
      };
      return client;
    };
    control = connect();
    worker = new bullmq.Worker<KeyedJobData>(name, processJob, {
      // Ours (BullMQ does not close a connection it was given): closed by `close()`.
      connection: connect() as never,
      prefix,
      name: owner,
      concurrency,
      autorun: false,
      lockDuration: leaseMs,
      lockRenewTime: renewIntervalMs,
      stalledInterval: leaseMs,
      // A job whose holders keep dying is failed after as many recoveries as attempts.
      maxStalledCount: maxAttempts,
      settings: { backoffStrategy: (attemptsMade: number) => backoff(attemptsMade) },
    });
    worker.on('error', report);
    worker.on('completed', (job) => options.onJobCompleted?.(jobRecord(job, 'completed')));
    worker.on('failed', onFailed);
    worker.on('lockRenewalFailed', (ids) => {
      for (const id of ids) {
        const entry = running.get(id);
        if (!entry || entry.abortedBy) continue;
        entry.abortedBy = 'lease';
        entry.controller.abort(
          new FileForgeError(
            ErrorCode.ABORTED,
            '[fileforge:queue] Lease lost: another instance runs this job',
          ),
        );
      }
    });
    void worker.run().catch(report);
  }

  return {
    register(type, handler) {
      handlers.set(type, handler as JobHandler<never>);
    },

    async enqueue(type, payload, opts = {}) {
      if (closed) throw new FileForgeError(ErrorCode.SHUTTING_DOWN, '[fileforge:queue] Queue is closed');
      const e = await bounded(open());
      const data: KeyedJobData = { payload: payload as Record<string, unknown>, key: opts.key ?? null };
      const jobOptions = {
        attempts: opts.maxAttempts ?? maxAttempts,
        backoff: { type: 'fileforge' },
        ...(opts.delayMs ? { delay: opts.delayMs } : {}),
        removeOnComplete: options.keepCompleted ?? { age: 86_400, count: 10_000 },
        removeOnFail: options.keepFailed ?? false,
      };
      const { key } = opts;
      if (key === undefined) {
        const job = await bounded(e.queue.add(type, data, { ...jobOptions, jobId: createId(now()) }));
        return job.id ?? '';
      }
      // A keyed job: add under the key's pending id (a no-op when that job exists), and check it
      // had not started meanwhile, else the request could be lost in a run that read too early.
      for (;;) {
        const id = await bounded(keys.reserve(e.client, key, keyedJobId(key, createId(now())), Date.now()));
        await bounded(e.queue.add(type, data, { ...jobOptions, jobId: id }));
        if (await bounded(keys.isPending(e.client, key, id))) return id;
      }
    },

    async start() {
      if (started || closed) return;
      started = true;
      await startWorker();
    },

    async onIdle() {
      for (;;) {
        if (!started || closed) return;
        if (running.size === 0) {
          try {
            const { queue } = await bounded(open());
            const counts = await bounded(
              queue.getJobCounts('waiting', 'delayed', 'prioritized', 'waiting-children', 'active'),
            );
            if (Object.values(counts).every((n) => n === 0) && running.size === 0) return;
          } catch (error) {
            options.onQueueError?.(error);
          }
        }
        await sleep(pollIntervalMs);
      }
    },

    async close({ graceMs = 10_000 } = {}) {
      if (closed) return;
      closed = true;
      if (worker) {
        await worker.pause(true).catch(() => {});
        const all = () => Promise.all([...running.values()].map((r) => r.settled));
        await Promise.race([all(), sleep(graceMs)]);
        for (const entry of running.values()) {
          entry.abortedBy ??= 'close';
          entry.controller.abort(new FileForgeError(ErrorCode.ABORTED, '[fileforge:queue] Queue closing'));
        }
        await Promise.race([all(), sleep(1000)]);
        // A handler that ignores its signal keeps nothing: its lock is no longer renewed, and
        // the job runs again elsewhere (or on the next start) once the lock has expired.
        for (const entry of running.values()) entry.abandoned = true;
        // Redis away (or a connection still between reconnect attempts): a polite close would
        // wait for it, so BullMQ drops its connections instead.
        const force =
          running.size > 0 ||
          [...connections].some((c) => c.status !== 'ready') ||
          (await producer.current())?.client.status !== 'ready';
        // Bounded all the same: whatever BullMQ waits for, the connections are dropped below.
        await Promise.race([worker.close(force).catch(report), sleep(WORKER_CLOSE_MS)]);
      }
      for (const client of connections) client.disconnect();
      await Promise.race([producer.close(), sleep(WORKER_CLOSE_MS)]);
      producer.disconnect();
    },

    async stats(): Promise<QueueStats> {
      const { queue } = await bounded(open());
      const c = await bounded(
        queue.getJobCounts(
          'waiting',
          'delayed',
          'prioritized',
          'waiting-children',
          'active',
          'completed',
          'failed',
        ),
      );
      const n = (state: string) => c[state] ?? 0;
      return {
        pending: n('waiting') + n('delayed') + n('prioritized') + n('waiting-children'),
        running: n('active'),
        completed: n('completed'),
        failed: n('failed'),
      };
    },
  };
}
