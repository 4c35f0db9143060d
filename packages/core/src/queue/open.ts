import { ErrorCode, FileForgeError } from '../errors/index.js';
import { type BullmqQueueOptions, createBullmqQueue } from './bullmq.js';
import { createInProcessQueue, type InProcessQueueOptions } from './in-process.js';
import type { JobQueue } from './job-queue.js';

/** Options for {@link openQueue}: the in-process queue's, plus the URL that selects an engine. */
export interface OpenQueueOptions extends InProcessQueueOptions {
  /** REDIS_URL: selects BullMQ on Redis (`store` is then not used). @default the in-process queue, durable in the catalog */
  url?: string;
  /** Further BullMQ options (queue name, key prefix, Redis timeouts) when `url` selects it. @default see {@link BullmqQueueOptions} */
  bullmq?: Partial<
    Pick<BullmqQueueOptions, 'name' | 'prefix' | 'commandTimeoutMs' | 'keepCompleted' | 'keepFailed'>
  >;
}

/** The queue engines FileForge knows. */
export type QueueEngine = 'in-process' | 'bullmq';

/**
 * Which engine a queue URL selects: none → the in-process queue; `redis://` or `rediss://` →
 * BullMQ. Anything else is refused here, before anything touches the disk, with the same
 * message for every entry point.
 */
export function queueEngine(url: string | undefined): QueueEngine {
  if (!url) return 'in-process';
  if (/^rediss?:\/\//.test(url)) return 'bullmq';
  throw new FileForgeError(
    ErrorCode.INVALID_CONFIG,
    '[fileforge:queue] REDIS_URL must be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379)',
    { details: { variable: 'REDIS_URL' } },
  );
}

/**
 * Opens the job queue the configuration names.
 *
 * @example
 * ```ts
 * const queue = openQueue({ store: catalog.jobs, concurrency: 2 });
 * const shared = openQueue({ store: catalog.jobs, url: process.env.REDIS_URL });
 * ```
 */
export function openQueue(options: OpenQueueOptions): JobQueue {
  const { url, bullmq, ...inProcess } = options;
  if (queueEngine(url) === 'in-process') return createInProcessQueue(inProcess);
  const { store: _store, pollIntervalMs, leaseMs, renewIntervalMs, owner, ...common } = inProcess;
  return createBullmqQueue({
    url: url as string,
    ...common,
    ...(pollIntervalMs ? { pollIntervalMs } : {}),
    ...(leaseMs ? { leaseMs } : {}),
    ...(renewIntervalMs ? { renewIntervalMs } : {}),
    ...(owner ? { owner } : {}),
    ...bullmq,
  });
}
