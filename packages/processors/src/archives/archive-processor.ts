import type { Processor, ProcessorSupport } from '@fileforge/core';
import { checkInteger } from '../options/check.js';
import type { ArchiveMetadata, ListingOptions } from './archive-metadata.js';
import { listTar } from './tar-listing.js';
import { resolveZipLimits, type ZipGuardOptions } from './zip-limits.js';
import { listZip } from './zip-listing.js';

/** Options for {@link createArchiveProcessor}: the zip guard's limits (also applied to tar) and the listing size. */
export interface ArchiveProcessorOptions extends ZipGuardOptions, ListingOptions {}

const ZIP = 'application/zip';
const TAR = 'application/x-tar';
const GZIP = 'application/gzip';

/** What the archive processor handles and refuses, for the generated format table. */
export const archiveSupport: ProcessorSupport = {
  formats: 'ZIP, TAR, TAR.GZ (listing only; nothing is extracted)',
  extracts: [
    'entryCount, totalSize (declared), totalCompressedSize',
    'entries (first maxListedEntries): name, size, compressedSize, isDirectory, modified, encrypted',
    'truncatedListing, encryptedEntries',
  ],
  limits: [
    'checked on the zip central directory before any entry data is read → CONTENT_REJECTED with details.reason',
    'declared total > maxTotalBytes (1 GiB) → archive_limits; entries > maxEntries (10,000) → archive_limits',
    'entry or archive expanding > maxRatio (100:1, from 1 MiB) → archive_limits',
    'overlapping entries → archive_overlap; symlinks → archive_symlink; absolute, "..", "\\", drive-letter or NUL names → archive_unsafe_path',
    'bytes after the end-of-central-directory record → trailing_data; unreadable → archive_invalid',
    'tar: the same limits per header while streaming → archive_limits, archive_unsafe_path, archive_symlink',
  ],
};

/**
 * Creates the `archive` processor: lists zip, tar and gzip-compressed tar archives without
 * extracting anything. A zip is opened through the zip guard, which reads only the central
 * directory and refuses bombs (total size, entry count, ratio, overlapping entries), symlinks
 * and path-escaping names; a tar is streamed once with the same limits checked per header.
 * Plain `.gz` files that do not wrap a tar are left alone.
 *
 * @example
 * ```ts
 * const forge = await createForge({ processors: [createArchiveProcessor({ maxEntries: 1000 })] });
 * // later: (await forge.files.get(id))?.metadata.archive → { format: 'zip', entryCount: 3, entries: [...] }
 * ```
 */
export function createArchiveProcessor(options: ArchiveProcessorOptions = {}): Processor {
  const limits = resolveZipLimits(options, 'archive');
  const maxListed = checkInteger('archive', 'maxListedEntries', options.maxListedEntries ?? 1000, 0);
  return {
    name: 'archive',
    mimeTypes: [ZIP, TAR, GZIP],
    support: archiveSupport,
    accepts: (record) =>
      record.mime === ZIP || record.mime === TAR || (record.mime === GZIP && record.ext === 'tar.gz'),
    async extractMetadata(file, context): Promise<ArchiveMetadata> {
      const { mime } = file.record;
      if (mime === ZIP) return listZip(file, limits, maxListed, context.signal);
      return listTar(file, mime === GZIP, limits, maxListed, context.signal);
    },
  };
}
