/**
 * One migration runner for every module that owns tables. Core brings its files, jobs and
 * accounts tables; the sorter, the workflow engine and the integrations package each bring
 * their own ordered migrations. Each module's progress is recorded in a table of its own, so
 * modules are added, upgraded and ordered independently, and a module's migration names only
 * need to be unique (and sort in order) within that module.
 *
 * @module
 */
import { type Kysely, type Migration, Migrator, PostgresAdapter, sql } from 'kysely';
import { ErrorCode, FileForgeError } from '../errors/index.js';

/** A module's migrations: applied in the order of their names. */
export interface MigrationModule {
  /** Lower-case module name (`core`, `sorter`, `integrations`); names its bookkeeping table. */
  name: string;
  migrations: Record<string, Migration>;
}

/** One migration a run applied. */
export interface AppliedMigration {
  /** The module it belongs to (`core`, `sorter`, `webhooks`, …). */
  module: string;
  /** Its name within the module (`0006_files_sorted_path_and_classification`). */
  name: string;
}

const MODULE_NAME = /^[a-z][a-z0-9_]{0,40}$/;

/**
 * Where a module's progress is recorded. Core keeps Kysely's default table names, which
 * catalogs created before modules existed already use.
 */
function bookkeeping(module: string) {
  return module === 'core'
    ? { migrationTableName: 'kysely_migration', migrationLockTableName: 'kysely_migration_lock' }
    : {
        migrationTableName: `fileforge_migration_${module}`,
        migrationLockTableName: `fileforge_migration_${module}_lock`,
      };
}

/**
 * Applies every pending migration of each module, modules in the order given (core first).
 * Idempotent. On PostgreSQL the whole run holds an advisory lock keyed on the catalog's
 * schema, so a server and its workers starting together migrate one at a time (the later
 * ones find nothing pending), and the bookkeeping tables are looked up in that schema only.
 * On SQLite one writer at a time does the same.
 */
export async function runMigrations(
  // biome-ignore lint/suspicious/noExplicitAny: modules migrate tables the core schema does not type
  db: Kysely<any>,
  modules: readonly MigrationModule[],
): Promise<AppliedMigration[]> {
  const seen = new Set<string>();
  for (const module of modules) {
    if (!MODULE_NAME.test(module.name) || seen.has(module.name)) {
      throw new FileForgeError(
        ErrorCode.INVALID_CONFIG,
        `[fileforge:catalog] Migration module name "${module.name}" is invalid or used twice`,
      );
    }
    seen.add(module.name);
  }
  if (db.getExecutor().adapter instanceof PostgresAdapter && !db.isTransaction) {
    return db.connection().execute((conn) => underAdvisoryLock(conn, modules));
  }
  const applied: AppliedMigration[] = [];
  for (const module of modules) applied.push(...(await migrateModule(db, module)));
  return applied;
}

/** The PostgreSQL run, on one connection holding the schema's migration lock. */
async function underAdvisoryLock(
  // biome-ignore lint/suspicious/noExplicitAny: modules migrate tables the core schema does not type
  conn: Kysely<any>,
  modules: readonly MigrationModule[],
): Promise<AppliedMigration[]> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(conn);
  const schema = rows[0]?.schema;
  if (!schema) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:catalog] No schema of the search path exists in this database: create it, or name one with ?schema=',
    );
  }
  const key = `fileforge:migrate:${schema}`;
  // Session-level: held across the modules' transactions; dropped with the connection if it dies.
  await sql`select pg_advisory_lock(hashtext(${key}))`.execute(conn);
  try {
    const applied: AppliedMigration[] = [];
    for (const module of modules) applied.push(...(await migrateModule(conn, module, schema)));
    return applied;
  } finally {
    await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(conn).catch(() => {});
  }
}

async function migrateModule(
  // biome-ignore lint/suspicious/noExplicitAny: modules migrate tables the core schema does not type
  db: Kysely<any>,
  module: MigrationModule,
  schema?: string,
): Promise<AppliedMigration[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => module.migrations },
    ...bookkeeping(module.name),
    // Found by name in any schema otherwise: another installation's tables in the same database.
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new FileForgeError(
      ErrorCode.CATALOG_UNAVAILABLE,
      `[fileforge:catalog] Migration ${module.name}/${failed?.migrationName ?? ''} failed: ${String((error as Error)?.message ?? error)}`,
      { cause: error },
    );
  }
  return (results ?? []).map((r) => ({ module: module.name, name: r.migrationName }));
}
