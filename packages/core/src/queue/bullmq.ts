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
 * `commandTimeoutMs` with `QUEUE_UNAVAILABLE` instead of waiting (see `bullmq-producer.ts`);
 * the worker that runs jobs is in `bullmq-worker.ts`. `bullmq` and `ioredis` are loaded on
 * first use, so importing `@fileforge/core` never loads them.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { createId } from '../ids/id.js';
import { type Backoff, exponentialBackoff } from './backoff.js';
import { createKeyState, type KeyedJobData, keyedJobId } from './bullmq-keys.js';
import { createProducer } from './bullmq-producer.js';
import { createBullmqWorker, sleep, WORKER_CLOSE_MS } from './bullmq-worker.js';
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

const positive = (name: string, value: number) => {
  if (!(Number.isFinite(value) && value > 0))
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      `[fileforge:queue] Option "${name}" must be a positive number`,
    );
  return value;
};

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

  const worker = createBullmqWorker({
    url: options.url,
    name,
    prefix,
    owner,
    concurrency,
    maxAttempts,
    leaseMs,
    renewIntervalMs,
    pollIntervalMs,
    backoff,
    now,
    keys,
    producer,
    report,
    hooks: options,
  });

  return {
    register(type, handler) {
      worker.register(type, handler as JobHandler<never>);
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
      await worker.start();
    },

    async onIdle() {
      for (;;) {
        if (!started || closed) return;
        if (worker.running === 0) {
          try {
            const { queue } = await bounded(open());
            const counts = await bounded(
              queue.getJobCounts('waiting', 'delayed', 'prioritized', 'waiting-children', 'active'),
            );
            if (Object.values(counts).every((n) => n === 0) && worker.running === 0) return;
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
      await worker.close(graceMs);
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
