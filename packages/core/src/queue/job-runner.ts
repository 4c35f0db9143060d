import type { JobStore } from '../catalog/index.js';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { JobRecord } from '../model/index.js';
import type { Backoff } from './backoff.js';
import type { JobHandler, QueueHooks } from './job-queue.js';

/** Options for {@link createJobRunner}; the in-process queue fills them in. */
export interface JobRunnerOptions extends QueueHooks {
  /** Where job state is persisted (normally `catalog.jobs`). */
  store: JobStore;
  /** Delay before each retry. @default exponentialBackoff() (1 s doubling to 60 s, jittered) */
  backoff?: Backoff;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
  owner: string;
  leaseMs: number;
  renewIntervalMs: number;
}

interface Running {
  controller: AbortController;
  renewal: NodeJS.Timeout;
  /** Why the signal was aborted, if it was. */
  abortedBy?: 'close' | 'lease';
  settled: Promise<void>;
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs claimed jobs for one queue instance: keeps each lease renewed while its handler runs,
 * then records the outcome through the store, conditional on still holding the lease.
 */
export function createJobRunner(
  options: JobRunnerOptions & {
    backoff: Backoff;
    now: () => number;
    handlers: ReadonlyMap<string, JobHandler<never>>;
    /** A job has settled (slot free). */
    onSettled(): void;
    /** A job of this instance goes back to pending until `runAt`. */
    onRetryScheduled(runAt: string): void;
  },
) {
  const { store, now, leaseMs } = options;
  const iso = (ms: number) => new Date(ms).toISOString();
  const running = new Map<string, Running>();

  const giveBack = (job: JobRecord, token: string) =>
    store.finish(job.id, token, {
      status: 'pending',
      runAt: job.runAt,
      attempts: job.attempts - 1,
      lastError: job.lastError,
    });

  async function failed(job: JobRecord, token: string, entry: Running, error: unknown): Promise<void> {
    if (entry.abortedBy === 'lease') return; // another instance holds the job now
    if (entry.abortedBy === 'close') {
      // Interrupted by shutdown: not the job's fault, so the attempt is given back.
      await giveBack(job, token);
      return;
    }
    const lastError = errorMessage(error);
    if (job.attempts < job.maxAttempts) {
      const runAt = iso(now() + options.backoff(job.attempts));
      const result = await store.finish(job.id, token, {
        status: 'pending',
        runAt,
        attempts: job.attempts,
        lastError,
      });
      if (result === 'lost') return;
      const status = result === 'superseded' ? 'failed' : 'pending';
      options.onJobRetry?.(
        { ...job, status, runAt, lastError, leaseOwner: null, leaseExpiresAt: null },
        error,
      );
      if (result === 'done') options.onRetryScheduled(runAt);
      return;
    }
    if ((await store.finish(job.id, token, { status: 'failed', lastError })) === 'done') {
      options.onJobFailed?.(
        { ...job, status: 'failed', lastError, leaseOwner: null, leaseExpiresAt: null },
        error,
      );
    }
  }

  async function execute(job: JobRecord, token: string, entry: Running): Promise<void> {
    if (job.attempts > job.maxAttempts) {
      // Its holder died during the last attempt (the claim counted one more): do not run it again.
      const lastError = `${job.lastError ?? 'interrupted'} (its holder stopped during the last attempt)`;
      if ((await store.finish(job.id, token, { status: 'failed', lastError })) === 'done')
        options.onJobFailed?.({ ...job, status: 'failed', lastError }, new Error(lastError));
      return;
    }
    const handler = options.handlers.get(job.type) as JobHandler<unknown> | undefined;
    try {
      if (!handler)
        throw new FileForgeError(
          ErrorCode.INTERNAL,
          `[fileforge:queue] No handler for job type "${job.type}"`,
        );
      await handler(job.payload, { job, signal: entry.controller.signal });
    } catch (error) {
      await failed(job, token, entry, error);
      return;
    }
    if ((await store.finish(job.id, token, { status: 'completed' })) === 'done') {
      options.onJobCompleted?.({ ...job, status: 'completed', leaseOwner: null, leaseExpiresAt: null });
    }
  }

  return {
    /** Jobs this instance is running. */
    get active() {
      return running.size;
    },

    /** Runs a claimed job in the background. */
    run(job: JobRecord, token: string): void {
      const controller = new AbortController();
      const renewal = setInterval(() => {
        store.renew(job.id, token, iso(now() + leaseMs)).then(
          (held) => {
            if (held || entry.abortedBy) return;
            entry.abortedBy = 'lease';
            controller.abort(
              new FileForgeError(
                ErrorCode.ABORTED,
                '[fileforge:queue] Lease lost: another instance runs this job',
              ),
            );
          },
          (error) => options.onQueueError?.(error),
        ); // a store that is gone costs this lease at most
      }, options.renewIntervalMs);
      renewal.unref();
      const entry: Running = { controller, renewal, settled: Promise.resolve() };
      running.set(job.id, entry);
      entry.settled = execute(job, token, entry)
        // The store refusing even the outcome: the lease runs out and the job runs again.
        .catch((error) => options.onQueueError?.(error))
        .finally(() => {
          clearInterval(renewal);
          running.delete(job.id);
          options.onSettled();
        });
    },

    /** Hands a claimed job straight back (claimed while closing). */
    giveBack,

    /**
     * Waits up to `graceMs` for running jobs, aborts the rest (they give their attempt back),
     * waits a moment more, then stops renewing whatever still runs: a handler that ignores its
     * signal keeps nothing — its lease expires and the job runs again elsewhere or on restart.
     */
    async stop(graceMs: number): Promise<void> {
      const all = () => Promise.all([...running.values()].map((r) => r.settled));
      const wait = (ms: number) =>
        new Promise<void>((resolve) => {
          setTimeout(resolve, ms).unref();
        });
      await Promise.race([all(), wait(graceMs)]);
      for (const entry of running.values()) {
        entry.abortedBy ??= 'close';
        entry.controller.abort(new FileForgeError(ErrorCode.ABORTED, '[fileforge:queue] Queue closing'));
      }
      await Promise.race([all(), wait(1000)]);
      for (const entry of running.values()) clearInterval(entry.renewal);
    },
  };
}
