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
export type CatalogEngine = 'sqlite';

/**
 * Which engine a `DATABASE_URL` selects. An engine this version cannot open is refused here,
 * before anything touches the disk, with the same message for every entry point.
 */
export function catalogEngine(url: string): CatalogEngine {
  if (/^(sqlite|file):/.test(url)) return 'sqlite';
  const scheme = url.split(':')[0];
  if (/^postgres(ql)?$/.test(scheme ?? '')) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:catalog] DATABASE_URL selects PostgreSQL, which this version of FileForge cannot open yet; unset DATABASE_URL to use the embedded SQLite catalog',
      { details: { variable: 'DATABASE_URL', engine: 'postgresql' } },
    );
  }
  throw new FileForgeError(
    ErrorCode.INVALID_CONFIG,
    `[fileforge:catalog] DATABASE_URL scheme "${scheme}:" is not a catalog FileForge knows; use sqlite:<path>`,
    { details: { variable: 'DATABASE_URL' } },
  );
}

/**
 * Opens the catalog a URL names (`sqlite:<path>`), loading its driver only now. Call
 * `migrate()` before use.
 *
 * @example
 * ```ts
 * const catalog = await openCatalog('sqlite:./data/fileforge.db');
 * await catalog.migrate();
 * ```
 */
export async function openCatalog(url: string, options: OpenCatalogOptions = {}): Promise<Catalog> {
  catalogEngine(url);
  const { createSqliteCatalog, sqlitePathFromUrl } = await import('./sqlite.js');
  return createSqliteCatalog({ path: sqlitePathFromUrl(url), ...options });
}
