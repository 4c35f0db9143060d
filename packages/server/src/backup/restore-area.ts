/**
 * The restore area of a blob store with no directory to swap in (a bucket): where a restore
 * stages the archive's blobs, and how it promotes them into the live store once verified.
 *
 * @module
 */
import type { BlobStore } from '@fileforge/core';

/**
 * Where a restore stages blobs that cannot live in a directory swapped in: a bucket's restore
 * area (core's `createS3RestoreArea`), promoted into the live bucket once the archive is verified.
 */
export interface RestoreArea {
  /** Opens the store the archive's blobs are staged through (same encryption as the live one). */
  open(): Promise<BlobStore>;
  /** Puts one verified staged blob in place, over a live blob of the same key. */
  promote(key: string): Promise<void>;
  /** Removes whatever is staged. */
  clear(): Promise<unknown>;
}

/** Promotes the staged blobs, a few at a time; the first failure stops the others. */
export async function promoteAll(area: RestoreArea, keys: readonly string[]): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    try {
      while (next < keys.length && !failed) await area.promote(keys[next++]!);
    } catch (error) {
      failed = true;
      throw error;
    }
  };
  const workers = Array.from({ length: Math.min(8, keys.length) }, worker);
  // Every worker settled before the caller clears the area under them.
  const results = await Promise.allSettled(workers);
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
}
