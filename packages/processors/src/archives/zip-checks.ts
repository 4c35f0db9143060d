import { FileForgeError } from '@fileforge/core';
import { rejectContent } from '../reject-content.js';
import type { ZipRejectReason } from './zip-limits.js';

/** Why `name` could escape an extraction root, or `null` when it is a plain relative path. */
export function unsafeEntryName(name: string): string | null {
  if (name.length === 0) return 'empty name';
  if (name.includes('\0')) return 'NUL byte in name';
  if (name.includes('\\')) return 'backslash in name';
  if (name.startsWith('/')) return 'absolute path';
  if (/^[a-zA-Z]:/.test(name)) return 'drive letter';
  if (name.split('/').includes('..')) return '".." segment';
  return null;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * True when the Unix mode in the upper 16 bits of the external attributes says "symbolic
 * link". Checked whatever the "made by" host claims: a hostile archive chooses that field too.
 */
export function isSymlinkAttributes(externalFileAttributes: number): boolean {
  return ((externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK;
}

/** The bytes one entry occupies: its local header and compressed data, `end` exclusive. */
export interface EntryRange {
  name: string;
  start: number;
  end: number;
}

/**
 * The smallest span an entry must occupy: the 30-byte local header, the name (which must
 * match the central one) and the compressed data. Local extra fields and data descriptors
 * only make it longer, so an overlap of these spans is a real overlap.
 */
export function entryRange(
  name: string,
  offset: number,
  fileNameLength: number,
  compressedSize: number,
): EntryRange {
  return { name, start: offset, end: offset + 30 + fileNameLength + compressedSize };
}

/**
 * Finds two entries whose byte ranges overlap (Fifield's overlapping-entry bomb, which yauzl
 * does not detect), or returns `null`. Adjacent ranges (`a.end === b.start`) do not overlap.
 * O(n log n): sorted by start, each range is compared with the furthest end seen so far.
 */
export function findOverlap(ranges: readonly EntryRange[]): [EntryRange, EntryRange] | null {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end);
  let furthest: EntryRange | undefined;
  for (const range of sorted) {
    if (furthest && range.start < furthest.end) return [furthest, range];
    if (!furthest || range.end > furthest.end) furthest = range;
  }
  return null;
}

/** The zip64 end-of-central-directory record's and locator's signatures. */
const ZIP64_RECORD = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
/** Size of the zip64 locator, and the least a zip64 record can be. */
const ZIP64_LOCATOR_BYTES = 20;
const ZIP64_RECORD_MIN_BYTES = 56;

/**
 * Whether `gap`, the bytes between the end of the central directory and the
 * end-of-central-directory record, is what may stand there: nothing, or exactly a zip64 end
 * record (of the size it declares) followed by its locator. Anything else is data hidden
 * inside the archive's tail (a payload with a copy of the end record appended after it).
 */
export function isAllowedDirectoryGap(gap: Uint8Array): boolean {
  if (gap.length === 0) return true;
  if (gap.length < ZIP64_RECORD_MIN_BYTES + ZIP64_LOCATOR_BYTES) return false;
  const bytes = Buffer.from(gap.buffer, gap.byteOffset, gap.length);
  if (bytes.readUInt32LE(0) !== ZIP64_RECORD) return false;
  const record = Number(bytes.readBigUInt64LE(4)) + 12;
  return (
    record >= ZIP64_RECORD_MIN_BYTES &&
    record + ZIP64_LOCATOR_BYTES === bytes.length &&
    bytes.readUInt32LE(record) === ZIP64_LOCATOR
  );
}

/** yauzl reports these through plain `Error` messages; the table is pinned by tests. */
const YAUZL_MESSAGES: readonly [RegExp, ZipRejectReason][] = [
  [/^Invalid comment length/, 'trailing_data'],
  [/^(invalid relative path|absolute path|invalid characters in fileName)/, 'archive_unsafe_path'],
  [
    /^(compressed\/uncompressed size mismatch|too many bytes in the stream|not enough bytes in the stream)/,
    'archive_limits',
  ],
];

/**
 * Turns anything thrown while reading a zip into a `CONTENT_REJECTED` error with a
 * {@link ZipRejectReason}: FileForge errors pass through, known yauzl messages get their
 * reason, and everything else (zlib errors, bad signatures, truncation) is `archive_invalid`.
 */
export function toZipRejection(error: unknown): FileForgeError {
  if (FileForgeError.is(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const reason = YAUZL_MESSAGES.find(([pattern]) => pattern.test(message))?.[1] ?? 'archive_invalid';
  return rejectContent('zip', reason, `Archive rejected (${reason}): ${message}`, { cause: error });
}
