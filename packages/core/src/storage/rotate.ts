/**
 * Key rotation over a whole store: every blob's data key re-wrapped under the current master
 * key, content untouched. Idempotent and resumable: a blob already under the current key is
 * skipped, so an interrupted run is simply started again.
 *
 * @module
 */
import { ErrorCode, FileForgeError, toFileForgeError } from '../errors/index.js';
import type { EncryptedBlobStore } from './encrypted.js';

/** Options for {@link rotateKeys}. */
export interface RotateKeysOptions {
  /** Called after each blob with the running counts. */
  onProgress?: (report: RotateKeysReport) => void;
  signal?: AbortSignal;
}

/** What {@link rotateKeys} did. */
export interface RotateKeysReport {
  /** Blobs listed when the run started. */
  total: number;
  /** Blobs handled so far. */
  done: number;
  /** Blobs whose data key was re-wrapped now. */
  rewrapped: number;
  /** Blobs already under the current key. */
  current: number;
  /** Blobs that could not be re-wrapped (`KEY_UNAVAILABLE`, `BLOB_INTEGRITY_FAILED`, …), with why. */
  failed: { key: string; code: string; message: string }[];
}

/**
 * Re-wraps every blob of `store` under its key ring's current key. Lists the store first (so
 * progress has a total), then handles one blob at a time; a blob deleted meanwhile is skipped.
 *
 * @example
 * ```ts
 * const report = await rotateKeys(blobs, { onProgress: (r) => console.log(`${r.done}/${r.total}`) });
 * ```
 */
export async function rotateKeys(
  store: EncryptedBlobStore,
  options: RotateKeysOptions = {},
): Promise<RotateKeysReport> {
  if (!store.list) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:encryption] This blob store cannot list its blobs, so keys cannot be rotated on it',
    );
  }
  const keys: string[] = [];
  for await (const entry of store.list()) {
    options.signal?.throwIfAborted();
    keys.push(entry.key);
  }
  const report: RotateKeysReport = { total: keys.length, done: 0, rewrapped: 0, current: 0, failed: [] };
  for (const key of keys) {
    options.signal?.throwIfAborted();
    try {
      report[await store.rewrap(key)]++;
    } catch (error) {
      const e = toFileForgeError(error);
      if (e.code !== ErrorCode.NOT_FOUND) report.failed.push({ key, code: e.code, message: e.message });
    }
    report.done++;
    options.onProgress?.(report);
  }
  return report;
}
