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
/**
 * Zip-based formats no other processor reads, listed like zips: Java (`.jar`), Android
 * (`.apk`) and browser-extension (`.xpi`) packages. Office documents and EPUB are left to
 * the office processor and to `generic`.
 */
const ZIP_PACKAGES = [
  'application/java-archive',
  'application/vnd.android.package-archive',
  'application/x-xpinstall',
];

/** What the archive processor handles and refuses, for the generated format table. */
export const archiveSupport: ProcessorSupport = {
  formats: 'ZIP (and JAR, APK, XPI), TAR, TAR.GZ (listing only; nothing is extracted)',
  extracts: [
    'entryCount, totalSize (declared), totalCompressedSize',
    'entries (first maxListedEntries, at most 256 KiB of names): name (cut to 1 KiB, nameTruncated), size, compressedSize, isDirectory, modified, encrypted',
    'links (symbolic, and tar hard links): entries[].link { type, target, unsafe: absolute | escapes | unreadable }; links, unsafeLinks',
    'truncatedListing, encryptedEntries',
  ],
  limits: [
    'checked on the zip central directory before any entry data is read → CONTENT_REJECTED with details.reason',
    'declared total > maxTotalBytes (1 GiB) → archive_limits; entries > maxEntries (10,000) → archive_limits',
    'entry or archive expanding > maxRatio (100:1) once it declares ratioMinBytes (32 MiB) or more → archive_limits',
    'overlapping entries → archive_overlap; absolute, "..", "\\", drive-letter or NUL names → archive_unsafe_path',
    'links are listed, not refused; reading a link as a file (an office part) → archive_symlink',
    'bytes after the end-of-central-directory record, or between it and the central directory (other than a zip64 end record) → trailing_data; unreadable → archive_invalid',
    'tar: the same limits per header while streaming → archive_limits, archive_unsafe_path',
  ],
};

/**
 * Creates the `archive` processor: lists zip, tar and gzip-compressed tar archives without
 * extracting anything. A zip (or a JAR, APK or XPI) is opened through the zip guard, which
 * reads only the central directory and refuses bombs (total size, entry count, ratio,
 * overlapping entries) and path-escaping names; a tar is streamed once with the same limits
 * checked per header. Symbolic and hard links are listed with their targets, unsafe ones
 * (absolute, escaping) flagged: nothing is extracted, so a link alone refuses nothing.
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
    mimeTypes: [ZIP, ...ZIP_PACKAGES, TAR, GZIP],
    support: archiveSupport,
    accepts: (record) =>
      record.mime === ZIP ||
      ZIP_PACKAGES.includes(record.mime) ||
      record.mime === TAR ||
      (record.mime === GZIP && record.ext === 'tar.gz'),
    async extractMetadata(file, context): Promise<ArchiveMetadata> {
      const { mime } = file.record;
      if (mime === ZIP || ZIP_PACKAGES.includes(mime))
        return listZip(file, limits, maxListed, context.signal);
      return listTar(file, mime === GZIP, limits, maxListed, context.signal);
    },
  };
}
