/**
 * Consistent copies of the catalog for backups, and what a copy references.
 *
 * How this works: SQLite's online backup API copies the database page by page through a
 * separate read-only connection, restarting a step when a writer changes a page it already
 * copied, so the copy is one committed state even while a server writes — without the
 * data-directory lock and without writing to the live database. The copy is an ordinary
 * SQLite file that {@link listSnapshotBlobs} and {@link checkCatalogSnapshot} read.
 * A PostgreSQL catalog is refused ({@link assertSnapshotSupported}): it is backed up with
 * PostgreSQL's own tools (`pg_dump`, base backups), which FileForge does not replace.
 *
 * @module
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { MigrationModule } from './migrate.js';
import { catalogEngine } from './open.js';
import { migrationModuleOf, modulesAsDumped } from './postgres-restore.js';
import { sqlitePathFromUrl } from './sqlite.js';

/** A blob a catalog snapshot references: an original or a derivative. */
export interface SnapshotBlob {
  key: string;
  /** Plaintext size the catalog records. */
  size: number;
  /** Lower-case hex SHA-256 of the plaintext the catalog records. */
  sha256: string;
}

/** Options for {@link snapshotCatalog}. */
export interface SnapshotCatalogOptions {
  /** Stops between backup steps; the partial copy is the caller's to remove. */
  signal?: AbortSignal;
  /** Called with the fraction of pages copied (0..1) after each step. */
  onProgress?: (fraction: number) => void;
}

/**
 * Refuses, with `INVALID_CONFIG`, a catalog that `fileforge backup`/`restore` cannot copy:
 * they snapshot and swap the embedded SQLite file. On PostgreSQL the catalog is backed up with
 * `pg_dump` (or the server's base backups) and the blobs with the storage's own tools.
 */
export function assertSnapshotSupported(url: string, command: 'backup' | 'restore'): void {
  if (catalogEngine(url) === 'sqlite') return;
  throw new FileForgeError(
    ErrorCode.INVALID_CONFIG,
    `[fileforge:catalog] fileforge ${command} works on the embedded SQLite catalog only; DATABASE_URL selects PostgreSQL: ${
      command === 'backup'
        ? 'back up the catalog with pg_dump'
        : 'restore the catalog with pg_restore (or psql)'
    } and the blobs with your storage's tools (see docs/operations.md)`,
    { details: { variable: 'DATABASE_URL', engine: 'postgresql' } },
  );
}

const driver = () => createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;

/**
 * Copies the catalog `url` names into the new file `destination` as one consistent state,
 * while other processes keep writing. Reads only: no lock, nothing written to the live files.
 *
 * @example
 * ```ts
 * await snapshotCatalog('sqlite:./data/fileforge.db', '/backups/catalog.db');
 * ```
 */
export async function snapshotCatalog(
  url: string,
  destination: string,
  options: SnapshotCatalogOptions = {},
): Promise<void> {
  assertSnapshotSupported(url, 'backup');
  const path = sqlitePathFromUrl(url);
  let source: BetterSqlite3.Database;
  try {
    source = new (driver())(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new FileForgeError(
      ErrorCode.CATALOG_UNAVAILABLE,
      `[fileforge:catalog] No catalog to back up at ${path}: check DATA_DIR / DATABASE_URL`,
      { cause: error },
    );
  }
  // Pages copied per step (the event loop runs between steps). A write to the catalog between
  // two steps restarts SQLite's copy from the first page, so under steady writes a fixed step
  // never finishes: each restart doubles the step, until the copy fits in one.
  let step = 1024;
  let left = Number.POSITIVE_INFINITY;
  try {
    await source.backup(destination, {
      progress: ({ totalPages, remainingPages }) => {
        // Returning 0 would only pause the copy: throwing ends it (and rejects the backup).
        options.signal?.throwIfAborted();
        if (remainingPages >= left) step = Math.min(step * 2, 0x7fffffff);
        left = remainingPages;
        options.onProgress?.(totalPages === 0 ? 1 : 1 - remainingPages / totalPages);
        return step;
      },
    });
    options.signal?.throwIfAborted();
  } finally {
    source.close();
  }
  // A self-contained file: no -wal/-shm beside the copy, whoever opens it later (the catalog
  // switches a restored copy back to WAL when it opens it).
  const copy = new (driver())(destination, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

function openSnapshot(path: string): BetterSqlite3.Database {
  return new (driver())(path, { readonly: true, fileMustExist: true });
}

/**
 * Every distinct blob a snapshot's records reference (originals and derivatives), with the
 * size and SHA-256 the catalog recorded, streamed in key order (memory stays flat).
 */
export function* listSnapshotBlobs(path: string): Generator<SnapshotBlob> {
  const db = openSnapshot(path);
  try {
    const rows = db
      .prepare(
        `select blob_key as key, min(size) as size, min(sha256) as sha256 from (
           select blob_key, size, sha256 from files
           union all select blob_key, size, sha256 from derivatives
         ) group by blob_key order by blob_key`,
      )
      .iterate() as IterableIterator<SnapshotBlob>;
    for (const row of rows) yield row;
  } finally {
    db.close();
  }
}

/**
 * Checks that a snapshot file is a sound catalog (`PRAGMA integrity_check`); throws
 * `CATALOG_UNAVAILABLE` naming the first problem otherwise.
 */
export function checkCatalogSnapshot(path: string): void {
  let db: BetterSqlite3.Database | undefined;
  try {
    db = openSnapshot(path);
    const result = db.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(String(result));
  } catch (error) {
    throw new FileForgeError(
      ErrorCode.CATALOG_UNAVAILABLE,
      `[fileforge:catalog] The catalog copy ${path} is not a sound SQLite catalog: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    db?.close();
  }
}

/**
 * Refuses (`BACKUP_INVALID`, reason `newer_version`) a snapshot whose catalog has a migration
 * module or a migration `modules` do not know, in the order they apply: it was made by a newer
 * FileForge, and restored it would stop this one from starting ("corrupted migrations").
 */
export function checkSnapshotMigrations(path: string, modules: readonly MigrationModule[]): void {
  const db = openSnapshot(path);
  try {
    const applied = new Map<string, string[]>();
    const tables = db
      .prepare("select name from sqlite_master where type = 'table'")
      .pluck()
      .all() as string[];
    for (const table of tables) {
      const module = migrationModuleOf(table);
      if (!module) continue;
      const names = db
        .prepare(`select name from "${table.replaceAll('"', '""')}"`)
        .pluck()
        .all() as string[];
      applied.set(module, names.map(String).sort());
    }
    modulesAsDumped(modules, applied);
  } finally {
    db.close();
  }
}
