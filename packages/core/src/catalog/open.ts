import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { Catalog } from './catalog.js';
import type { MigrationModule } from './migrate.js';

/** Options for {@link openCatalog}. */
export interface OpenCatalogOptions {
  /** Clock for `updated_at`. @default () => new Date() */
  now?: () => Date;
  /** Migrations of modules besides core. @default none */
  migrations?: readonly MigrationModule[];
  /**
   * Open an existing catalog read-only, for commands that only read (`fileforge audit
   * verify`) and so may run next to a server; `migrate()` and every write then fail.
   * @default false
   */
  readOnly?: boolean;
}

/** The catalog engines FileForge knows, by URL scheme. */
export type CatalogEngine = 'sqlite' | 'postgresql';

/**
 * Which engine a `DATABASE_URL` selects: `sqlite:<path>` (or `file:<path>`) the embedded
 * SQLite catalog, `postgresql://…` (or `postgres://…`) PostgreSQL. Anything else is refused
 * here, before anything touches the disk, with the same message for every entry point.
 */
export function catalogEngine(url: string): CatalogEngine {
  if (/^(sqlite|file):/.test(url)) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  const scheme = url.split(':')[0];
  throw new FileForgeError(
    ErrorCode.INVALID_CONFIG,
    `[fileforge:catalog] DATABASE_URL scheme "${scheme}:" is not a catalog FileForge knows; use sqlite:<path> or postgresql://user@host/database`,
    { details: { variable: 'DATABASE_URL' } },
  );
}

/**
 * Opens the catalog a URL names (`sqlite:<path>`, `postgresql://…`), loading its driver only
 * now (better-sqlite3 or pg). Call `migrate()` before use.
 *
 * @example
 * ```ts
 * const catalog = await openCatalog('sqlite:./data/fileforge.db');
 * await catalog.migrate();
 * ```
 */
export async function openCatalog(url: string, options: OpenCatalogOptions = {}): Promise<Catalog> {
  if (catalogEngine(url) === 'postgresql') {
    const { createPostgresCatalog } = await import('./postgres.js');
    return createPostgresCatalog({ url, ...options });
  }
  const { createSqliteCatalog, sqlitePathFromUrl } = await import('./sqlite.js');
  return createSqliteCatalog({ path: sqlitePathFromUrl(url), ...options });
}
