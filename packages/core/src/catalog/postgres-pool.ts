/**
 * The `pg` connection pool as the PostgreSQL catalog hands it to Kysely.
 *
 * How this works: Kysely's `PostgresDialect` asks a pool for clients and runs each query on
 * one. This module puts a thin client in between, so that (1) every fault surfaces as a
 * FileForge error (`CATALOG_UNAVAILABLE`, `INSUFFICIENT_STORAGE`, `CONFLICT`), whichever
 * store or module ran the query — the sorter, the workflow engine and the integrations build
 * their stores on `catalog.db()` and never pass through the catalog's own wrappers; (2) a
 * client whose connection failed or whose query timed out is destroyed when released instead
 * of going back to the pool (after a read timeout `pg` keeps the connection, its answer
 * still owed); (3) a connection lost while no query runs on it can never crash the
 * process (`pg` emits `'error'` on the client, and the pool listens only while it is idle);
 * and (4) short parameterised statements run as named prepared statements (see
 * `prepared-statements.ts`), so PostgreSQL parses and plans each once per connection.
 *
 * @module
 */
import { createRequire } from 'node:module';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type * as Pg from 'pg';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { isConnectionFault, isStalePlan, mapPostgresError } from './postgres-errors.js';
import { createStatementNamer } from './prepared-statements.js';

/** What {@link createPostgresPool} needs. */
export interface PostgresPoolSettings {
  /** The connection URL, FileForge's own parameters already taken out. */
  connectionString: string;
  /** `search_path` of every connection, when set. */
  schema?: string | undefined;
  /** Every transaction read-only (`default_transaction_read_only`). */
  readOnly?: boolean | undefined;
  max: number;
  connectionTimeoutMillis: number;
  queryTimeoutMillis: number;
  idleTimeoutMillis: number;
  /** Short parameterised statements as named prepared statements (off behind a transaction-mode pooler that cannot keep them). */
  preparedStatements: boolean;
}

/** The pool Kysely uses, and the counters `/health/detailed` reports. */
export interface CatalogPool extends PostgresPool {
  stats(): { total: number; idle: number; waiting: number };
}

const INT8_OID = 20;
let driver: typeof Pg | undefined;

/**
 * `pg` is loaded when a PostgreSQL catalog is first opened, never by importing
 * `@fileforge/core`, so embedded installations never load it.
 */
export function loadPgDriver(): typeof Pg {
  if (!driver) {
    try {
      driver = createRequire(import.meta.url)('pg') as typeof Pg;
    } catch (error) {
      throw new FileForgeError(
        ErrorCode.INVALID_CONFIG,
        '[fileforge:catalog] DATABASE_URL selects PostgreSQL, but the "pg" driver is not installed: npm i pg',
        { cause: error },
      );
    }
  }
  return driver;
}

/** Creates the pool (no connection is made until the first query). */
export function createPostgresPool(settings: PostgresPoolSettings): CatalogPool {
  const pg = loadPgDriver();
  const startup = [
    // The schema name was checked (lower-case letters, digits, `_`): nothing to quote.
    ...(settings.schema ? [`-c search_path=${settings.schema}`] : []),
    ...(settings.readOnly ? ['-c default_transaction_read_only=on'] : []),
  ];
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    max: settings.max,
    connectionTimeoutMillis: settings.connectionTimeoutMillis,
    idleTimeoutMillis: settings.idleTimeoutMillis,
    query_timeout: settings.queryTimeoutMillis,
    keepAlive: true,
    ...(startup.length > 0 ? { options: startup.join(' ') } : {}),
    // Counts and bigint columns read back as numbers, as on SQLite (sizes stay far below 2^53).
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID && format !== 'binary'
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client whose connection drops is removed by the pool; nothing to do but not crash.
  pool.on('error', () => {});
  // A checked-out client that loses its connection fails its query (which is mapped); the
  // 'error' it also emits must not go unheard while the pool is not listening.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });

  const namer = settings.preparedStatements ? createStatementNamer() : undefined;
  return {
    async connect() {
      let client: Pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw mapPostgresError(error) ?? error;
      }
      let broken = false;
      const wrapped = {
        async query(text: string, parameters: readonly unknown[]) {
          const name = namer?.nameFor(client, text, parameters.length);
          try {
            return await (name === undefined
              ? client.query(text, parameters as unknown[])
              : client.query({ name, text, values: parameters as unknown[] }));
          } catch (error) {
            // A statement prepared before a table changed shape fails on this connection
            // from now on: a fresh connection prepares it again.
            if (isConnectionFault(error) || isStalePlan(error)) broken = true;
            throw mapPostgresError(error) ?? error;
          }
        },
        release(destroy?: boolean) {
          client.release(destroy || broken ? true : undefined);
        },
      };
      return wrapped as unknown as PostgresPoolClient;
    },
    end: () => pool.end(),
    stats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}
