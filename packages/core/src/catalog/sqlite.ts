/**
 * SQLite catalog: the embedded default.
 *
 * WAL mode with `synchronous=NORMAL`: a committed transaction survives a process crash or
 * `kill -9` (SQLite guarantees this for WAL regardless of the synchronous setting); only a
 * power loss or kernel crash may roll back the last commits. Set `synchronous: 'FULL'` when
 * acknowledged uploads must survive power loss too.
 *
 * The log is copied back into the database (checkpointed) on a timer between queries, and by a
 * background thread on its own connection under a heavy write load, rather than inside the
 * commit that crosses SQLite's 1,000-page threshold (see `sqlite-checkpoint.ts`).
 *
 * @module
 */
import { chmodSync, closeSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteAdapter, type SqliteDatabase, SqliteDialect } from 'kysely';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { ensurePrivateDirSync, PRIVATE_FILE_MODE } from '../fs/private-dir.js';
import type { Catalog } from './catalog.js';
import { mapDialectErrors } from './map-errors.js';
import type { DirectExecutor } from './query-templates.js';
import type { CatalogDatabase } from './schema.js';
import { createSqlCatalog, type SqlCatalogOptions } from './sql.js';
import { scheduleWalCheckpoints } from './sqlite-checkpoint.js';
import { BoundLimitPlugin } from './sqlite-limit.js';
import { withStatementCache } from './statement-cache.js';

/** Options for {@link createSqliteCatalog}. */
export interface SqliteCatalogOptions extends SqlCatalogOptions {
  /** Database file, or `:memory:`. Its directory is created if missing. */
  path: string;
  /** `NORMAL` survives process crashes; `FULL` also survives power loss. @default 'NORMAL' */
  synchronous?: 'NORMAL' | 'FULL';
  /**
   * Open an existing database read-only (`fileforge audit verify` next to a running server):
   * nothing is created, no pragma is changed, and every write fails. @default false
   */
  readOnly?: boolean;
}

/**
 * Kysely's SQLite adapter says DDL is not transactional, so its migrator ran each statement of
 * a migration on its own: a process killed midway (the search index's backfill takes minutes
 * on a large catalog) left tables made and the migration unrecorded, and every later start
 * failed on "table already exists". SQLite's DDL is transactional: a module's pending
 * migrations now apply in one transaction, all or nothing, as on PostgreSQL.
 */
class TransactionalDdlAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class TransactionalDdlDialect extends SqliteDialect {
  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlAdapter();
  }
}

/**
 * Creates the SQLite {@link Catalog} (better-sqlite3, WAL). Call `migrate()` before use.
 *
 * @example
 * ```ts
 * const catalog = createSqliteCatalog({ path: './data/fileforge.db' });
 * await catalog.migrate();
 * ```
 */
export function createSqliteCatalog(options: SqliteCatalogOptions): Catalog {
  if (!options?.path)
    throw new FileForgeError(ErrorCode.INVALID_CONFIG, '[fileforge:catalog] Missing required option "path"');
  if (options.path !== ':memory:' && !options.readOnly) createPrivateDatabaseFile(options.path);
  const database = new (loadDriver())(
    options.path,
    options.readOnly ? { readonly: true, fileMustExist: true } : {},
  );
  if (!options.readOnly) {
    database.pragma('journal_mode = WAL');
    database.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    database.pragma('foreign_keys = ON');
  }
  database.pragma('busy_timeout = 5000');
  // Checkpoints run on a timer (on a thread under load), not inside the commit that fills the log.
  const checkpoints =
    options.path === ':memory:' || options.readOnly
      ? undefined
      : scheduleWalCheckpoints(database, { path: options.path });
  const statements = withStatementCache(database);
  const closeDatabase = () => {
    if (!database.open) return;
    checkpoints?.stop();
    statements.close();
  };
  const db = new Kysely<CatalogDatabase>({
    dialect: mapDialectErrors(
      new TransactionalDdlDialect({ database: { prepare: statements.prepare, close: closeDatabase } }),
      mapSqliteError,
    ),
    // `limit ?` would make SQLite prepare each statement again on every run (see sqlite-limit.ts).
    plugins: [new BoundLimitPlugin()],
  });
  const catalog = createSqlCatalog(db, options, directExecutor(database, statements));
  return {
    ...catalog,
    async close() {
      await catalog.close();
      // Kysely's driver closes the file only once it has run a query: a catalog opened and
      // closed unused (a start-up that failed) must not keep it, and its checkpoint timer, open.
      closeDatabase();
    },
  };
}

/**
 * Runs a compiled template as Kysely's SQLite driver would (same statements, same result),
 * without its connection lock and promises. Outside a transaction only while none is open
 * (one the catalog's lock holds may await between its statements; the query then waits
 * its turn through Kysely); inside one, only while it is open (a handle used after its
 * transaction ended goes through Kysely, which refuses it).
 */
function directExecutor(database: BetterSqlite3.Database, statements: SqliteDatabase) {
  return (inTransaction: boolean): DirectExecutor =>
    (sql, parameters) => {
      if (database.inTransaction !== inTransaction) return undefined;
      try {
        const statement = statements.prepare(sql);
        if (statement.reader) return { rows: statement.all(parameters) };
        const { changes, lastInsertRowid } = statement.run(parameters);
        return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
      } catch (error) {
        // As the dialect maps what goes through Kysely (see mapDialectErrors).
        throw mapSqliteError(error) ?? error;
      }
    };
}

/** Extracts the file path from a `sqlite:<path>` or `file:<path>` URL. */
export function sqlitePathFromUrl(url: string): string {
  return url.replace(/^(sqlite|file):(\/\/)?/, '');
}

/**
 * Creates the database file owner-only before SQLite opens it: SQLite gives the WAL and
 * shared-memory files the mode of the database file, so all three stay 0600 whatever the
 * umask. Files an earlier version left more open are narrowed (the catalog holds password
 * and token hashes).
 */
function createPrivateDatabaseFile(path: string): void {
  ensurePrivateDirSync(dirname(path));
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      chmodSync(file, PRIVATE_FILE_MODE);
    } catch {
      // Missing (no WAL yet) or not ours to change: SQLite reports real problems on open.
    }
  }
}

let driver: typeof BetterSqlite3 | undefined;

/**
 * better-sqlite3 is a native module: it is loaded when a SQLite catalog is first opened, never
 * by importing `@fileforge/core`, so installations on another engine never load it.
 */
function loadDriver(): typeof BetterSqlite3 {
  driver ??= createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  return driver;
}

/** SQLite's own faults, in FileForge's terms; anything else passes through. */
export function mapSqliteError(error: unknown): FileForgeError | undefined {
  const code = String((error as { code?: unknown })?.code ?? '');
  if (code === 'SQLITE_FULL') {
    return new FileForgeError(
      ErrorCode.INSUFFICIENT_STORAGE,
      '[fileforge:catalog] No space left for the catalog',
      {
        cause: error,
      },
    );
  }
  if (/^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|READONLY|CORRUPT|NOTADB)/.test(code)) {
    return new FileForgeError(
      ErrorCode.CATALOG_UNAVAILABLE,
      `[fileforge:catalog] Catalog unavailable (${code})`,
      {
        cause: error,
      },
    );
  }
  return undefined;
}
