/**
 * In-process job queue whose state lives in the catalog.
 *
 * How this works: `enqueue` writes the job as `pending` before anything runs, so a crash
 * loses nothing. A started queue polls its store — at once after an `enqueue` or a finished
 * job on this instance, otherwise every `pollIntervalMs` — and claims as many due jobs as it
 * has free slots. A claim is a lease: the store marks the jobs `running` with this instance as
 * owner and an expiry `leaseMs` ahead, atomically, so instances sharing a catalog never take
 * the same job. While a handler runs, its lease is renewed every `renewIntervalMs`; completion,
 * retry (back to `pending` with a later `runAt`) and failure only apply while the lease is
 * still held. A holder that dies stops renewing: when its lease runs out, any instance's next
 * poll claims the job again. An instance restarted under the same `owner` takes its own
 * leases back at once. Every timer is unref'd.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { createId } from '../ids/id.js';
import type { JobRecord } from '../model/index.js';
import { exponentialBackoff } from './backoff.js';
import type { JobMap } from './job-map.js';
import type { JobHandler, JobQueue } from './job-queue.js';
import { createJobRunner, type JobRunnerOptions } from './job-runner.js';

/** Options for {@link createInProcessQueue}. */
export interface InProcessQueueOptions
  extends Omit<JobRunnerOptions, 'owner' | 'leaseMs' | 'renewIntervalMs'> {
  /** Jobs run at once by this instance. @default 4 */
  concurrency?: number;
  /** Attempts per job before it is marked failed. @default 5 */
  maxAttempts?: number;
  /** How often an idle instance looks for due jobs and expired leases. Lower finds work sooner and costs a query each time. @default 1000 */
  pollIntervalMs?: number;
  /** How long a claimed job stays held without renewal. Shorter recovers a dead holder's jobs sooner, but a holder stalled longer than this (a blocked event loop) loses its job to another instance. @default 30000 */
  leaseMs?: number;
  /** How often a running job's lease is renewed; must be below `leaseMs`. @default leaseMs / 3 */
  renewIntervalMs?: number;
  /**
   * This instance's identity as a lease owner. Give a stable one (unique among live instances)
   * to take back, on restart, the jobs a crashed predecessor of the same identity held, without
   * waiting for their leases to expire. @default a random id per instance
   */
  owner?: string;
}

const positive = (name: string, value: number) => {
  if (!(Number.isFinite(value) && value > 0))
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      `[fileforge:queue] Option "${name}" must be a positive number`,
    );
  return value;
};

/**
 * Creates the embedded {@link JobQueue}, typed by a job map ({@link JobMap} by default).
 *
 * @example
 * ```ts
 * const queue = createInProcessQueue<{ thumbnail: { fileId: string } }>({ store: catalog.jobs, concurrency: 2 });
 * queue.register('thumbnail', async ({ fileId }, { signal }) => { … });
 * await queue.start();
 * await queue.enqueue('thumbnail', { fileId });
 * ```
 */
export function createInProcessQueue<M extends object = JobMap>(options: InProcessQueueOptions): JobQueue<M> {
  if (!options?.store)
    throw new FileForgeError(ErrorCode.INVALID_CONFIG, '[fileforge:queue] Missing required option "store"');
  const { store } = options;
  const concurrency = positive('concurrency', options.concurrency ?? 4);
  const maxAttempts = positive('maxAttempts', options.maxAttempts ?? 5);
  const pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs ?? 1000);
  const leaseMs = positive('leaseMs', options.leaseMs ?? 30_000);
  const renewIntervalMs = positive('renewIntervalMs', options.renewIntervalMs ?? leaseMs / 3);
  if (renewIntervalMs >= leaseMs)
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:queue] "renewIntervalMs" must be below "leaseMs"',
    );
  const now = options.now ?? Date.now;
  const iso = (ms: number) => new Date(ms).toISOString();
  const owner = options.owner ?? `queue-${createId()}`;
  const handlers = new Map<string, JobHandler<never>>();
  const waiters: Array<() => void> = [];
  const changed = () => new Promise<void>((resolve) => waiters.push(resolve));
  const notify = () => {
    for (const resolve of waiters.splice(0)) resolve();
  };
  const runner = createJobRunner({
    ...options,
    backoff: options.backoff ?? exponentialBackoff(),
    now,
    owner,
    leaseMs,
    renewIntervalMs,
    handlers,
    onSettled: () => {
      notify();
      void poll();
    },
    onRetryScheduled: (runAt) => wake(Date.parse(runAt) - now()),
  });
  let started = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  let polling: Promise<void> | undefined;
  let pollAgain = false;

  /** Polls now (`delayMs <= 0`) or arms the timer, keeping whichever wake-up comes first. */
  function wake(delayMs: number): void {
    if (!started || closed) return;
    if (delayMs <= 0) return void poll();
    const at = Date.now() + delayMs;
    if (timer && timerAt <= at) return;
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
      void poll();
    }, delayMs);
    timer.unref();
  }

  function poll(): Promise<void> {
    if (polling) {
      pollAgain = true;
      return polling;
    }
    polling = (async () => {
      await null; // so `polling` is assigned before the `finally` below can clear it
      try {
        do {
          pollAgain = false;
          const free = concurrency - runner.active;
          if (!started || closed || free <= 0 || handlers.size === 0) break;
          const at = now();
          const token = createId(at);
          const jobs = await store.claim({
            owner,
            token,
            types: [...handlers.keys()],
            now: iso(at),
            leaseUntil: iso(at + leaseMs),
            limit: free,
          });
          // Claimed while closing: handed straight back, not started.
          if (closed) await Promise.all(jobs.map((job) => runner.giveBack(job, token)));
          else for (const job of jobs) runner.run(job, token);
          if (jobs.length === free) pollAgain = true;
        } while (pollAgain && !closed);
      } catch (error) {
        options.onQueueError?.(error);
      } finally {
        polling = undefined;
        wake(pollIntervalMs);
        notify();
      }
    })();
    return polling;
  }

  return {
    register(type, handler) {
      handlers.set(type, handler as JobHandler<never>);
    },

    async enqueue(type, payload, opts = {}) {
      if (closed) throw new FileForgeError(ErrorCode.SHUTTING_DOWN, '[fileforge:queue] Queue is closed');
      const at = now();
      const job: JobRecord = {
        id: createId(at),
        type,
        payload: payload as Record<string, unknown>,
        key: opts.key ?? null,
        status: 'pending',
        attempts: 0,
        maxAttempts: opts.maxAttempts ?? maxAttempts,
        runAt: iso(at + (opts.delayMs ?? 0)),
        lastError: null,
        leaseOwner: null,
        leaseExpiresAt: null,
        createdAt: iso(at),
        updatedAt: iso(at),
      };
      const stored = await store.insert(job);
      if (stored.id === job.id) wake(opts.delayMs ?? 0);
      return stored.id;
    },

    async start() {
      if (started || closed) return;
      started = true;
      // What this owner held before a crash is ours again now, not after the lease runs out.
      await store.expireLeases(owner);
      void poll();
    },

    async onIdle() {
      for (;;) {
        const next = changed();
        if (!started || closed) return;
        if (runner.active === 0 && !polling && (await store.countUnfinished([...handlers.keys()])) === 0) {
          if (runner.active === 0 && !polling) return;
        }
        await next;
      }
    },

    async close({ graceMs = 10_000 } = {}) {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      await polling;
      await runner.stop(graceMs);
      notify();
    },

    async stats() {
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
