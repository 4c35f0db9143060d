/**
 * What a forge finishes at start-up that a crash may have left behind, before it takes work:
 * temp files of interrupted uploads, blobs that never got their record, and records that never
 * got their processing job.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { removeOrphanBlobs } from '../fsck/orphans.js';
import { type ForgeContext, PROCESS_JOB, processJobKey } from './context.js';

/** Options for {@link recoverAtStart}. */
export interface RecoverAtStartOptions {
  /**
   * This process alone owns the data directory (the data-directory lock), so every blob
   * without a record is a leftover and is removed.
   */
  exclusive: boolean;
  /**
   * The queue is on Redis (`queueUrl`): when it is unreachable, unfinished records are queued
   * later (the periodic re-queue or the next start) instead of failing the start-up.
   */
  remoteQueue: boolean;
}

/** Sweeps the temp area, removes orphan blobs (when exclusive) and re-queues unfinished records. */
export async function recoverAtStart(ctx: ForgeContext, options: RecoverAtStartOptions): Promise<void> {
  const { blobs, catalog } = ctx;
  const { logger } = ctx.options;
  const swept = await blobs.sweep();
  if (swept > 0) logger.info({ swept }, 'removed temp files left by an interrupted upload');
  // A crash between linking a blob and committing its record leaves a blob nothing references.
  // An embedded data directory has one owner (the data-directory lock), so every such blob is a
  // leftover.
  if (options.exclusive) {
    const orphans = await removeOrphanBlobs(catalog, blobs, { graceMs: 0 });
    if (orphans.length > 0)
      logger.info({ removed: orphans.length }, 'removed blobs an interrupted upload left without a record');
  }
  await reconcile(ctx).catch((error) => {
    // Redis away at start-up: the server still starts (uploads answer 503 until it is back),
    // and the periodic re-queue or the next start queues what this could not.
    if (!(options.remoteQueue && FileForgeError.is(error) && error.code === ErrorCode.QUEUE_UNAVAILABLE))
      throw error;
    logger.warn({ err: error }, 'the job queue is unreachable; unfinished files are queued once it is back');
  });
}

/**
 * Makes sure every record that is not final has a processing job: a crash between the
 * record's commit and the enqueue (or a queue that lost its state) must not leave a file
 * pending forever. Goes through the queue's own API, so it holds for any engine: the key
 * merges the request into a job still pending; next to a job still running (one a crash
 * left, run again once its lease is back) it queues a follow-up that finds the record final
 * and does nothing.
 */
async function reconcile(ctx: ForgeContext): Promise<void> {
  for (const file of await ctx.catalog.files.listUnfinished()) {
    await ctx.queue.enqueue(
      PROCESS_JOB,
      { tenant: file.tenant, fileId: file.id },
      { key: processJobKey(file.tenant, file.id) },
    );
  }
}
