import type { Entry, ZipFile } from 'yauzl';
import {
  type EntryRange,
  entryRange,
  findOverlap,
  isAllowedDirectoryGap,
  unsafeEntryName,
} from './zip-checks.js';
import { rejectZip, type ZipLimits } from './zip-limits.js';

/** The next central-directory entry, `null` at the end; yauzl's `error` event rejects. */
function nextEntry(zip: ZipFile): Promise<Entry | null> {
  return new Promise((resolve, rejectEntry) => {
    const settle = () => {
      zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
    };
    const onEntry = (entry: Entry) => {
      settle();
      resolve(entry);
    };
    const onEnd = () => {
      settle();
      resolve(null);
    };
    const onError = (error: Error) => {
      settle();
      rejectEntry(error);
    };
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}

/**
 * Per-entry checks, run as each central-directory record is read. Symbolic links pass:
 * they are listed, and refused only where an entry's data would be read as a file.
 */
function checkEntry(entry: Entry): void {
  const unsafe = unsafeEntryName(entry.fileName);
  if (unsafe) {
    throw rejectZip('archive_unsafe_path', `${unsafe}: ${JSON.stringify(entry.fileName)}`, {
      entry: entry.fileName,
    });
  }
}

/** Whole-directory checks: structure first (overlap, bounds), then sizes and ratios. */
function checkDirectory(
  entries: readonly Entry[],
  ranges: readonly EntryRange[],
  fileSize: number,
  limits: ZipLimits,
) {
  const overlap = findOverlap(ranges);
  if (overlap) {
    const [a, b] = overlap;
    const what = `entries ${JSON.stringify(a.name)} and ${JSON.stringify(b.name)} overlap`;
    throw rejectZip('archive_overlap', what, { entries: [a.name, b.name] });
  }
  const outside = ranges.find((range) => range.end > fileSize);
  if (outside) {
    throw rejectZip('archive_invalid', `entry ${JSON.stringify(outside.name)} runs past the end of the file`);
  }
  const totalSize = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (totalSize > limits.maxTotalBytes) {
    const what = `declares ${totalSize} bytes uncompressed, limit ${limits.maxTotalBytes}`;
    throw rejectZip('archive_limits', what, { declared: totalSize, limit: limits.maxTotalBytes });
  }
  for (const entry of entries) {
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize >= limits.ratioMinBytes && ratio > limits.maxRatio) {
      throw rejectZip(
        'archive_limits',
        `entry ${JSON.stringify(entry.fileName)} expands ${Math.round(ratio)}:1`,
        {
          entry: entry.fileName,
          ratio: Math.round(ratio),
          limit: limits.maxRatio,
        },
      );
    }
  }
  const overall = totalSize / Math.max(fileSize, 1);
  if (totalSize >= limits.ratioMinBytes && overall > limits.maxRatio) {
    throw rejectZip('archive_limits', `archive expands ${Math.round(overall)}:1`, {
      ratio: Math.round(overall),
      limit: limits.maxRatio,
    });
  }
  return totalSize;
}

/** Reads bytes `start` to `end` (exclusive) of the archive. */
export type ReadArchiveRange = (start: number, end: number) => Promise<Buffer>;

/** More than this between the directory and the end record is never a zip64 record. */
const MAX_DIRECTORY_GAP = 64 * 1024;

/**
 * Checks that the end-of-central-directory record follows the central directory, with at most
 * a zip64 end record and locator between: yauzl finds the end record from the end of the file
 * and follows its offset back, so a payload with a copy of a valid end record appended
 * (`zip + payload + end record`) would otherwise pass as that zip.
 */
async function checkTail(zip: ZipFile, readRange: ReadArchiveRange) {
  // yauzl's read position after the last record is where the central directory ends.
  const directoryEnd = (zip as unknown as { readEntryCursor?: unknown }).readEntryCursor;
  if (typeof directoryEnd !== 'number') return;
  // The comment is decoded as CP437, one character a byte.
  const endRecord = zip.fileSize - 22 - zip.comment.length;
  const gap = endRecord - directoryEnd;
  if (gap === 0) return;
  const allowed =
    gap > 0 && gap <= MAX_DIRECTORY_GAP && isAllowedDirectoryGap(await readRange(directoryEnd, endRecord));
  if (!allowed) {
    throw rejectZip('trailing_data', `${gap} bytes between the central directory and its end record`, {
      bytes: gap,
    });
  }
}

/**
 * Reads the whole central directory of `zip` and checks it before any entry data is read:
 * the entry count (from the end record, before the first entry), each name and mode as it
 * arrives, then what lies between the directory and its end record, then overlap, bounds,
 * total size and ratios over the whole directory. Returns the entries and their declared
 * total size.
 */
export async function readCheckedDirectory(
  zip: ZipFile,
  limits: ZipLimits,
  signal: AbortSignal,
  readRange: ReadArchiveRange,
): Promise<{ entries: Entry[]; totalSize: number }> {
  if (zip.entryCount > limits.maxEntries) {
    throw rejectZip('archive_limits', `${zip.entryCount} entries, limit ${limits.maxEntries}`, {
      entries: zip.entryCount,
      limit: limits.maxEntries,
    });
  }
  const entries: Entry[] = [];
  for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) {
    signal.throwIfAborted();
    checkEntry(entry);
    entries.push(entry);
  }
  await checkTail(zip, readRange);
  const ranges = entries.map((e) =>
    entryRange(e.fileName, e.relativeOffsetOfLocalHeader, e.fileNameLength, e.compressedSize),
  );
  return { entries, totalSize: checkDirectory(entries, ranges, zip.fileSize, limits) };
}
