import type { ProcessorFile } from '@fileforge/core';
import {
  type ArchiveEntry,
  type ArchiveMetadata,
  linkCounts,
  listedName,
  MAX_LISTING_NAME_BYTES,
} from './archive-metadata.js';
import { type ArchiveLink, describeLink } from './link-target.js';
import { type GuardedZip, withGuardedZip, type ZipEntryInfo } from './zip-guard.js';
import type { ZipLimits } from './zip-limits.js';

/** Lists a zip from its central directory alone, after the guard's checks; reads no entry data. */
export function listZip(
  file: ProcessorFile,
  limits: ZipLimits,
  maxListed: number,
  signal: AbortSignal,
): Promise<ArchiveMetadata> {
  return withGuardedZip(file, limits, signal, async (zip) => {
    const entries: ArchiveEntry[] = [];
    let nameBytes = 0;
    for (const entry of zip.entries.slice(0, maxListed)) {
      const listed = listedName(entry.name);
      nameBytes += Buffer.byteLength(listed.name);
      if (nameBytes > MAX_LISTING_NAME_BYTES) break;
      entries.push({
        ...listed,
        size: entry.size,
        compressedSize: entry.compressedSize,
        isDirectory: entry.isDirectory,
        modified: entry.modified?.toISOString() ?? null,
        encrypted: entry.encrypted,
        ...(entry.isSymlink ? { link: await zipLink(zip, entry, signal) } : {}),
      });
    }
    return {
      format: 'zip',
      entryCount: zip.entries.length,
      totalSize: zip.totalSize,
      totalCompressedSize: zip.totalCompressedSize,
      entries,
      truncatedListing: zip.entries.length > entries.length,
      encryptedEntries: zip.encryptedEntries,
      ...linkCounts(
        zip.entries.filter((entry) => entry.isSymlink).length,
        entries.filter((entry) => entry.link?.unsafe).length,
      ),
    };
  });
}

/** A zip symlink as listed: its target, or flagged unsafe when it is too long (or encrypted) to read. */
async function zipLink(zip: GuardedZip, entry: ZipEntryInfo, signal: AbortSignal): Promise<ArchiveLink> {
  const target = await zip.linkTarget(entry, signal);
  if (target === undefined) return { type: 'symlink', target: '', unsafe: 'unreadable' };
  return describeLink(entry.name, target, 'symlink');
}
