/**
 * Restoring a backup archive into a data directory whose server is stopped.
 *
 * How this works: the data-directory lock is taken (a running server holds it, so a restore
 * under it is refused), leftovers of an interrupted restore are finished or removed, then
 * every entry is streamed into staging copies beside the live catalog and blob root — blobs
 * through the configured {@link BlobStore}, so an encrypted store encrypts them under the
 * current key — each hashed on the way. Only when the manifest (the last entry) carries a
 * signature that verifies under one of this installation's keys, matches every
 * staged object by name, size and SHA-256, and the staged catalog passes SQLite's integrity
 * check and references nothing the archive lacks, are the staging copies swapped in
 * ({@link swapIn}). Any refusal removes the staging copies; the live data is never touched.
 *
 * @module
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  assertSnapshotSupported,
  type BlobStore,
  checkCatalogSnapshot,
  crashPoint,
  listSnapshotBlobs,
  lockDataDir,
  PRIVATE_DIR_MODE,
  PRIVATE_FILE_MODE,
} from '@fileforge/core';
import { type ArchiveLimits, readArchive } from './archive-reader.js';
import { HashTap } from './hash-tap.js';
import {
  type BackupManifest,
  BLOB_PREFIX,
  backupInvalid,
  CATALOG_ENTRY,
  MANIFEST_ENTRY,
  type ManifestObject,
  parseManifest,
} from './manifest.js';
import { checkManifestSignature, type ManifestKeys, type SignatureCheck } from './manifest-signature.js';
import { type RestoreTargets, recoverRestore, stagingPaths, swapIn } from './swap.js';

/** Options for {@link restoreBackup}. */
export interface RestoreBackupOptions extends RestoreTargets {
  /** The archive to restore. */
  archive: string;
  /** Opens the blob store the staging blobs are written through (same engine and encryption as the server's). */
  openStore: (root: string) => Promise<BlobStore>;
  limits?: ArchiveLimits;
  signal?: AbortSignal;
  /** Called with the bytes unpacked so far. */
  onProgress?: (bytes: number) => void;
  /** The keys the manifest's signature may verify under: `manifestKeys({ secretKey, keyRing })`. */
  keys: ManifestKeys;
  /**
   * Restore an unsigned archive, or one signed by a key this installation lacks (the result
   * says so). An altered manifest is refused regardless. @default false
   */
  allowUnverified?: boolean;
}

/** What {@link restoreBackup} put in place. */
export interface RestoreResult {
  /** Objects restored, the catalog included. */
  objects: number;
  bytes: number;
  /** When the archive was made. */
  createdAt: string;
  /** Whether the manifest's signature was verified (and under which key), or why not. */
  signature: SignatureCheck;
}

const MAX_MANIFEST_BYTES = 512 * 1024 * 1024;
const FREE_SPACE_RESERVE = 64 * 1024 * 1024;

async function defaultMaxBytes(dir: string): Promise<number> {
  const fs = await statfs(dir);
  return Math.max(0, fs.bavail * fs.bsize - FREE_SPACE_RESERVE);
}

/**
 * Verifies `archive` completely into staging copies, then replaces the data directory's catalog
 * and blobs with it. Refuses with `BACKUP_INVALID` (`details.reason`) and changes nothing when
 * the archive is incomplete, tampered, hostile, unsigned or signed by a key this installation
 * does not have (the last two unless `allowUnverified`); `CONFLICT` when a server holds the
 * directory.
 *
 * @example
 * ```ts
 * await restoreBackup({
 *   archive, dataDir, databaseUrl, uploadFolder,
 *   openStore: (root) => openBlobStore({ root }),
 *   keys: manifestKeys({ secretKey: process.env.SECRET_KEY }),
 * });
 * ```
 */
export async function restoreBackup(options: RestoreBackupOptions): Promise<RestoreResult> {
  // Refused before anything is read or locked: on PostgreSQL the catalog is pg_restore's.
  assertSnapshotSupported(options.databaseUrl, 'restore');
  const unlock = await lockDataDir(options.dataDir);
  try {
    await recoverRestore(options);
    const staging = stagingPaths(options);
    await mkdir(dirname(staging.catalog), { recursive: true, mode: PRIVATE_DIR_MODE });
    await mkdir(staging.blobs, { recursive: true, mode: PRIVATE_DIR_MODE });
    try {
      const result = await stage(options, staging);
      await swapIn(options);
      return result;
    } catch (error) {
      await rm(staging.catalog, { force: true });
      await rm(staging.blobs, { recursive: true, force: true });
      throw error;
    }
  } finally {
    await unlock();
  }
}

async function stage(
  options: RestoreBackupOptions,
  staging: { catalog: string; blobs: string },
): Promise<RestoreResult> {
  const limits = {
    maxEntries: options.limits?.maxEntries ?? 2_000_000,
    maxBytes: options.limits?.maxBytes ?? (await defaultMaxBytes(staging.blobs)),
    maxRatio: options.limits?.maxRatio ?? 200,
  };
  const store = await options.openStore(staging.blobs);
  const staged = new Map<string, ManifestObject>();
  let manifest: BackupManifest | undefined;
  let signature: SignatureCheck | undefined;
  let bytes = 0;
  await readArchive(
    options.archive,
    limits,
    async ({ name, size, stream }) => {
      if (manifest) throw backupInvalid('unexpected_entry', `Entry ${name} follows the manifest`, name);
      if (staged.has(name)) throw backupInvalid('unexpected_entry', `Entry ${name} appears twice`, name);
      if (name === MANIFEST_ENTRY) {
        if (size > MAX_MANIFEST_BYTES) throw backupInvalid('too_large', 'The manifest is too large', name);
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        manifest = parseManifest(Buffer.concat(chunks).toString('utf8'));
        signature = checkManifestSignature(manifest, options.keys, {
          allowUnverified: options.allowUnverified ?? false,
        });
        return;
      }
      const tap = new HashTap();
      if (name === CATALOG_ENTRY) {
        await pipeline(
          stream,
          tap,
          createWriteStream(staging.catalog, { mode: PRIVATE_FILE_MODE, flush: true }),
        );
      } else {
        stream.once('error', (error) => tap.destroy(error));
        await store.put(name.slice(BLOB_PREFIX.length), stream.pipe(tap));
      }
      staged.set(name, { path: name, size: tap.bytes, sha256: tap.digest() });
      bytes += tap.bytes;
      options.onProgress?.(bytes);
      crashPoint('mid-restore');
    },
    options.signal,
  );
  if (!manifest || !signature)
    throw backupInvalid('incomplete', 'The archive has no manifest: it was cut short or is not a backup');
  verifyAgainstManifest(manifest, staged);
  checkStagedCatalog(staging.catalog, manifest);
  return { objects: staged.size, bytes, createdAt: manifest.createdAt, signature };
}

function verifyAgainstManifest(manifest: BackupManifest, staged: Map<string, ManifestObject>): void {
  const listed = new Map(manifest.objects.map((o) => [o.path, o]));
  for (const [path, got] of staged) {
    const want = listed.get(path);
    if (!want) throw backupInvalid('unexpected_entry', `Entry ${path} is not in the manifest`, path);
    if (got.size !== want.size)
      throw backupInvalid(
        'size_mismatch',
        `Entry ${path} has ${got.size} bytes, the manifest says ${want.size}`,
        path,
      );
    if (got.sha256 !== want.sha256)
      throw backupInvalid(
        'checksum_mismatch',
        `Entry ${path} does not match its SHA-256 in the manifest`,
        path,
      );
  }
  for (const path of listed.keys()) {
    if (!staged.has(path))
      throw backupInvalid('missing_object', `The manifest lists ${path}, the archive lacks it`, path);
  }
}

function checkStagedCatalog(path: string, manifest: BackupManifest): void {
  try {
    checkCatalogSnapshot(path);
  } catch (error) {
    throw backupInvalid('catalog_damaged', (error as Error).message, CATALOG_ENTRY);
  }
  const present = new Set(manifest.objects.map((o) => o.path));
  const missing = new Set(manifest.missing);
  for (const blob of listSnapshotBlobs(path)) {
    if (!present.has(`${BLOB_PREFIX}${blob.key}`) && !missing.has(blob.key))
      throw backupInvalid(
        'missing_object',
        `The catalog references blob ${blob.key}, which the archive lacks`,
        blob.key,
      );
  }
}
