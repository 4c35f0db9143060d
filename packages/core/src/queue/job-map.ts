import type { ProcessJobPayload } from '../steps/process.js';

/**
 * The payload type of every job type, so `enqueue` and `register` are checked at compile time
 * and handlers receive their payload typed, without casts. Modules that bring job types add
 * them by declaration merging:
 *
 * @example
 * ```ts
 * declare module '@fileforge/core' {
 *   interface JobMap {
 *     'sorter.run': { tenant: string; fileId: string; ruleSet: string };
 *   }
 * }
 * forge.queue.enqueue('sorter.run', { tenant, fileId, ruleSet: 'default' });
 * ```
 *
 * A queue for job types of its own takes its map as a type argument instead:
 * `createInProcessQueue<MyJobs>({ store })`. Payloads must survive JSON (they are persisted).
 */
export interface JobMap {
  /** Processing of one stored file (see `processFile`). */
  'file.process': ProcessJobPayload;
}

/** The job type names of a job map. */
export type JobType<M> = keyof M & string;
