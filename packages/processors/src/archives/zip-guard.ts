import { addAbortSignal, type Readable } from 'node:stream';
import type { ProcessorFile } from '@fileforge/core';
import type { Entry, ZipFile } from 'yauzl';
import { EntryByteGuard } from './entry-stream.js';
import { MAX_LINK_TARGET_BYTES } from './link-target.js';
import { isSymlinkAttributes, toZipRejection } from './zip-checks.js';
import { readCheckedDirectory } from './zip-directory.js';
import { rejectZip, type ZipLimits } from './zip-limits.js';
import { openYauzl, readFileRange } from './zip-source.js';

/** One central-directory entry as the guard reports it. Sizes are the declared ones. */
export interface ZipEntryInfo {
  readonly name: string;
  readonly size: number;
  readonly compressedSize: number;
  readonly isDirectory: boolean;
  /** Last modification time (DOS time read as UTC, or the extended-timestamp field); null if invalid. */
  readonly modified: Date | null;
  readonly encrypted: boolean;
  /** A symbolic link (Unix mode `S_IFLNK` in the external attributes): its data is the target. */
  readonly isSymlink: boolean;
}

/** A zip whose central directory passed every check. Close it when done (see {@link withGuardedZip}). */
export interface GuardedZip {
  readonly entries: readonly ZipEntryInfo[];
  /** Sum of declared uncompressed sizes. */
  readonly totalSize: number;
  /** Sum of declared compressed sizes. */
  readonly totalCompressedSize: number;
  readonly encryptedEntries: number;
  /**
   * Streams an entry's inflated data through a byte counter that fails with
   * `archive_limits` as soon as it passes the declared size (or `archive_invalid` on a
   * CRC mismatch). Refuses encrypted entries (`zip_encrypted`), entries over `maxEntryBytes`
   * (`archive_limits`), entries whose local header names another file (`archive_overlap`)
   * and symbolic links (`archive_symlink`): reading a link as a file is what extraction does.
   */
  openEntry(entry: ZipEntryInfo, signal?: AbortSignal): Promise<Readable>;
  /**
   * The target of a symbolic-link entry, read through the same byte guard; `undefined` when
   * the entry is not a link or declares more than `MAX_LINK_TARGET_BYTES`.
   */
  linkTarget(entry: ZipEntryInfo, signal?: AbortSignal): Promise<string | undefined>;
  close(): void;
}

function modifiedOf(entry: Entry): Date | null {
  const date = entry.getLastModDate({ timezone: 'UTC' });
  return Number.isNaN(date.getTime()) ? null : date;
}

function openRaw(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, rejectOpen) => {
    zip.readLocalFileHeader(entry, {}, (error, header) => {
      if (error) return rejectOpen(error);
      if (!header.fileName.equals(entry.fileNameRaw)) {
        return rejectOpen(
          rejectZip(
            'archive_overlap',
            `local header of ${JSON.stringify(entry.fileName)} names another file`,
          ),
        );
      }
      zip.openReadStream(entry, (openError, stream) => (openError ? rejectOpen(openError) : resolve(stream)));
    });
  });
}

/**
 * Opens a zip and inspects its whole central directory before any entry data is read,
 * refusing (`CONTENT_REJECTED` with a `ZipRejectReason`) archives that are corrupt,
 * too large, too many, too compressed, overlapping, or that hold unsafe names. Symbolic
 * links are listed (`isSymlink`) and refused only when opened as files.
 * yauzl always has an `error` listener, so a hostile file cannot crash the process.
 */
export async function openGuardedZip(
  file: ProcessorFile,
  limits: ZipLimits,
  signal: AbortSignal,
): Promise<GuardedZip> {
  signal.throwIfAborted();
  let zip: ZipFile;
  try {
    zip = await openYauzl(file);
  } catch (error) {
    throw toZipRejection(error);
  }
  zip.on('error', () => {}); // errors reach the pending read; never crash on a late one
  try {
    const { entries: raw, totalSize } = await readCheckedDirectory(zip, limits, signal, (start, end) =>
      readFileRange(file, start, end),
    );
    const byInfo = new Map<ZipEntryInfo, Entry>();
    const entries = raw.map((entry) => {
      const info: ZipEntryInfo = {
        name: entry.fileName,
        size: entry.uncompressedSize,
        compressedSize: entry.compressedSize,
        isDirectory: entry.fileName.endsWith('/'),
        modified: modifiedOf(entry),
        encrypted: entry.isEncrypted(),
        isSymlink: isSymlinkAttributes(entry.externalFileAttributes),
      };
      byInfo.set(info, entry);
      return info;
    });
    const streamEntry = async (info: ZipEntryInfo, entrySignal: AbortSignal): Promise<Readable> => {
      const entry = byInfo.get(info);
      const name = JSON.stringify(info.name);
      if (!entry) throw new Error(`[fileforge:zip] ${name} is not an entry of this archive`);
      if (entry.isEncrypted()) throw rejectZip('zip_encrypted', `entry ${name} is encrypted`);
      if (info.size > limits.maxEntryBytes) {
        const details = { entry: info.name, limit: limits.maxEntryBytes };
        throw rejectZip('archive_limits', `entry ${name} declares ${info.size} bytes`, details);
      }
      let source: Readable;
      try {
        source = await openRaw(zip, entry);
      } catch (error) {
        throw toZipRejection(error);
      }
      const guard = new EntryByteGuard({ name: info.name, size: info.size, crc32: entry.crc32 });
      source.on('error', (error) => guard.destroy(toZipRejection(error)));
      guard.once('close', () => source.destroy());
      return addAbortSignal(entrySignal, source.pipe(guard));
    };
    return {
      entries,
      totalSize,
      totalCompressedSize: raw.reduce((sum, entry) => sum + entry.compressedSize, 0),
      encryptedEntries: entries.filter((entry) => entry.encrypted).length,
      close: () => zip.close(),
      async openEntry(info, entrySignal = signal) {
        if (info.isSymlink) {
          const what = `entry ${JSON.stringify(info.name)} is a symbolic link`;
          throw rejectZip('archive_symlink', what, { entry: info.name });
        }
        return streamEntry(info, entrySignal);
      },
      async linkTarget(info, entrySignal = signal) {
        if (!info.isSymlink || info.encrypted || info.size > MAX_LINK_TARGET_BYTES) return undefined;
        const chunks: Buffer[] = [];
        for await (const chunk of await streamEntry(info, entrySignal)) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString('utf8');
      },
    };
  } catch (error) {
    zip.close();
    if (signal.aborted) throw signal.reason;
    throw toZipRejection(error);
  }
}

/** Runs `fn` on a guarded zip and always closes it. */
export async function withGuardedZip<T>(
  file: ProcessorFile,
  limits: ZipLimits,
  signal: AbortSignal,
  fn: (zip: GuardedZip) => Promise<T>,
): Promise<T> {
  const zip = await openGuardedZip(file, limits, signal);
  try {
    return await fn(zip);
  } finally {
    zip.close();
  }
}
