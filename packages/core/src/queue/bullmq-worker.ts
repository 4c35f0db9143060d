/**
 * The running side of the BullMQ queue: the BullMQ `Worker` and the connections it uses, the
 * handlers registered per job type, and what happens around each run. A job whose type has no
 * handler here, or whose key already runs, is put back as delayed without counting an attempt;
 * a run whose lock renewal failed is aborted (another instance holds the job); a run interrupted
 * by `close()` goes back to wait, also without counting an attempt; the outcome is reported
 * through the queue's hooks. `bullmq.ts` composes it with the enqueueing side
 * (`bullmq-producer.ts`).
 *
 * @module
 */
import type { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { JobRecord, JobStatus } from '../model/index.js';
import type { Backoff } from './backoff.js';
import type { createKeyState, KeyedJobData } from './bullmq-keys.js';
import type { createProducer, Producer } from './bullmq-producer.js';
import type { JobHandler, QueueHooks } from './job-queue.js';

interface Running {
  controller: AbortController;
  abortedBy?: 'close' | 'lease';
  /** Left behind by `close()`: its late outcome must change nothing. */
  abandoned?: boolean;
  settled: Promise<unknown>;
}

/** The queue's settings and shared parts, as {@link createBullmqQueue} resolved them. */
export interface BullmqWorkerOptions {
  url: string;
  name: string;
  prefix: string;
  owner: string;
  concurrency: number;
  maxAttempts: number;
  leaseMs: number;
  renewIntervalMs: number;
  pollIntervalMs: number;
  backoff: Backoff;
  now: () => number;
  keys: ReturnType<typeof createKeyState>;
  producer: ReturnType<typeof createProducer>;
  /** Reports a connection or worker error (once each until Redis is back). */
  report: (error: unknown) => void;
  /** The queue's outcome hooks (`onQueueError` goes through `report`). */
  hooks: QueueHooks;
}

/** A timer that never keeps the process alive. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * How long `close()` lets BullMQ close the worker (after the grace and the aborts) before its
 * connections are dropped regardless: BullMQ's polite close waits for its blocking connection
 * to end, which never happens while that connection is between reconnect attempts.
 */
export const WORKER_CLOSE_MS = 2000;

/**
 * Reconnect delay of the worker's connections: BullMQ's own default grows exponentially to
 * 20 s, so a worker would stay deaf (and `close()` stuck) for up to 20 s after Redis is back.
 */
const reconnectDelay = (attempt: number) => Math.min(attempt * 100, 2000);

/** Creates the running side; nothing connects before `start()`. */
export function createBullmqWorker(options: BullmqWorkerOptions) {
  const { name, prefix, owner, concurrency, maxAttempts, leaseMs, renewIntervalMs, pollIntervalMs } = options;
  const { backoff, now, keys, producer, report, hooks } = options;
  const { open } = producer;
  const handlers = new Map<string, JobHandler<never>>();
  const running = new Map<string, Running>();
  let worker: Worker<KeyedJobData> | undefined;
  let control: Redis | undefined;
  /** Every worker-side connection (ours and the ones BullMQ duplicates from ours). */
  const connections = new Set<Redis>();
  let closed = false;

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
      if (key !== null) await promote(await keys.finish(redis, key, id, Date.now()), e);
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
        : await keys.finish(redis, key, id, Date.now());
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
    if (retrying || superseded) hooks.onJobRetry?.(jobRecord(job, retrying ? 'pending' : 'failed'), error);
    else hooks.onJobFailed?.(jobRecord(job, 'failed'), error);
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
    worker.on('completed', (job) => hooks.onJobCompleted?.(jobRecord(job, 'completed')));
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
    /** Registers the handler for a job type. */
    register(type: string, handler: JobHandler<never>): void {
      handlers.set(type, handler);
    },
    /** Runs in this process right now. */
    get running(): number {
      return running.size;
    },
    start: startWorker,
    /**
     * Stops taking jobs, waits up to `graceMs` for running ones, aborts the rest, then closes
     * BullMQ's worker (bounded) and drops every worker-side connection.
     */
    async close(graceMs: number): Promise<void> {
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
    },
  };
}
