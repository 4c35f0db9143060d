import type * as Pg from 'pg';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { parsePostgresUrl } from './postgres.js';
import { loadPgDriver } from './postgres-pool.js';
import type { SnapshotBlob } from './snapshot.js';

/** One table of a dump: its columns (name and SQL type) in order, and how many rows it had. */
export interface PostgresDumpTable {
  name: string;
  columns: Array<{ name: string; type: string }>;
  rows: number;
}

/** What a dump records besides the rows: the catalog's schema name, server version and tables. */
export interface PostgresDumpHeader {
  format: 'fileforge-postgresql-dump';
  version: 1;
  /** The schema the catalog lived in when the dump was taken. */
  schema: string;
  /** `server_version` of the PostgreSQL that was read. */
  serverVersion: string;
  tables: PostgresDumpTable[];
}

/** One consistent, read-only view of a PostgreSQL catalog (see {@link openPostgresSnapshot}). */
export interface PostgresSnapshot {
  /** The catalog's schema. */
  schema: string;
  serverVersion: string;
  /** Every table of the schema, its columns in order (`rows` is 0 until read). */
  tables: PostgresDumpTable[];
  /** The rows of `table` as arrays of text values (or null), in batches. */
  rows(table: PostgresDumpTable, batchSize?: number): AsyncGenerator<Array<Array<string | null>>>;
  /** How many distinct blobs the snapshot's files and derivatives reference. */
  blobCount(): Promise<number>;
  /** Those blobs, in key order, with the size and SHA-256 the catalog recorded. */
  blobs(batchSize?: number): AsyncGenerator<SnapshotBlob>;
  /** Ends the transaction and the connection. */
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Table names a dump may carry (they become archive entry names). */
export const DUMP_TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Session settings that make text output exact and the same wherever it is read back. */
const SESSION = [
  "SET TimeZone = 'UTC'",
  "SET DateStyle = 'ISO, YMD'",
  "SET IntervalStyle = 'postgres'",
  'SET extra_float_digits = 3',
  "SET bytea_output = 'hex'",
];

export function unavailable(message: string, cause: unknown): FileForgeError {
  return new FileForgeError(
    ErrorCode.CATALOG_UNAVAILABLE,
    `[fileforge:catalog] ${message}: ${(cause as Error)?.message ?? String(cause)}`,
    { cause },
  );
}

/**
 * A connection on `url` whose values all read back as PostgreSQL's text output (no parsing), and
 * the catalog's schema: the URL's `schema`, else the connection's current schema.
 */
export async function connect(
  url: string,
  schemaOverride?: string,
): Promise<{ client: Pg.Client; schema: string }> {
  const parts = parsePostgresUrl(url);
  const pg = loadPgDriver();
  const client = new pg.Client({
    connectionString: parts.connectionString,
    ...(parts.connectionTimeoutMillis ? { connectionTimeoutMillis: parts.connectionTimeoutMillis } : {}),
    types: { getTypeParser: (() => (value: string) => value) as unknown as typeof pg.types.getTypeParser },
  });
  client.on('error', () => {});
  try {
    await client.connect();
    for (const statement of SESSION) await client.query(statement);
    let schema = schemaOverride ?? parts.schema;
    if (schema === undefined) {
      const { rows } = await client.query<{ schema: string | null }>('select current_schema() as schema');
      schema = rows[0]?.schema ?? 'public';
    }
    if (!SCHEMA_NAME.test(schema)) {
      throw new FileForgeError(
        ErrorCode.INVALID_CONFIG,
        `[fileforge:catalog] Schema "${schema}" is not a plain lower-case name (letters, digits, _)`,
      );
    }
    return { client, schema };
  } catch (error) {
    await client.end().catch(() => {});
    if (FileForgeError.is(error)) throw error;
    throw unavailable('Cannot reach the PostgreSQL catalog', error);
  }
}

export async function tablesOf(client: Pg.Client, schema: string): Promise<PostgresDumpTable[]> {
  const { rows } = await client.query<{ table: string; column: string; type: string }>(
    `select c.relname as "table", a.attname as "column", format_type(a.atttypid, a.atttypmod) as "type"
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      where n.nspname = $1 and c.relkind in ('r', 'p')
      order by c.relname, a.attnum`,
    [schema],
  );
  const tables = new Map<string, PostgresDumpTable>();
  for (const row of rows) {
    let table = tables.get(row.table);
    if (!table) {
      table = { name: row.table, columns: [], rows: 0 };
      tables.set(row.table, table);
    }
    table.columns.push({ name: row.column, type: row.type });
  }
  return [...tables.values()];
}

export async function* cursor(
  client: Pg.Client,
  query: string,
  params: unknown[],
  batchSize: number,
): AsyncGenerator<Array<Array<string | null>>> {
  await client.query(`DECLARE fileforge_dump NO SCROLL CURSOR FOR ${query}`, params);
  try {
    for (;;) {
      const result = await client.query<Array<string | null>>({
        text: `FETCH FORWARD ${batchSize} FROM fileforge_dump`,
        rowMode: 'array',
      });
      if (result.rows.length === 0) return;
      yield result.rows;
    }
  } finally {
    await client.query('CLOSE fileforge_dump').catch(() => {});
  }
}

/**
 * Opens one consistent read-only snapshot of the PostgreSQL catalog `url` names: a
 * `REPEATABLE READ READ ONLY` transaction on a connection of its own, which servers writing at
 * the same time never wait for. Close it when done.
 *
 * @example
 * ```ts
 * const snapshot = await openPostgresSnapshot(process.env.DATABASE_URL);
 * try {
 *   for (const table of snapshot.tables) for await (const batch of snapshot.rows(table)) write(batch);
 * } finally {
 *   await snapshot.close();
 * }
 * ```
 */
export async function openPostgresSnapshot(url: string): Promise<PostgresSnapshot> {
  const { client, schema } = await connect(url);
  const run = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (FileForgeError.is(error)) throw error;
      throw unavailable(`Reading the PostgreSQL catalog (${what}) failed`, error);
    }
  };
  try {
    await run('begin', () => client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'));
    const serverVersion = (await client.query<{ v: string }>('show server_version')).rows[0]?.v ?? '';
    const tables = await run('tables', () => tablesOf(client, schema));
    if (!tables.some((t) => t.name === 'files')) {
      throw new FileForgeError(
        ErrorCode.CATALOG_UNAVAILABLE,
        `[fileforge:catalog] Schema "${schema}" holds no FileForge catalog: check DATABASE_URL (run fileforge migrate first)`,
      );
    }
    const has = (name: string) => tables.some((t) => t.name === name);
    const blobQuery = `select blob_key, min(size)::text, min(sha256) from (
        select blob_key, size, sha256 from ${quote(schema)}.files
        ${has('derivatives') ? `union all select blob_key, size, sha256 from ${quote(schema)}.derivatives` : ''}
      ) b group by blob_key order by blob_key`;
    return {
      schema,
      serverVersion,
      tables,
      async *rows(table, batchSize = 500) {
        const columns = table.columns.map((c) => quote(c.name)).join(', ');
        const batches = cursor(
          client,
          `select ${columns} from ${quote(schema)}.${quote(table.name)}`,
          [],
          batchSize,
        );
        for (;;) {
          const next = await run(table.name, () => batches.next());
          if (next.done) return;
          yield next.value;
        }
      },
      async blobCount() {
        const { rows } = await run('blobs', () =>
          client.query<{ n: string }>(`select count(*) as n from (${blobQuery}) k`),
        );
        return Number(rows[0]?.n ?? 0);
      },
      async *blobs(batchSize = 1000) {
        const batches = cursor(client, blobQuery, [], batchSize);
        for (;;) {
          const next = await run('blobs', () => batches.next());
          if (next.done) return;
          for (const [key, size, sha256] of next.value)
            yield { key: key as string, size: Number(size), sha256: sha256 as string };
        }
      },
      async close() {
        await client.query('COMMIT').catch(() => {});
        await client.end().catch(() => {});
      },
    };
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}
