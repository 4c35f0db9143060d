/**
 * One migration runner for every module that owns tables. Core brings its files, jobs and
 * accounts tables; the sorter, the workflow engine and the integrations package each bring
 * their own ordered migrations. Each module's progress is recorded in a table of its own, so
 * modules are added, upgraded and ordered independently, and a module's migration names only
 * need to be unique (and sort in order) within that module.
 *
 * @module
 */
import { type Kysely, type Migration, Migrator } from 'kysely';
import { ErrorCode, FileForgeError } from '../errors/index.js';

/** A module's migrations: applied in the order of their names. */
export interface MigrationModule {
  /** Lower-case module name (`core`, `sorter`, `integrations`); names its bookkeeping table. */
  name: string;
  migrations: Record<string, Migration>;
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
 * Idempotent; Kysely's migrator takes a lock, so processes starting together apply each
 * migration once.
 */
// biome-ignore lint/suspicious/noExplicitAny: modules migrate tables the core schema does not type
export async function runMigrations(db: Kysely<any>, modules: readonly MigrationModule[]): Promise<void> {
  const seen = new Set<string>();
  for (const module of modules) {
    if (!MODULE_NAME.test(module.name) || seen.has(module.name)) {
      throw new FileForgeError(
        ErrorCode.INVALID_CONFIG,
        `[fileforge:catalog] Migration module name "${module.name}" is invalid or used twice`,
      );
    }
    seen.add(module.name);
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => module.migrations },
      ...bookkeeping(module.name),
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
  }
}
