import type { FileForgeError } from '@fileforge/core';
import { checkInteger } from '../options/check.js';
import { rejectContent } from '../reject-content.js';

/**
 * Why the zip guard refused an archive; stored as `error.details.reason` of a rejected record.
 *
 * - `archive_limits`: the declared uncompressed sizes add up to more than `maxTotalBytes`;
 *   more entries than `maxEntries`; an entry, or the archive as a whole, expands more than
 *   `maxRatio` times; an entry's data is not the size its header declares; or an entry that has
 *   to be read is larger than `maxEntryBytes` (`details` name the limit).
 * - `archive_overlap`: two entries share bytes (the overlapping-entry bomb), or a local header
 *   does not match its central-directory entry.
 * - `archive_symlink`: an entry to be read as a file is a symbolic link (listing keeps links).
 * - `archive_unsafe_path`: an entry name is absolute, has `..` segments, backslashes, a drive letter or NUL.
 * - `zip_encrypted`: an entry that has to be read is encrypted.
 * - `trailing_data`: bytes follow the end-of-central-directory record, or stand between it and the
 *   central directory (anything but a zip64 end record and its locator).
 * - `archive_invalid`: not a readable zip (truncated, bad signatures, CRC mismatch, …).
 */
export type ZipRejectReason =
  | 'archive_limits'
  | 'archive_overlap'
  | 'archive_symlink'
  | 'archive_unsafe_path'
  | 'zip_encrypted'
  | 'trailing_data'
  | 'archive_invalid';

/** Limits of the zip guard. Every check runs on the central directory before any entry data is read. */
export interface ZipGuardOptions {
  /**
   * Largest total of declared uncompressed sizes. Bounds what reading every entry could cost.
   * @default 1073741824 (1 GiB)
   */
  maxTotalBytes?: number;
  /**
   * Most entries an archive may have; checked against the end-of-central-directory count
   * before a single entry is read.
   * @default 10000
   */
  maxEntries?: number;
  /**
   * Largest expansion (declared uncompressed / compressed size) of one entry, and of the
   * whole archive (total declared size / file size), for those that expand to at least
   * `ratioMinBytes`. Honest DEFLATE tops out near 1032:1, typical documents at 5–20:1; very
   * repetitive data (logs, sparse sheets and arrays) can pass 100:1.
   * @default 100
   */
  maxRatio?: number;
  /**
   * Entries (and archives) declaring less than this are exempt from the ratio check. A
   * bomb needs size to hurt, while honest sparse data compresses far past 100:1 at modest
   * sizes (a 31 KB SciPy `.npz` holds a 5 MB array at 160:1). Below this size, the byte
   * guard still stops an entry that inflates past its declared size, and `maxTotalBytes`
   * bounds the whole archive.
   * @default 33554432 (32 MiB)
   */
  ratioMinBytes?: number;
  /**
   * Largest single entry whose data may be read (office parts); larger ones are refused with
   * `archive_limits` before reading. Listing never reads entry data.
   * @default 134217728 (128 MiB)
   */
  maxEntryBytes?: number;
}

/** {@link ZipGuardOptions} with every default applied. */
export type ZipLimits = Required<ZipGuardOptions>;

/** The defaults of {@link ZipGuardOptions}. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxTotalBytes: 1024 * 1024 * 1024,
  maxEntries: 10_000,
  maxRatio: 100,
  ratioMinBytes: 32 * 1024 * 1024,
  maxEntryBytes: 128 * 1024 * 1024,
};

/** Applies defaults to `options` and validates them. */
export function resolveZipLimits(options: ZipGuardOptions, subsystem: string): ZipLimits {
  const limits = { ...DEFAULT_ZIP_LIMITS };
  for (const key of Object.keys(limits) as (keyof ZipLimits)[]) {
    limits[key] = checkInteger(subsystem, key, options[key] ?? DEFAULT_ZIP_LIMITS[key], 1);
  }
  return limits;
}

/** A `CONTENT_REJECTED` zip refusal whose message names the subsystem, the reason and what was found. */
export function rejectZip(
  reason: ZipRejectReason,
  what: string,
  details: Record<string, unknown> = {},
): FileForgeError {
  return rejectContent('zip', reason, `Archive rejected (${reason}): ${what}`, { details });
}
