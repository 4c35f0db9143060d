import type { ProcessorFile } from '@fileforge/core';
import type { ArchiveEntry, ArchiveMetadata } from './archive-metadata.js';
import { withGuardedZip } from './zip-guard.js';
import type { ZipLimits } from './zip-limits.js';

/** Lists a zip from its central directory alone, after the guard's checks; reads no entry data. */
export function listZip(
  file: ProcessorFile,
  limits: ZipLimits,
  maxListed: number,
  signal: AbortSignal,
): Promise<ArchiveMetadata> {
  return withGuardedZip(file, limits, signal, async (zip) => ({
    format: 'zip',
    entryCount: zip.entries.length,
    totalSize: zip.totalSize,
    totalCompressedSize: zip.totalCompressedSize,
    entries: zip.entries.slice(0, maxListed).map(
      (entry): ArchiveEntry => ({
        name: entry.name,
        size: entry.size,
        compressedSize: entry.compressedSize,
        isDirectory: entry.isDirectory,
        modified: entry.modified?.toISOString() ?? null,
        encrypted: entry.encrypted,
      }),
    ),
    truncatedListing: zip.entries.length > maxListed,
    encryptedEntries: zip.encryptedEntries,
  }));
}
