import { ErrorCode, FileForgeError } from '../errors/index.js';
import { createInProcessQueue, type InProcessQueueOptions } from './in-process.js';
import type { JobQueue } from './job-queue.js';

/** Options for {@link openQueue}: the in-process queue's, plus the URL that selects an engine. */
export interface OpenQueueOptions extends InProcessQueueOptions {
  /** REDIS_URL: selects BullMQ on Redis. @default the in-process queue, durable in the catalog */
  url?: string;
}

/** The queue engines FileForge knows. */
export type QueueEngine = 'in-process';

/**
 * Which engine a queue URL selects; an engine this version cannot open is refused here,
 * before anything touches the disk, with the same message for every entry point.
 */
export function queueEngine(url: string | undefined): QueueEngine {
  if (url) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:queue] REDIS_URL selects the BullMQ queue on Redis, which this version of FileForge cannot open yet; unset REDIS_URL to use the embedded queue',
      { details: { variable: 'REDIS_URL', engine: 'bullmq' } },
    );
  }
  return 'in-process';
}

/**
 * Opens the job queue the configuration names.
 *
 * @example
 * ```ts
 * const queue = openQueue({ store: catalog.jobs, concurrency: 2 });
 * ```
 */
export function openQueue(options: OpenQueueOptions): JobQueue {
  queueEngine(options.url);
  const { url: _url, ...inProcess } = options;
  return createInProcessQueue(inProcess);
}
