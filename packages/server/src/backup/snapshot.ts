/**
 * Making one backup archive while the server may be running.
 *
 * How this works: the catalog is copied as one consistent state without the data-directory
 * lock — SQLite with its online backup API, PostgreSQL as a dump read in one
 * `REPEATABLE READ READ ONLY` transaction (`postgres-dump.ts`; no `pg_dump` needed) — then the blobs that copy references are read through the
 * {@link BlobStore} (so an encrypted store is read as plaintext, exactly as it serves files)
 * and streamed into a gzip'd tar under a temp name, each hashed on the way. The manifest of
 * SHA-256s, signed with the installation's manifest key (`manifest-signature.ts`), is the
 * last entry; the file is fsynced and only then renamed to its final name. A
 * crash leaves only a dot-named `.partial` file, which the next backup removes. Blobs are
 * immutable, so a blob the copy references is the same bytes whenever it is read; files
 * deleted after the copy was taken may be gone by then and are listed as `missing`. A blob the
 * store cannot read (an encrypted blob failing its authentication, a read error) does not stop
 * the backup: its entry, once begun, is filled up to its size with zeros, and its key is listed
 * as `unreadable` so that a restore never takes those bytes for the file.
 *
 * @module
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import {
  type BlobStore,
  catalogEngine,
  crashPoint,
  ErrorCode,
  FileForgeError,
  listSnapshotBlobs,
  type PostgresSnapshot,
  PRIVATE_DIR_MODE,
  PRIVATE_FILE_MODE,
  type SnapshotBlob,
  snapshotCatalog,
} from '@fileforge/core';
import { pack as tarPack } from 'tar-stream';
import { HashTap } from './hash-tap.js';
import {
  type BackupManifest,
  BLOB_PREFIX,
  CATALOG_ENTRY,
  MANIFEST_ENTRY,
  MANIFEST_FORMAT,
  type ManifestObject,
} from './manifest.js';
import { type ManifestKey, signManifest } from './manifest-signature.js';
import { backupNames, removeStaleTemps } from './names.js';
import { addPostgresCatalog } from './postgres-dump.js';

/** Progress of a backup: objects written out of the total (the catalog counts as one). */
export interface BackupProgress {
  done: number;
  total: number;
}

/** Options for {@link createBackup}. */
export interface CreateBackupOptions {
  /** `DATABASE_URL` of the catalog (`sqlite:<path>` or `postgresql://…`). */
  databaseUrl: string;
  /** The store the blobs are read from (the server's own, or one opened like it). */
  blobs: BlobStore;
  /** Directory the archive is written to; created (0700) if missing. */
  outputDir: string;
  /**
   * Holds this process's blob deletes from before the catalog is copied until every blob is
   * read (`() => forge.holdBlobDeletes()`), so a file deleted meanwhile is archived whole. A
   * delete in another process can still take a blob away: it is then listed under `missing`.
   */
  holdDeletes?: () => () => Promise<void>;
  signal?: AbortSignal;
  onProgress?: (progress: BackupProgress) => void;
  /** Clock for the archive name and manifest. @default () => new Date() */
  now?: () => Date;
  /** gzip level: 1 is fast, 9 small; blobs are often compressed already. @default 6 */
  gzipLevel?: number;
  /**
   * Signs the manifest (HMAC-SHA256): `signingKeyOf(manifestKeys({ secretKey, keyRing }))`. A
   * restore refuses an archive whose signature it cannot verify under its own keys.
   */
  signingKey: ManifestKey;
}

/** What {@link createBackup} wrote. */
export interface BackupResult {
  /** Absolute path of the complete archive. */
  path: string;
  /** Archive size in bytes. */
  bytes: number;
  /** Objects in the archive, the catalog included. */
  objects: number;
  /** Blob keys the catalog references that were not in the store. */
  missing: string[];
  /** Blob keys whose bytes no longer match the SHA-256 the catalog records (run `fileforge fsck`). */
  damaged: string[];
  /**
   * Blob keys the store could not read (an encrypted blob failing authentication, a read
   * error): not in the backup; a restore leaves them missing.
   */
  unreadable: string[];
}

/** What an unreadable blob's entry is filled with. */
const ZEROS = Buffer.alloc(64 * 1024);

/**
 * Whether a read failed for this blob alone — its content fails authentication, its key is not
 * in the ring, the disk cannot read it — rather than for the store (unreachable, shutting
 * down), which fails the backup as before.
 */
const isUnreadableBlob = (error: unknown): boolean =>
  FileForgeError.is(error)
    ? error.code === ErrorCode.BLOB_INTEGRITY_FAILED || error.code === ErrorCode.KEY_UNAVAILABLE
    : (error as NodeJS.ErrnoException | undefined)?.code === 'EIO';

/** What `stat` gave for a blob that is there but cannot be read (unlike `null`: not there). */
const UNREADABLE: unique symbol = Symbol('unreadable');

async function fsyncDir(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes one complete backup archive (catalog copy, every blob it references, manifest) into
 * `outputDir` and returns its path. Reads only from the data directory; never needs its lock.
 *
 * @example
 * ```ts
 * const signingKey = signingKeyOf(manifestKeys({ secretKey: process.env.SECRET_KEY }));
 * const { path } = await createBackup({ databaseUrl, blobs: forge.blobs, outputDir: './backups', signingKey });
 * ```
 */
export async function createBackup(options: CreateBackupOptions): Promise<BackupResult> {
  const release = options.holdDeletes?.();
  try {
    return await writeBackup(options);
  } finally {
    await release?.();
  }
}

async function writeBackup(options: CreateBackupOptions): Promise<BackupResult> {
  const engine = catalogEngine(options.databaseUrl);
  const now = (options.now ?? (() => new Date()))();
  await mkdir(options.outputDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await removeStaleTemps(options.outputDir);
  const names = backupNames(now);
  const tempArchive = join(options.outputDir, names.tempArchive);
  const tempCatalog = join(options.outputDir, names.tempCatalog);
  let pgSnapshot: PostgresSnapshot | undefined;
  try {
    const objects: ManifestObject[] = [];
    const missing: string[] = [];
    const damaged: string[] = [];
    const unreadable: string[] = [];

    const pack = tarPack();
    const gzip = createGzip({ level: options.gzipLevel ?? 6 });
    const out = createWriteStream(tempArchive, { flags: 'wx', mode: 0o600, flush: true });
    const written = pipeline(pack, gzip, out, options.signal ? { signal: options.signal } : {});
    // Attached now so a write failure is never unhandled while entries are being added.
    written.catch(() => {});
    const addEntry = async (
      path: string,
      size: number,
      source: NodeJS.ReadableStream | AsyncIterable<Buffer>,
    ) => {
      const tap = new HashTap();
      const entry = pack.entry({ name: path, size, mode: 0o600, mtime: now, type: 'file' });
      await pipeline(source, tap, entry);
      objects.push({ path, size: tap.bytes, sha256: tap.digest() });
      return objects.at(-1)!;
    };
    /** A blob's bytes; past a read error, zeros up to `size` (the blob is then listed unreadable). */
    async function* blobBytes(key: string, size: number, source: NodeJS.ReadableStream) {
      let sent = 0;
      try {
        for await (const chunk of source as AsyncIterable<Buffer>) {
          sent += chunk.length;
          yield chunk;
        }
      } catch (error) {
        if (options.signal?.aborted || !isUnreadableBlob(error)) throw error;
        unreadable.push(key);
      }
      // Shorter than its size said, with no error: cut off, as unusable as a failed read.
      if (sent < size && unreadable.at(-1) !== key) unreadable.push(key);
      for (let n = size - sent; n > 0; n -= ZEROS.length)
        yield n >= ZEROS.length ? ZEROS : ZEROS.subarray(0, n);
    }

    let expected: Iterable<SnapshotBlob> | AsyncIterable<SnapshotBlob>;
    let total: number;
    if (engine === 'postgresql') {
      pgSnapshot = await addPostgresCatalog(options.databaseUrl, tempCatalog, addEntry, options.signal);
      total = (await pgSnapshot.blobCount()) + objects.length;
      expected = pgSnapshot.blobs();
    } else {
      // The copy holds password hashes, sealed secrets and extracted text: private from its
      // first byte, whatever the output folder's mode (SQLite keeps an existing file's mode).
      await (await open(tempCatalog, 'w', PRIVATE_FILE_MODE)).close();
      await chmod(tempCatalog, PRIVATE_FILE_MODE);
      await snapshotCatalog(
        options.databaseUrl,
        tempCatalog,
        options.signal ? { signal: options.signal } : {},
      );
      const list = [...listSnapshotBlobs(tempCatalog)];
      const catalogSize = (await stat(tempCatalog)).size;
      await addEntry(CATALOG_ENTRY, catalogSize, createReadStream(tempCatalog));
      total = list.length + 1;
      expected = list;
    }
    const progress = () =>
      options.onProgress?.({ done: Math.min(total, objects.length + missing.length), total });
    progress();
    for await (const blob of expected) {
      options.signal?.throwIfAborted();
      // A header that fails authentication fails `stat` already: that blob is unreadable.
      const stat = await options.blobs.stat(blob.key).catch((error: unknown): typeof UNREADABLE => {
        if (options.signal?.aborted || !isUnreadableBlob(error)) throw error;
        return UNREADABLE;
      });
      if (stat === UNREADABLE) {
        unreadable.push(blob.key);
        progress();
        continue;
      }
      const size = stat?.size;
      // Gone since the catalog was copied (a delete meanwhile), or before: listed as missing.
      const source =
        size === undefined
          ? undefined
          : await options.blobs
              .get(blob.key, options.signal ? { signal: options.signal } : {})
              .catch((error: unknown) => {
                if (FileForgeError.is(error) && error.code === ErrorCode.NOT_FOUND) return undefined;
                if (options.signal?.aborted || !isUnreadableBlob(error)) throw error;
                return null; // there, but not readable
              });
      if (size === undefined || source === undefined) {
        missing.push(blob.key);
        progress();
        continue;
      }
      if (source === null) {
        unreadable.push(blob.key);
        progress();
        continue;
      }
      const added = await addEntry(`${BLOB_PREFIX}${blob.key}`, size, blobBytes(blob.key, size, source));
      if (added.sha256 !== blob.sha256 && unreadable.at(-1) !== blob.key) damaged.push(blob.key);
      progress();
      crashPoint('mid-backup');
    }
    await pgSnapshot?.close();
    pgSnapshot = undefined;
    const unsigned: BackupManifest = {
      format: MANIFEST_FORMAT,
      version: 2,
      createdAt: now.toISOString(),
      catalog: engine,
      objects,
      missing,
      ...(unreadable.length > 0 ? { unreadable } : {}),
    };
    const manifest: BackupManifest = { ...unsigned, signature: signManifest(unsigned, options.signingKey) };
    // Last entry: an archive without it was cut short.
    pack.entry({ name: MANIFEST_ENTRY, mode: 0o600, mtime: now }, JSON.stringify(manifest));
    pack.finalize();
    await written;
    await rm(tempCatalog, { force: true });
    const finalPath = join(options.outputDir, names.final);
    await rename(tempArchive, finalPath);
    await fsyncDir(options.outputDir);
    return {
      path: finalPath,
      bytes: (await stat(finalPath)).size,
      objects: objects.length,
      missing,
      damaged,
      unreadable,
    };
  } catch (error) {
    await pgSnapshot?.close();
    await rm(tempArchive, { force: true }).catch(() => {});
    await rm(tempCatalog, { force: true }).catch(() => {});
    for (const side of ['-journal', '-wal', '-shm'])
      await rm(`${tempCatalog}${side}`, { force: true }).catch(() => {});
    throw error;
  }
}
