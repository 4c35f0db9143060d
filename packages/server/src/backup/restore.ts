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
 * With blobs in a bucket there is no directory to swap: they are staged in its restore area
 * ({@link RestoreArea}, the bucket's reserved prefix) and copied over the live keys only after
 * everything verified, just before the catalog is swapped; a refusal removes what was staged.
 *
 * On PostgreSQL the archive's dump entries are staged as files, and only once everything is
 * verified are they loaded into a staging schema (core's `loadPostgresDump`: the migrations the
 * dump had, its rows, then the newer migrations), which is checked for blobs the archive lacks
 * and then swapped in. An archive of the other engine is refused (`engine_mismatch`).
 *
 * @module
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  type BlobStore,
  type CatalogEngine,
  catalogEngine,
  checkSnapshotMigrations,
  crashPoint,
  DUMP_TABLE_NAME,
  dropRestoreSchemas,
  ErrorCode,
  FileForgeError,
  listPostgresSchemaBlobs,
  listSnapshotBlobs,
  loadPostgresDump,
  lockDataDir,
  type MigrationModule,
  type PostgresDumpHeader,
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
  isPostgresCatalogEntry,
  MANIFEST_ENTRY,
  type ManifestObject,
  PG_HEADER_ENTRY,
  PG_TABLE_PREFIX,
  parseManifest,
  pgTableEntry,
} from './manifest.js';
import { checkManifestSignature, type ManifestKeys, type SignatureCheck } from './manifest-signature.js';
import { promoteAll, type RestoreArea } from './restore-area.js';
import { checkReferences, checkStagedCatalog, verifyAgainstManifest } from './restore-checks.js';
import { type RestoreTargets, recoverRestore, restoreCommitted, stagingPaths, swapIn } from './swap.js';

export type { RestoreArea } from './restore-area.js';

/** Options for {@link restoreBackup}. */
export interface RestoreBackupOptions extends RestoreTargets {
  /** The archive to restore. */
  archive: string;
  /**
   * Opens the blob store the staging blobs are written through (same engine and encryption as
   * the server's), at a directory swapped in for the live one once everything is verified.
   */
  openStore: (root: string) => Promise<BlobStore>;
  /**
   * For blobs in a bucket (S3), where no directory is swapped: the blobs are staged in this area
   * instead of `openStore`'s, and promoted into the live bucket only after every check passed.
   */
  restoreArea?: RestoreArea;
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
  /**
   * On PostgreSQL: every module that owns catalog tables, core first, in the order the server
   * migrates them (the staging schema is built with their migrations).
   */
  modules?: readonly MigrationModule[];
  /**
   * Runs with the data directory locked, before anything is staged (and after an interrupted
   * restore was finished): to read what the live data shows (the sorted tree's entries) or
   * finish what such a restore derived from it. Must not change the catalog or the blobs.
   * @default none
   */
  beforeRestore?: () => Promise<void>;
  /**
   * Runs with the data directory still locked, once the restored data is in place (to rebuild
   * what is derived from it). The restore is done: what it throws is ignored, so it reports its
   * own failures. @default none
   */
  afterRestore?: () => Promise<void>;
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
  /**
   * Blob keys the restored catalog references that the backup had no bytes for (lost before
   * it, deleted by another process while it ran, or unreadable then): `fileforge fsck --repair`
   * marks their files damaged.
   */
  missing: string[];
  /**
   * Blob keys whose bytes in the archive do not match the SHA-256 the restored catalog records
   * (damaged before the backup, which reported them too): restored as they were archived;
   * `fileforge fsck` reports them.
   */
  damaged: string[];
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
  const engine = catalogEngine(options.databaseUrl);
  const unlock = await lockDataDir(options.dataDir);
  try {
    await recoverRestore(options);
    await options.beforeRestore?.();
    const staging = stagingPaths(options);
    await mkdir(engine === 'postgresql' ? staging.catalog : dirname(staging.catalog), {
      recursive: true,
      mode: PRIVATE_DIR_MODE,
    });
    await mkdir(staging.blobs, { recursive: true, mode: PRIVATE_DIR_MODE });
    const area = options.restoreArea;
    // What an interrupted restore staged there: never promoted (that follows verification).
    await area?.clear();
    let restored: RestoreResult;
    try {
      const { result, blobs } = await stage(options, staging, engine);
      crashPoint('mid-restore', 'catalog-loaded');
      // Before the catalog that references them: a crash in between leaves the old catalog,
      // whose blobs are all still there (a blob's key always holds the same bytes).
      if (area) await promoteAll(area, blobs);
      await swapIn(options);
      crashPoint('mid-restore', 'swapped');
      restored = result;
    } catch (error) {
      // Committed (the journal is written): the staging copies are the data now, and the next
      // `fileforge restore` or `serve` finishes the swap from them. Never removed here.
      if (await restoreCommitted(options)) {
        throw new FileForgeError(
          ErrorCode.STORAGE_UNAVAILABLE,
          `[fileforge:backup] The restore is committed but could not finish (${error instanceof Error ? error.message : String(error)}): fix the cause, then run fileforge restore or fileforge serve again to finish it`,
          { cause: error, details: { reason: 'restore_unfinished' } },
        );
      }
      await area?.clear().catch(() => {});
      await rm(staging.catalog, { recursive: true, force: true });
      await rm(staging.blobs, { recursive: true, force: true });
      if (engine === 'postgresql') await dropRestoreSchemas(options.databaseUrl, ['staging']).catch(() => {});
      throw error;
    }
    await options.afterRestore?.().catch(() => {});
    return restored;
  } finally {
    await unlock();
  }
}

const otherEngine = (engine: CatalogEngine, found: CatalogEngine, entry?: string) =>
  backupInvalid(
    'engine_mismatch',
    `The archive holds a ${found === 'sqlite' ? 'SQLite' : 'PostgreSQL'} catalog and DATABASE_URL selects ${
      engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'
    }: restore it into a ${found === 'sqlite' ? 'SQLite' : 'PostgreSQL'} catalog (a restore does not convert between engines)`,
    entry,
  );

/** Where a PostgreSQL dump entry is staged (its name was checked against the known entry names). */
const stagedDumpFile = (dir: string, entry: string) =>
  join(dir, entry === PG_HEADER_ENTRY ? 'postgresql.json' : entry.slice(PG_TABLE_PREFIX.length));

async function stage(
  options: RestoreBackupOptions,
  staging: { catalog: string; blobs: string },
  engine: CatalogEngine,
): Promise<{ result: RestoreResult; blobs: string[] }> {
  const limits = {
    maxEntries: options.limits?.maxEntries ?? 2_000_000,
    maxBytes: options.limits?.maxBytes ?? (await defaultMaxBytes(staging.blobs)),
    maxRatio: options.limits?.maxRatio ?? 200,
  };
  const store = await (options.restoreArea?.open() ?? options.openStore(staging.blobs));
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
      if (name === CATALOG_ENTRY && engine !== 'sqlite') throw otherEngine(engine, 'sqlite', name);
      if (isPostgresCatalogEntry(name) && engine !== 'postgresql')
        throw otherEngine(engine, 'postgresql', name);
      if (name === CATALOG_ENTRY || isPostgresCatalogEntry(name)) {
        await pipeline(
          stream,
          tap,
          createWriteStream(
            name === CATALOG_ENTRY ? staging.catalog : stagedDumpFile(staging.catalog, name),
            {
              mode: PRIVATE_FILE_MODE,
              flush: true,
            },
          ),
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
  if (manifest.catalog !== engine) throw otherEngine(engine, manifest.catalog);
  verifyAgainstManifest(manifest, staged);
  // Their entries hold zeros past the failed read, not the files: left missing.
  let dropped = 0;
  for (const key of manifest.unreadable ?? []) {
    if (!staged.has(`${BLOB_PREFIX}${key}`)) continue;
    await store.delete(key);
    dropped++;
  }
  let damaged: string[] = [];
  if (engine === 'postgresql') damaged = await loadStagedDump(options, staging.catalog, manifest, staged);
  else {
    const catalog = checkStagedCatalog(staging.catalog);
    // As on PostgreSQL: a catalog of a newer FileForge would leave this one unable to start.
    if (options.modules) checkSnapshotMigrations(catalog, options.modules);
    damaged = await checkReferences(listSnapshotBlobs(catalog), manifest, staged);
  }
  const unreadable = new Set(manifest.unreadable);
  const blobs = [...staged.keys()]
    .filter((name) => name.startsWith(BLOB_PREFIX))
    .map((name) => name.slice(BLOB_PREFIX.length))
    .filter((key) => !unreadable.has(key));
  return {
    result: {
      objects: staged.size - dropped,
      bytes,
      createdAt: manifest.createdAt,
      signature,
      missing: [...manifest.missing, ...unreadable],
      damaged,
    },
    blobs,
  };
}

/** Reads a staged dump's header; refuses one that does not match its staged table entries. */
async function readDumpHeader(dir: string, manifest: BackupManifest): Promise<PostgresDumpHeader> {
  let header: PostgresDumpHeader;
  try {
    header = JSON.parse(await readFile(stagedDumpFile(dir, PG_HEADER_ENTRY), 'utf8')) as PostgresDumpHeader;
  } catch {
    throw backupInvalid('catalog_damaged', 'The catalog dump header is not valid JSON', PG_HEADER_ENTRY);
  }
  const tables = Array.isArray(header?.tables) ? header.tables : [];
  const listed = new Set(manifest.objects.map((o) => o.path).filter((p) => p.startsWith(PG_TABLE_PREFIX)));
  const sound =
    header?.format === 'fileforge-postgresql-dump' &&
    header.version === 1 &&
    tables.length === listed.size &&
    tables.every(
      (t) =>
        typeof t?.name === 'string' &&
        DUMP_TABLE_NAME.test(t.name) &&
        listed.has(pgTableEntry(t.name)) &&
        Number.isSafeInteger(t.rows) &&
        Array.isArray(t.columns) &&
        t.columns.length > 0 &&
        t.columns.every((c) => typeof c?.name === 'string' && typeof c.type === 'string'),
    );
  if (!sound)
    throw backupInvalid(
      'catalog_damaged',
      'The catalog dump header does not describe the dump the archive holds',
      PG_HEADER_ENTRY,
    );
  return header;
}

/** Loads a verified dump into the staging schema and checks what its catalog references. */
async function loadStagedDump(
  options: RestoreBackupOptions,
  dir: string,
  manifest: BackupManifest,
  staged: ReadonlyMap<string, ManifestObject>,
): Promise<string[]> {
  if (!options.modules) throw new Error('restoreBackup on PostgreSQL needs the catalog modules');
  const header = await readDumpHeader(dir, manifest);
  const staging = await loadPostgresDump({
    url: options.databaseUrl,
    modules: options.modules,
    dump: { header, rowsFile: (table) => stagedDumpFile(dir, pgTableEntry(table)) },
  });
  return checkReferences(listPostgresSchemaBlobs(options.databaseUrl, staging), manifest, staged);
}
