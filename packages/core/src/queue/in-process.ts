/**
 * In-process job queue whose state lives in the catalog.
 *
 * How this works: `enqueue` writes the job as `pending` before anything runs, so a crash
 * loses nothing. Due jobs go into a p-queue limited to `concurrency`; jobs not yet due wait on
 * an unref'd timer. Before a handler runs the row becomes `running` with its attempt count;
 * afterwards `completed`, or back to `pending` with a later `runAt` (backoff), or `failed`
 * when attempts are used up. On `start()` every `pending` or `running` row is scheduled again
 * — `running` rows are jobs a dead process never finished.
 *
 * @module
 */
import PQueue from 'p-queue';
import type { JobStore } from '../catalog/index.js';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { createId } from '../ids/id.js';
import type { JobRecord } from '../model/index.js';
import { type Backoff, exponentialBackoff } from './backoff.js';
import type { EnqueueOptions, JobHandler, JobQueue, QueueHooks, QueueStats } from './job-queue.js';

/** Options for {@link createInProcessQueue}. */
export interface InProcessQueueOptions extends QueueHooks {
  /** Where job state is persisted (normally `catalog.jobs`). */
  store: JobStore;
  /** Jobs run at once. @default 4 */
  concurrency?: number;
  /** Attempts per job before it is marked failed. @default 5 */
  maxAttempts?: number;
  /** Delay before each retry. @default exponentialBackoff() (1 s doubling to 60 s, jittered) */
  backoff?: Backoff;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
}

/**
 * Creates the embedded {@link JobQueue}.
 *
 * @example
 * ```ts
 * const queue = createInProcessQueue({ store: catalog.jobs, concurrency: 2 });
 * queue.register('thumbnail', async (payload, { signal }) => { … });
 * await queue.start();
 * await queue.enqueue('thumbnail', { fileId });
 * ```
 */
export function createInProcessQueue(options: InProcessQueueOptions): JobQueue {
  if (!options?.store)
    throw new FileForgeError(ErrorCode.INVALID_CONFIG, '[fileforge:queue] Missing required option "store"');
  const store = options.store;
  const maxAttempts = options.maxAttempts ?? 5;
  const backoff = options.backoff ?? exponentialBackoff();
  const now = options.now ?? Date.now;
  const handlers = new Map<string, JobHandler>();
  const pool = new PQueue({ concurrency: options.concurrency ?? 4 });
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, AbortController>();
  let outstanding = 0;
  let idleWaiters: Array<() => void> = [];
  let started = false;
  let closed = false;

  const settle = () => {
    outstanding--;
    if (outstanding === 0) {
      for (const resolve of idleWaiters) resolve();
      idleWaiters = [];
    }
  };

  function schedule(job: JobRecord): void {
    if (closed) return;
    outstanding++;
    const delay = Date.parse(job.runAt) - now();
    const enqueueNow = () => {
      timers.delete(job.id);
      if (closed) return settle();
      pool
        .add(() => run(job))
        // run() records failures itself; what escapes (the catalog refusing even the failure
        // update) must not crash the process: the row stays unfinished and start-up retries it.
        .catch((error) => options.onJobFailed?.(job, error))
        .finally(settle);
    };
    if (delay > 0) {
      const timer = setTimeout(enqueueNow, delay);
      timer.unref();
      timers.set(job.id, timer);
    } else {
      enqueueNow();
    }
  }

  async function run(job: JobRecord): Promise<void> {
    if (closed) return;
    const attempts = job.attempts + 1;
    const controller = new AbortController();
    running.set(job.id, controller);
    const current: JobRecord = { ...job, attempts, status: 'running' };
    try {
      await store.update(job.id, { status: 'running', attempts });
      const handler = handlers.get(job.type);
      if (!handler)
        throw new FileForgeError(
          ErrorCode.INTERNAL,
          `[fileforge:queue] No handler for job type "${job.type}"`,
        );
      await handler(job.payload, { job: current, signal: controller.signal });
      await store.update(job.id, { status: 'completed', lastError: null });
      options.onJobCompleted?.({ ...current, status: 'completed' });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (controller.signal.aborted) {
        // Interrupted by shutdown: not the job's fault, so the attempt is given back.
        await store.update(job.id, { status: 'pending', attempts: job.attempts }).catch(() => {});
        return;
      }
      if (attempts < job.maxAttempts) {
        const runAt = new Date(now() + backoff(attempts)).toISOString();
        const retry: JobRecord = { ...current, status: 'pending', runAt, lastError: message };
        await store.update(job.id, { status: 'pending', runAt, lastError: message });
        options.onJobRetry?.(retry, error);
        schedule(retry);
      } else {
        await store.update(job.id, { status: 'failed', lastError: message });
        options.onJobFailed?.({ ...current, status: 'failed', lastError: message }, error);
      }
    } finally {
      running.delete(job.id);
    }
  }

  return {
    register(type, handler) {
      handlers.set(type, handler);
    },

    async enqueue(type, payload, opts: EnqueueOptions = {}) {
      if (closed) throw new FileForgeError(ErrorCode.SHUTTING_DOWN, '[fileforge:queue] Queue is closed');
      const at = now();
      const job: JobRecord = {
        id: createId(at),
        type,
        payload,
        key: opts.key ?? null,
        status: 'pending',
        attempts: 0,
        maxAttempts: opts.maxAttempts ?? maxAttempts,
        runAt: new Date(at + (opts.delayMs ?? 0)).toISOString(),
        lastError: null,
        createdAt: new Date(at).toISOString(),
        updatedAt: new Date(at).toISOString(),
      };
      const stored = await store.insert(job);
      if (stored.id !== job.id) return stored.id;
      if (started) schedule(job);
      return job.id;
    },

    async start() {
      if (started || closed) return;
      started = true;
      for (const job of await store.listUnfinished()) {
        if (job.status === 'running') await store.update(job.id, { status: 'pending' });
        schedule({ ...job, status: 'pending' });
      }
    },

    onIdle() {
      if (outstanding === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },

    async close({ graceMs = 10_000 } = {}) {
      if (closed) return;
      closed = true;
      for (const [, timer] of timers) clearTimeout(timer);
      for (let i = timers.size; i > 0; i--) settle();
      timers.clear();
      pool.clear();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([pool.onIdle(), grace]);
      clearTimeout(timer);
      for (const controller of running.values()) controller.abort(new Error('queue closing'));
      // A handler that ignores its signal is not waited for: its row stays `running` and the
      // next start() picks it up again.
      await Promise.race([pool.onIdle(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    },

    async stats(): Promise<QueueStats> {
      const counts = await store.countByStatus();
      return {
        pending: counts.pending ?? 0,
        running: counts.running ?? 0,
        completed: counts.completed ?? 0,
        failed: counts.failed ?? 0,
      };
    },
  };
}
