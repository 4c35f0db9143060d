export { type Backoff, type ExponentialBackoffOptions, exponentialBackoff } from './backoff.js';
export { type BullmqQueueOptions, createBullmqQueue, type KeepJobs } from './bullmq.js';
export { createInProcessQueue, type InProcessQueueOptions } from './in-process.js';
export type { JobMap, JobType } from './job-map.js';
export type {
  EnqueueOptions,
  JobContext,
  JobHandler,
  JobQueue,
  QueueHooks,
  QueueStats,
} from './job-queue.js';
export { type OpenQueueOptions, openQueue, type QueueEngine, queueEngine } from './open.js';
