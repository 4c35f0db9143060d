/**
 * The server's periodic re-queue (`REQUEUE_INTERVAL_MINUTES`): a file whose processing job
 * could not be queued after its record committed (the queue's store failed: the upload was
 * answered 503 `QUEUE_UNAVAILABLE`), or whose job the queue lost, would otherwise stay
 * `pending` until the next start, whose reconciliation queues it. Every interval, each record
 * still unfinished (`pending`, `processing`) and unchanged for longer than the grace period
 * gets its processing job requested again, without a restart.
 *
 * Idempotent through the queue's own API, for any engine: the request carries the file's job
 * key, so it merges into a job still waiting (nothing new is queued) and, next to a job still
 * running, queues at most one follow-up, which finds the record final and does nothing. The
 * grace period keeps young records (an upload between its commit and its enqueue, a file
 * being processed right now) out of it.
 *
 * @module
 */
import { type Forge, PROCESS_JOB, processJobKey } from '@fileforge/core';
import { createPeriodicTask } from './periodic-task.js';

/** Records unchanged for less than this are left alone: five minutes. */
export const DEFAULT_REQUEUE_GRACE_MS = 5 * 60_000;

/** Options for {@link requeueUnfinished}. */
export interface RequeueOptions {
  /**
   * Only records unchanged for longer than this get their job requested again. Shorter
   * recovers sooner; a record being processed longer than this gets one follow-up job, which
   * does nothing. @default DEFAULT_REQUEUE_GRACE_MS
   */
  graceMs?: number;
  /** @default Date.now */
  now?: () => number;
  signal?: AbortSignal;
}

/**
 * Requests the processing job of every record unfinished for longer than the grace period;
 * returns those records (a request a waiting job absorbed included).
 */
export async function requeueUnfinished(
  forge: Pick<Forge, 'catalog' | 'queue'>,
  options: RequeueOptions = {},
): Promise<Array<{ tenant: string; id: string }>> {
  const graceMs = options.graceMs ?? DEFAULT_REQUEUE_GRACE_MS;
  const now = (options.now ?? Date.now)();
  const requested: Array<{ tenant: string; id: string }> = [];
  for (const file of await forge.catalog.files.listUnfinished()) {
    options.signal?.throwIfAborted();
    const record = await forge.catalog.files.get(file.tenant, file.id);
    // Finished or deleted since the listing; or too young to be a leftover.
    if (!record || (record.status !== 'pending' && record.status !== 'processing')) continue;
    if (now - Date.parse(record.updatedAt) < graceMs) continue;
    await forge.queue.enqueue(
      PROCESS_JOB,
      { tenant: file.tenant, fileId: file.id },
      { key: processJobKey(file.tenant, file.id) },
    );
    requested.push({ tenant: file.tenant, id: file.id });
  }
  return requested;
}

type Logger = { info(obj: object, msg: string): void; error(obj: object, msg: string): void };

/** Options for {@link startRequeueSweep}. */
export interface RequeueSweepOptions extends Omit<RequeueOptions, 'signal'> {
  forge: Pick<Forge, 'catalog' | 'queue'>;
  /** Time between sweeps; the first runs one interval after the start. */
  intervalMs: number;
  logger: Logger;
  /** Called after each sweep (tests). */
  onRun?: (outcome: { requested?: number; error?: unknown }) => void;
}

/** A running sweep. */
export interface RequeueSweep {
  /** Stops the timer and waits for (aborts) a sweep in progress. */
  stop(): Promise<void>;
}

/**
 * Starts requesting, every `intervalMs`, the processing job of records left unfinished. A
 * failed sweep (the queue still down) is logged and tried again at the next interval.
 */
export function startRequeueSweep(options: RequeueSweepOptions): RequeueSweep {
  const { forge, intervalMs, logger, onRun, ...requeue } = options;
  return createPeriodicTask({
    intervalMs,
    run: async (signal) => {
      const requested = await requeueUnfinished(forge, { ...requeue, signal });
      if (requested.length > 0) {
        logger.info(
          { files: requested.length, graceMs: requeue.graceMs ?? DEFAULT_REQUEUE_GRACE_MS },
          'requested processing again for files unfinished past the grace period (a job still waiting absorbs the request)',
        );
      }
      onRun?.({ requested: requested.length });
    },
    onError: (error) => {
      logger.error({ err: error }, 're-queue sweep failed; trying again at the next interval');
      onRun?.({ error });
    },
  });
}
