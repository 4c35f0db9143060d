/**
 * Restores of a PostgreSQL catalog dump (see `postgres-backup.ts` for the dump and how the two
 * fit): load into a staging schema, swap it with the live one in one transaction, clean up.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Kysely, PostgresDialect } from 'kysely';
import type * as Pg from 'pg';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { type MigrationModule, runMigrations } from './migrate.js';
import { parsePostgresUrl } from './postgres.js';
import {
  connect,
  cursor,
  type PostgresDumpHeader,
  type PostgresDumpTable,
  quote,
  tablesOf,
  unavailable,
} from './postgres-backup.js';
import { loadPgDriver } from './postgres-pool.js';
import type { SnapshotBlob } from './snapshot.js';

/** The staging and old schema names a restore of the live schema `live` uses. */
export function restoreSchemaNames(live: string): { staging: string; old: string } {
  const base = live.slice(0, 48);
  return { staging: `${base}_restoring`, old: `${base}_restore_old` };
}

/** The live schema a PostgreSQL `DATABASE_URL` names (its `schema`, else the current schema). */
export async function postgresLiveSchema(url: string): Promise<string> {
  const { client, schema } = await connect(url);
  await client.end().catch(() => {});
  return schema;
}

/** Where a dump's rows are read from during {@link loadPostgresDump}. */
export interface PostgresDumpSource {
  header: PostgresDumpHeader;
  /** Path of the file holding `table`'s rows: one JSON array of text values (or null) a line. */
  rowsFile(table: string): string;
}

/** Options for {@link loadPostgresDump}. */
export interface LoadPostgresDumpOptions {
  /** `DATABASE_URL` of the live catalog (the staging schema goes in the same database). */
  url: string;
  /** Every module that owns tables, core first, in the order the server migrates them. */
  modules: readonly MigrationModule[];
  dump: PostgresDumpSource;
  /** Called after each table is loaded. */
  onTable?: (table: string, rows: number) => void;
}

/** Bookkeeping tables of the migration runner (see `migrate.ts`): the module they belong to. */
export function migrationModuleOf(table: string): string | undefined {
  if (table === 'kysely_migration') return 'core';
  if (table === 'kysely_migration_lock') return '';
  if (/^fileforge_migration_.+_lock$/.test(table)) return '';
  const match = /^fileforge_migration_(.+)$/.exec(table);
  return match?.[1];
}

function invalidDump(reason: string, message: string): FileForgeError {
  return new FileForgeError(ErrorCode.BACKUP_INVALID, `[fileforge:restore] ${message}`, {
    details: { reason },
  });
}

async function readLines(path: string): Promise<AsyncIterable<string>> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  stream.on('error', () => {});
  return createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
}

/** The migration names of each module the dump had applied, read from its bookkeeping tables. */
async function appliedMigrations(dump: PostgresDumpSource): Promise<Map<string, string[]>> {
  const applied = new Map<string, string[]>();
  for (const table of dump.header.tables) {
    const module = migrationModuleOf(table.name);
    if (!module) continue;
    const nameAt = table.columns.findIndex((c) => c.name === 'name');
    if (nameAt < 0) throw invalidDump('catalog_damaged', `Table ${table.name} has no name column`);
    const names: string[] = [];
    for await (const line of await readLines(dump.rowsFile(table.name))) {
      if (line === '') continue;
      names.push(String((JSON.parse(line) as unknown[])[nameAt]));
    }
    applied.set(module, names.sort());
  }
  return applied;
}

/**
 * The modules cut to what the dump had applied. Refuses a dump with a migration (or a module)
 * this code does not know: it was made by a newer FileForge.
 */
export function modulesAsDumped(
  modules: readonly MigrationModule[],
  applied: Map<string, string[]>,
): MigrationModule[] {
  const known = new Set(modules.map((m) => m.name));
  for (const module of applied.keys()) {
    if (!known.has(module))
      throw invalidDump(
        'newer_version',
        `The archive's catalog has tables of module "${module}", which this FileForge does not have: restore it with the version that made it`,
      );
  }
  return modules.map((module) => {
    const names = Object.keys(module.migrations).sort();
    const done = applied.get(module.name) ?? [];
    done.forEach((name, i) => {
      if (names[i] !== name)
        throw invalidDump(
          'newer_version',
          `The archive's catalog has migration ${module.name}/${name}, which this FileForge does not have (or applies in another order): restore it with the version that made it`,
        );
    });
    return {
      name: module.name,
      migrations: Object.fromEntries(names.slice(0, done.length).map((n) => [n, module.migrations[n]!])),
    };
  });
}

/** Tables in an order where every table comes after the tables its foreign keys reference. */
async function loadOrder(client: Pg.Client, schema: string, tables: string[]): Promise<string[]> {
  const { rows } = await client.query<{ child: string; parent: string }>(
    `select c.relname as child, p.relname as parent
       from pg_constraint k
       join pg_class c on c.oid = k.conrelid
       join pg_class p on p.oid = k.confrelid
       join pg_namespace n on n.oid = c.relnamespace
      where k.contype = 'f' and n.nspname = $1 and c.oid <> p.oid`,
    [schema],
  );
  const parents = new Map<string, Set<string>>();
  for (const { child, parent } of rows) {
    if (!parents.has(child)) parents.set(child, new Set());
    parents.get(child)!.add(parent);
  }
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visit = (table: string, path: Set<string>) => {
    if (placed.has(table) || path.has(table)) return;
    path.add(table);
    for (const parent of parents.get(table) ?? []) if (tables.includes(parent)) visit(parent, path);
    path.delete(table);
    placed.add(table);
    ordered.push(table);
  };
  for (const table of [...tables].sort()) visit(table, new Set());
  return ordered;
}

async function dropSchema(client: Pg.Client, schema: string): Promise<void> {
  await client.query(`drop schema if exists ${quote(schema)} cascade`);
}

/**
 * Loads a dump into a fresh staging schema beside the live one (dropping any leftover of an
 * earlier attempt): migrations as the dump had them, every row, sequences past their highest
 * value, then the newer migrations. Returns the staging schema's name; the live schema is not
 * touched. `BACKUP_INVALID` when the dump does not fit this code's migrations or tables.
 */
export async function loadPostgresDump(options: LoadPostgresDumpOptions): Promise<string> {
  const { client, schema: live } = await connect(options.url);
  const { staging } = restoreSchemaNames(live);
  const { header } = options.dump;
  try {
    const applied = await appliedMigrations(options.dump);
    const asDumped = modulesAsDumped(options.modules, applied);
    await dropSchema(client, staging);
    await client.query(`create schema ${quote(staging)}`);
    await migrateSchema(options.url, staging, asDumped);

    const dumped = header.tables.filter((t) => migrationModuleOf(t.name) === undefined);
    const target = new Map((await tablesOf(client, staging)).map((t) => [t.name, t]));
    for (const table of dumped) {
      const columns = target.get(table.name)?.columns.map((c) => c.name);
      if (!columns)
        throw invalidDump(
          'catalog_mismatch',
          `The archive's table ${table.name} does not exist in a catalog at its migrations`,
        );
      const extra = table.columns.find((c) => !columns.includes(c.name));
      if (extra)
        throw invalidDump(
          'catalog_mismatch',
          `The archive's column ${table.name}.${extra.name} does not exist in a catalog at its migrations`,
        );
    }
    const order = await loadOrder(
      client,
      staging,
      dumped.map((t) => t.name),
    );
    await client.query('BEGIN');
    await client.query(`SET LOCAL search_path = ${quote(staging)}`);
    for (const name of order) {
      const table = dumped.find((t) => t.name === name)!;
      const qualified = `${quote(staging)}.${quote(name)}`;
      // A copy, not new events: the schema's own triggers (audit guards, notifications) pause.
      await client.query(`ALTER TABLE ${qualified} DISABLE TRIGGER USER`);
      // Whatever a migration seeded is replaced by the archive's rows.
      await client.query(`DELETE FROM ${qualified}`);
      const rows = await insertRows(client, qualified, table, options.dump.rowsFile(name));
      await client.query(`ALTER TABLE ${qualified} ENABLE TRIGGER USER`);
      if (rows !== table.rows)
        throw invalidDump(
          'catalog_damaged',
          `The archive's table ${name} has ${rows} rows, its header says ${table.rows}`,
        );
      options.onTable?.(name, rows);
    }
    await resetSequences(client, staging);
    await client.query('COMMIT');
    await migrateSchema(options.url, staging, options.modules);
    return staging;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    await dropSchema(client, staging).catch(() => {});
    if (FileForgeError.is(error)) throw error;
    throw invalidDump('catalog_damaged', `Loading the archive's catalog failed: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

async function insertRows(
  client: Pg.Client,
  qualified: string,
  table: PostgresDumpTable,
  path: string,
): Promise<number> {
  const width = table.columns.length;
  const batchRows = Math.max(1, Math.floor(2000 / Math.max(1, width)));
  const columns = table.columns.map((c) => quote(c.name)).join(', ');
  let batch: Array<string | null> = [];
  let count = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch.length / width;
    const tuples = Array.from(
      { length: rows },
      (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`,
    );
    // Untyped text parameters: each is read by its column's own input function, like COPY.
    await client.query(
      `INSERT INTO ${qualified} (${columns}) OVERRIDING SYSTEM VALUE VALUES ${tuples.join(', ')}`,
      batch,
    );
    batch = [];
  };
  for await (const line of await readLines(path)) {
    if (line === '') continue;
    const values = JSON.parse(line) as unknown;
    if (
      !Array.isArray(values) ||
      values.length !== width ||
      values.some((v) => v !== null && typeof v !== 'string')
    )
      throw invalidDump('catalog_damaged', `A row of ${table.name} does not match its columns`);
    batch.push(...(values as Array<string | null>));
    count++;
    if (count % batchRows === 0) await flush();
  }
  await flush();
  return count;
}

/** Moves every sequence owned by a column of `schema` past the column's highest value. */
async function resetSequences(client: Pg.Client, schema: string): Promise<void> {
  const { rows } = await client.query<{ table: string; column: string; seq: string }>(
    `select c.relname as "table", a.attname as "column", s.oid::regclass::text as seq
       from pg_depend d
       join pg_class s on s.oid = d.objid and s.relkind = 'S'
       join pg_class c on c.oid = d.refobjid
       join pg_attribute a on a.attrelid = c.oid and a.attnum = d.refobjsubid
       join pg_namespace n on n.oid = c.relnamespace
      where d.deptype in ('a', 'i') and n.nspname = $1`,
    [schema],
  );
  for (const row of rows) {
    const column = quote(row.column);
    await client.query(
      `select setval($1::regclass, coalesce((select max(${column}) from ${quote(schema)}.${quote(row.table)}), 1),
         (select max(${column}) from ${quote(schema)}.${quote(row.table)}) is not null)`,
      [row.seq],
    );
  }
}

async function migrateSchema(
  url: string,
  schema: string,
  modules: readonly MigrationModule[],
): Promise<void> {
  const parts = parsePostgresUrl(url);
  const pg = loadPgDriver();
  const pool = new pg.Pool({
    connectionString: parts.connectionString,
    max: 1,
    options: `-c search_path=${schema}`,
  });
  pool.on('error', () => {});
  // biome-ignore lint/suspicious/noExplicitAny: modules migrate tables the core schema does not type
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  try {
    await runMigrations(db, modules);
  } finally {
    await db.destroy();
  }
}

/**
 * The atomic step of a restore: in one transaction the live schema becomes the old one and the
 * staging schema the live one. Idempotent, for a restore finished after a crash: nothing to do
 * when the staging schema is gone (already swapped). Returns whether it swapped.
 */
export async function swapPostgresSchemas(url: string): Promise<boolean> {
  const { client, schema: live } = await connect(url);
  const { staging, old } = restoreSchemaNames(live);
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ nspname: string }>(
      'select nspname from pg_namespace where nspname = any($1)',
      [[live, staging, old]],
    );
    const present = new Set(rows.map((r) => r.nspname));
    if (!present.has(staging)) {
      await client.query('ROLLBACK');
      return false;
    }
    if (present.has(live)) {
      // A live schema while the old one is already aside was created after a crash: not data.
      if (present.has(old)) await dropSchema(client, live);
      else await client.query(`alter schema ${quote(live)} rename to ${quote(old)}`);
    }
    await client.query(`alter schema ${quote(staging)} rename to ${quote(live)}`);
    await client.query('COMMIT');
    return true;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw unavailable('Swapping the restored catalog in failed', error);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Drops the schemas a restore leaves: `old` after a swap, `staging` after one that never
 * committed. Returns whether anything was there.
 */
export async function dropRestoreSchemas(url: string, which: Array<'staging' | 'old'>): Promise<boolean> {
  const { client, schema: live } = await connect(url);
  const names = restoreSchemaNames(live);
  try {
    const { rows } = await client.query<{ nspname: string }>(
      'select nspname from pg_namespace where nspname = any($1)',
      [which.map((w) => names[w])],
    );
    for (const { nspname } of rows) await dropSchema(client, nspname);
    return rows.length > 0;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Blobs the staging (or any) schema's files and derivatives reference, in key order. */
export async function* listPostgresSchemaBlobs(url: string, schema: string): AsyncGenerator<SnapshotBlob> {
  const { client } = await connect(url, schema);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const q = quote(schema);
    const batches = cursor(
      client,
      `select blob_key, min(size)::text, min(sha256) from (
         select blob_key, size, sha256 from ${q}.files
         union all select blob_key, size, sha256 from ${q}.derivatives
       ) b group by blob_key order by blob_key`,
      [],
      1000,
    );
    for await (const batch of batches)
      for (const [key, size, sha256] of batch)
        yield { key: key as string, size: Number(size), sha256: sha256 as string };
    await client.query('COMMIT');
  } finally {
    await client.end().catch(() => {});
  }
}
