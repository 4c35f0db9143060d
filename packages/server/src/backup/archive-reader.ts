/**
 * Reads a backup archive defensively: a gzip'd tar whose entries are checked one by one
 * before any byte of them reaches the disk (names, types, count), with the decompressed size
 * and the compression ratio capped while it streams, so a hostile archive costs bounded time
 * and space and cannot write outside the staging area.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { backupInvalid, isKnownEntryName, isUnsafeEntryName } from './manifest.js';

/** Limits a restore enforces on an archive. */
export interface ArchiveLimits {
  /** Most entries. @default 2_000_000 */
  maxEntries?: number;
  /** Most decompressed bytes in total. @default free space where the staging copies go */
  maxBytes?: number;
  /**
   * Highest decompressed : compressed ratio, checked once 64 MiB are decompressed. Real
   * backups stay far below (blobs are mostly compressed media already); a zero-filled bomb
   * sits near DEFLATE's ~1030:1. @default 200
   */
  maxRatio?: number;
}

/** An entry the archive reader hands over: a regular file with a checked name. */
export interface ArchiveEntry {
  name: string;
  size: number;
  stream: Readable;
}

const RATIO_FLOOR = 64 * 1024 * 1024;

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * Calls `onEntry` for each entry of the archive at `path`, in order, after checking it;
 * rejects with `BACKUP_INVALID` (and stops reading) at the first entry or limit it refuses.
 */
export async function readArchive(
  path: string,
  limits: Required<ArchiveLimits>,
  onEntry: (entry: ArchiveEntry) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  if (!(await isGzip(path))) throw backupInvalid('not_a_backup', `${path} is not a gzip'd tar archive`);
  let compressed = 0;
  let decompressed = 0;
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  source.on('data', (chunk: string | Buffer) => {
    compressed += chunk.length;
  });
  const gunzip = createGunzip();
  gunzip.on('data', (chunk: Buffer) => {
    decompressed += chunk.length;
    if (decompressed > limits.maxBytes) {
      gunzip.destroy(backupInvalid('too_large', `The archive unpacks to more than ${limits.maxBytes} bytes`));
    } else if (decompressed > RATIO_FLOOR && decompressed / Math.max(compressed, 1) > limits.maxRatio) {
      gunzip.destroy(
        backupInvalid(
          'compression_ratio',
          `The archive expands more than ${limits.maxRatio}:1 (a compression bomb?)`,
        ),
      );
    }
  });
  const extract = tarExtract();
  // The first fault of the archive's own streams (a truncated or corrupt gzip, a broken tar
  // header, a limit above): it is the cause even when the entry's consumer reports first.
  let readFault: unknown;
  const noteFault = (error: NodeJS.ErrnoException) => {
    // A premature close is what the pipeline reports when the consumer stopped: its consequence.
    if (error?.code !== 'ERR_STREAM_PREMATURE_CLOSE') readFault ??= error;
  };
  gunzip.on('error', noteFault);
  extract.on('error', noteFault);
  const consume = (async () => {
    let count = 0;
    for await (const entry of extract) {
      const { name, type, size = 0 } = entry.header;
      if (++count > limits.maxEntries)
        throw backupInvalid('too_many_entries', `The archive has more than ${limits.maxEntries} entries`);
      if (isUnsafeEntryName(name))
        throw backupInvalid('unsafe_path', `Unsafe entry name ${JSON.stringify(name)}`, name);
      if (type !== 'file') {
        const what = type === 'symlink' || type === 'link' ? 'link_entry' : 'unexpected_entry';
        throw backupInvalid(what, `Entry ${JSON.stringify(name)} is a ${type}, not a regular file`, name);
      }
      if (!isKnownEntryName(name))
        throw backupInvalid(
          'unexpected_entry',
          `Entry ${JSON.stringify(name)} is not part of a FileForge backup`,
          name,
        );
      if (size > limits.maxBytes)
        throw backupInvalid('too_large', `Entry ${name} is larger than the limit`, name);
      // tar-stream entries are streamx readables: node's stream API, other typings.
      await onEntry({ name, size, stream: entry as unknown as Readable });
      // Whatever the consumer left unread is drained, so the next header is reached.
      entry.resume();
    }
  })();
  consume.catch(() => {});
  try {
    await Promise.all([pipeline(source, gunzip, extract, signal ? { signal } : {}), consume]);
  } catch (error) {
    source.destroy();
    extract.destroy();
    // The entry being consumed (a blob being stored) fails with its destroyed stream: wait for
    // that to settle, so a caller that removes what was staged does not race a write in flight.
    const consumed = await consume.then(
      () => undefined,
      (e: unknown) => e,
    );
    const cause = (readFault ?? error) as NodeJS.ErrnoException;
    if (cause?.code === 'ABORT_ERR') throw cause;
    if (cause?.name === 'FileForgeError') throw cause;
    if (readFault !== undefined)
      throw backupInvalid(
        'incomplete',
        `The archive is truncated or corrupt: ${cause.message ?? String(cause)}`,
      );
    if ((consumed as Error)?.name === 'FileForgeError') throw consumed;
    throw backupInvalid(
      'incomplete',
      `The archive is truncated or corrupt: ${cause?.message ?? String(error)}`,
    );
  }
}
