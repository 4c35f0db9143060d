/**
 * PostgreSQL catalog: the scaled-out engine (`DATABASE_URL=postgresql://…`).
 *
 * The same queries and migrations as the SQLite catalog (see `sql.ts`), over Kysely's
 * `PostgresDialect` and a `pg` pool. Where the engines differ it is in concurrency, not in
 * SQL: PostgreSQL runs transactions side by side, so the stores take row locks
 * (`FOR UPDATE`, `SKIP LOCKED` for job claims) where SQLite relies on its single writer.
 * Migrations at start-up are serialised across processes by an advisory lock (see
 * `migrate.ts`), so a server and its workers starting together migrate once.
 *
 * A lost or unreachable server never hangs a request: connecting gives up after
 * `connectionTimeoutMillis`, a query after `queryTimeoutMillis`, and either fails with
 * `CATALOG_UNAVAILABLE` (the server answers 503); the pool reconnects when the server is back.
 *
 * @module
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { Catalog } from './catalog.js';
import { createPostgresPool } from './postgres-pool.js';
import type { CatalogDatabase } from './schema.js';
import { createSqlCatalog, type SqlCatalogOptions } from './sql.js';

export { mapPostgresError } from './postgres-errors.js';

/** Options for {@link createPostgresCatalog}. */
export interface PostgresCatalogOptions extends Omit<SqlCatalogOptions, 'dialect'> {
  /**
   * `postgresql://user:password@host:5432/database` (or `postgres://`). Besides `pg`'s own
   * parameters (`sslmode`, `application_name`, …) it may carry FileForge's: `schema`,
   * `pool_max`, `connect_timeout` (seconds, as libpq reads it), `query_timeout` (ms) and
   * `prepared_statements` (`true`/`false`), which the options below override.
   */
  url: string;
  /**
   * The schema the catalog's tables live in (every connection's `search_path`); `migrate()`
   * creates it when missing. Lower-case letters, digits and `_`. Several FileForge
   * installations (or test runs) can share one database, each in its own schema.
   * @default the URL's `schema`, else the server's default search path (`public`)
   */
  schema?: string;
  /** Connections in the pool, per process. @default the URL's `pool_max`, else 10 */
  max?: number;
  /**
   * How long to wait for a connection (a new one, or a free one of the pool) before failing
   * with `CATALOG_UNAVAILABLE`. Shorter fails fast when the server is gone; longer rides out
   * a busy pool. @default the URL's `connect_timeout`, else 5000
   */
  connectionTimeoutMillis?: number;
  /**
   * How long a query may go unanswered before it fails with `CATALOG_UNAVAILABLE` and its
   * connection is dropped: what stops a silent network cut from hanging requests. Must exceed
   * the slowest legitimate statement (a migration on a large table).
   * @default the URL's `query_timeout`, else 60000
   */
  queryTimeoutMillis?: number;
  /**
   * Runs short parameterised statements as named prepared statements, so the server parses
   * and plans each once per connection instead of on every call. Turn off behind a
   * connection pooler in transaction mode that cannot keep prepared statements (PgBouncer
   * before 1.21, or without `max_prepared_statements`).
   * @default the URL's `prepared_statements`, else true
   */
  preparedStatements?: boolean;
  /** Idle connections close after this long. @default 30000 */
  idleTimeoutMillis?: number;
  /**
   * Every transaction read-only (`fileforge audit verify` next to a running server):
   * `migrate()` and every write fail. @default false
   */
  readOnly?: boolean;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The parts of a PostgreSQL `DATABASE_URL`: what `pg` reads, and FileForge's own parameters. */
export interface PostgresUrlParts {
  /** The URL without FileForge's parameters, for `pg`. */
  connectionString: string;
  schema?: string;
  max?: number;
  connectionTimeoutMillis?: number;
  queryTimeoutMillis?: number;
  preparedStatements?: boolean;
}

const invalid = (message: string, cause?: unknown) =>
  new FileForgeError(ErrorCode.INVALID_CONFIG, `[fileforge:catalog] ${message}`, {
    ...(cause ? { cause } : {}),
    details: { variable: 'DATABASE_URL' },
  });

function positive(value: string | null, name: string, scale = 1): number | undefined {
  if (value === null) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw invalid(`DATABASE_URL parameter "${name}" must be a positive number`);
  return Math.round(n * scale);
}

function flag(value: string | null, name: string): boolean | undefined {
  if (value === null) return undefined;
  if (/^(true|on|1)$/i.test(value)) return true;
  if (/^(false|off|0)$/i.test(value)) return false;
  throw invalid(`DATABASE_URL parameter "${name}" must be true or false`);
}

/** Splits a `postgresql://` URL into what `pg` reads and FileForge's own parameters. */
export function parsePostgresUrl(url: string): PostgresUrlParts {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw invalid('DATABASE_URL is not a valid postgresql:// URL', error);
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw invalid('DATABASE_URL must start with postgresql://');
  const take = (name: string) => {
    const value = parsed.searchParams.get(name);
    parsed.searchParams.delete(name);
    return value;
  };
  const schema = take('schema') ?? undefined;
  const max = positive(take('pool_max'), 'pool_max');
  const connectionTimeoutMillis = positive(take('connect_timeout'), 'connect_timeout', 1000);
  const queryTimeoutMillis = positive(take('query_timeout'), 'query_timeout');
  const preparedStatements = flag(take('prepared_statements'), 'prepared_statements');
  return {
    connectionString: parsed.toString(),
    ...(schema !== undefined ? { schema } : {}),
    ...(max !== undefined ? { max } : {}),
    ...(connectionTimeoutMillis !== undefined ? { connectionTimeoutMillis } : {}),
    ...(queryTimeoutMillis !== undefined ? { queryTimeoutMillis } : {}),
    ...(preparedStatements !== undefined ? { preparedStatements } : {}),
  };
}

/**
 * Creates the PostgreSQL {@link Catalog} (`pg` pool, loaded only now). Nothing connects until
 * the first query; call `migrate()` before use.
 *
 * @example
 * ```ts
 * const catalog = createPostgresCatalog({ url: 'postgresql://fileforge@db:5432/fileforge' });
 * await catalog.migrate();
 * ```
 */
export function createPostgresCatalog(options: PostgresCatalogOptions): Catalog {
  if (!options?.url) throw invalid('Missing required option "url"');
  const fromUrl = parsePostgresUrl(options.url);
  const schema = options.schema ?? fromUrl.schema;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw invalid(`Schema "${schema}" is not a plain lower-case name (letters, digits, _)`);
  }
  const pool = createPostgresPool({
    connectionString: fromUrl.connectionString,
    schema,
    readOnly: options.readOnly,
    max: options.max ?? fromUrl.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? fromUrl.connectionTimeoutMillis ?? 5000,
    queryTimeoutMillis: options.queryTimeoutMillis ?? fromUrl.queryTimeoutMillis ?? 60_000,
    idleTimeoutMillis: options.idleTimeoutMillis ?? 30_000,
    preparedStatements: options.preparedStatements ?? fromUrl.preparedStatements ?? true,
  });
  // Faults are mapped where pg is called (createPostgresPool), so every query is covered:
  // the stores', transactions' and those run through Catalog.db().
  const db = new Kysely<CatalogDatabase>({ dialect: new PostgresDialect({ pool }) });
  const catalog = createSqlCatalog(db, { ...options, dialect: 'postgres' });
  return {
    ...catalog,
    async migrate() {
      if (schema !== undefined && !options.readOnly) await ensureSchema(db, schema);
      return catalog.migrate();
    },
    connections() {
      const { total, idle, waiting } = pool.stats();
      return { active: total - idle, idle, waiting };
    },
  };
}

/** Creates the catalog's schema if it is missing (two processes may race: both succeed). */
async function ensureSchema(db: Kysely<CatalogDatabase>, schema: string): Promise<void> {
  const exists = async () =>
    (await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(db)).rows.length > 0;
  if (await exists()) return;
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    if (!(await exists())) throw error;
  }
}
