/**
 * The server's periodic orphan sweep (`FSCK_SWEEP_INTERVAL_HOURS`): every interval it removes
 * the blobs no record references that are older than the grace period — what a crash between
 * linking a blob and committing its record leaves, on a store start-up cannot clean alone
 * (shared object storage, or a server that has been up for weeks). Young unreferenced blobs
 * belong to uploads still committing and are left alone. Each run first sweeps what interrupted
 * puts left in the store (temp files; on S3, abandoned multipart uploads) older than the same
 * grace, so a long-running server needs no restart to clean them. The timer is unref'd (it never keeps
 * a process alive) and {@link OrphanSweep.stop} waits for a sweep in progress.
 *
 * @module
 */
import { DEFAULT_ORPHAN_GRACE_MS, type Forge, type ForgeConfig, removeOrphanBlobs } from '@fileforge/core';
import { createPeriodicTask } from '../periodic-task.js';

type Logger = { info(obj: object, msg: string): void; error(obj: object, msg: string): void };

/** Options for {@link startOrphanSweep}. */
export interface OrphanSweepOptions {
  forge: Pick<Forge, 'catalog' | 'blobs'>;
  /** Time between sweeps; the first runs one interval after the start. */
  intervalMs: number;
  /**
   * Only unreferenced blobs last written longer ago than this are removed: shorter frees space
   * sooner, but must stay well above the longest upload's commit time.
   * @default DEFAULT_ORPHAN_GRACE_MS (one hour)
   */
  graceMs?: number;
  logger: Logger;
  /** Injectable clock for the age check. @default Date.now */
  now?: () => number;
  /** Called after each sweep (tests). */
  onRun?: (outcome: { removed?: string[]; error?: unknown }) => void;
}

/** A running sweep. */
export interface OrphanSweep {
  /** Stops the timer and waits for (aborts) a sweep in progress. */
  stop(): Promise<void>;
}

/** Starts removing orphan blobs every `intervalMs`. */
export function startOrphanSweep(options: OrphanSweepOptions): OrphanSweep {
  const graceMs = options.graceMs ?? DEFAULT_ORPHAN_GRACE_MS;
  return createPeriodicTask({
    intervalMs: options.intervalMs,
    run: async (signal) => {
      const leftovers = await options.forge.blobs.sweep({ olderThanMs: graceMs });
      if (leftovers > 0)
        options.logger.info({ removed: leftovers }, 'sweep removed what interrupted uploads left behind');
      const removed = await removeOrphanBlobs(options.forge.catalog, options.forge.blobs, {
        graceMs,
        signal,
        ...(options.now ? { now: options.now } : {}),
      });
      if (removed.length > 0)
        options.logger.info(
          { removed: removed.length, keys: removed },
          'orphan sweep removed unreferenced blobs',
        );
      options.onRun?.({ removed });
    },
    onError: (error) => {
      options.logger.error({ err: error }, 'orphan sweep failed; trying again at the next interval');
      options.onRun?.({ error });
    },
  });
}

/** Starts the sweep unless `FSCK_SWEEP_INTERVAL_HOURS=0` (then `undefined`). */
export function startConfiguredSweep(
  config: ForgeConfig,
  forge: Pick<Forge, 'catalog' | 'blobs'>,
  logger: Logger,
): OrphanSweep | undefined {
  const hours = config.env.FSCK_SWEEP_INTERVAL_HOURS;
  if (hours === 0) return undefined;
  return startOrphanSweep({ forge, intervalMs: Math.round(hours * 3_600_000), logger });
}
