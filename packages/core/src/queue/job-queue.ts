import type { JobRecord } from '../model/index.js';
import type { JobMap, JobType } from './job-map.js';

/** What a job handler receives besides the payload. */
export interface JobContext {
  job: Readonly<JobRecord>;
  /**
   * Aborted when the queue shuts down before the job finishes, or when this instance lost the
   * job's lease (another instance runs it now); the job is then run again later or elsewhere.
   */
  signal: AbortSignal;
}

/** Runs one job. Throwing schedules a retry (with backoff) until the attempts run out. */
export type JobHandler<P = unknown> = (payload: P, context: JobContext) => Promise<void>;

/** Options for {@link JobQueue.enqueue}. */
export interface EnqueueOptions {
  /** Attempts before the job is marked failed. Defaults to the queue's `maxAttempts`. */
  maxAttempts?: number;
  /** Run no earlier than this many milliseconds from now. @default 0 */
  delayMs?: number;
  /**
   * Names the work, so that one key never has two live jobs waiting:
   * - while a job of this key is **pending** (queued, not started), enqueueing another
   *   returns that job's id and queues nothing (the first payload stands);
   * - while one is **running**, a new pending job is created — the run may already have read
   *   the state the new request wants reconsidered — but it starts only once the run has
   *   ended: a key runs one job at a time;
   * - if that run then fails and would be retried, it is not: the pending job carries the work,
   *   and the failed run ends `failed` ("superseded by pending job …").
   * So a key has at most one pending and one running job. @default no merging
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
  /** The queue's own bookkeeping failed (the store did not answer); it tries again on its next poll. */
  onQueueError?(error: unknown): void;
}

/**
 * A durable job queue that any engine can implement (in-process over the catalog; BullMQ):
 * a job enqueued is run at least once even if the process dies, retried with backoff when its
 * handler throws, and marked failed when its attempts run out. Several queue instances may
 * share one store; a job is held by one of them at a time (a lease) and runs again elsewhere
 * if its holder dies. Handlers must therefore be idempotent.
 *
 * `M` maps job types to payload types ({@link JobMap} by default).
 */
export interface JobQueue<M extends object = JobMap> {
  /** Registers the handler for a job type. Register before `start()`; an instance only takes jobs it has a handler for. */
  register<T extends JobType<M>>(type: T, handler: JobHandler<M[T]>): void;
  /**
   * Persists a job and schedules it; resolves with the job id once it is durable (with `key`,
   * possibly the id of the pending job that absorbed it).
   */
  enqueue<T extends JobType<M>>(type: T, payload: M[T], options?: EnqueueOptions): Promise<string>;
  /**
   * Starts running jobs: every job that is due, including those a previous process left
   * pending, and those it left running once their lease has expired.
   */
  start(): Promise<void>;
  /** Resolves when no job this instance can run is pending (due or not) or running anywhere. */
  onIdle(): Promise<void>;
  /**
   * Stops taking jobs, waits up to `graceMs` for running ones, then aborts the rest; aborted
   * and never-started jobs stay pending and run again on the next start (or elsewhere).
   */
  close(options?: { graceMs?: number }): Promise<void>;
  stats(): Promise<QueueStats>;
}
