import type { JobRecord } from '../model/index.js';

/** What a job handler receives besides the payload. */
export interface JobContext {
  job: Readonly<JobRecord>;
  /** Aborted when the queue shuts down before the job finishes; the job is then run again later. */
  signal: AbortSignal;
}

/** Runs one job. Throwing schedules a retry (with backoff) until the attempts run out. */
export type JobHandler = (payload: Record<string, unknown>, context: JobContext) => Promise<void>;

/** Options for {@link JobQueue.enqueue}. */
export interface EnqueueOptions {
  /** Attempts before the job is marked failed. Defaults to the queue's `maxAttempts`. */
  maxAttempts?: number;
  /** Run no earlier than this many milliseconds from now. @default 0 */
  delayMs?: number;
  /**
   * Merges repeated requests for the same work: while a job with this key is still pending
   * (queued, not started), enqueueing another returns that job's id and queues nothing. A job
   * already running does not absorb it, since it may have read the state the new request
   * wants reconsidered. @default no merging
   */
  key?: string;
}

/** Counts of jobs by state. */
export interface QueueStats {
  pending: number;
  running: number;
  completed: number;
  failed: number;
}

/** Outcome notifications, for metrics and logs. */
export interface QueueHooks {
  onJobCompleted?(job: JobRecord): void;
  onJobRetry?(job: JobRecord, error: unknown): void;
  onJobFailed?(job: JobRecord, error: unknown): void;
}

/**
 * A durable job queue: a job enqueued is run at least once even if the process dies, retried
 * with backoff when its handler throws, and marked failed when its attempts run out.
 * Handlers must therefore be idempotent.
 */
export interface JobQueue {
  /** Registers the handler for a job type. Register before `start()`. */
  register(type: string, handler: JobHandler): void;
  /** Persists a job and schedules it; resolves with the job id once it is durable (an absorbing job's id with `key`). */
  enqueue(type: string, payload: Record<string, unknown>, options?: EnqueueOptions): Promise<string>;
  /** Starts running jobs, first picking up every job a previous process left pending or running. */
  start(): Promise<void>;
  /** Resolves when no job is queued, waiting for a retry, or running. */
  onIdle(): Promise<void>;
  /**
   * Stops taking jobs, waits up to `graceMs` for running ones, then aborts the rest; aborted
   * and never-started jobs stay pending and run again on the next start.
   */
  close(options?: { graceMs?: number }): Promise<void>;
  stats(): Promise<QueueStats>;
}
