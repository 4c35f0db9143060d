/**
 * The catalog's queries, written once with Kysely and run on every supported dialect.
 * Dialect factories (`sqlite.ts`, later `postgres.ts`) only build the `Kysely` instance.
 *
 * @module
 */
import { type Kysely, sql } from 'kysely';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { Catalog, CatalogTransaction } from './catalog.js';
import { type MigrationModule, runMigrations } from './migrate.js';
import { coreMigrations } from './migrations.js';
import { type DirectExecutor, runTemplatesDirectly, templatesOf } from './query-templates.js';
import type { CatalogDatabase } from './schema.js';
import { createAccountStore } from './stores/accounts.js';
import { createDerivativeStore } from './stores/derivatives.js';
import { createFileStore } from './stores/files.js';
import { createJobStore } from './stores/jobs.js';
import { createOutboxStore } from './stores/outbox.js';

/** Options shared by the SQL catalog implementations. */
export interface SqlCatalogOptions {
  /** Reported as {@link Catalog.dialect}. @default 'sqlite' */
  dialect?: string;
  /** Clock for `updated_at`. @default () => new Date() */
  now?: () => Date;
  /** Migrations of modules that own tables besides core's (sorter, workflows, integrations); run after core's. @default none */
  migrations?: readonly MigrationModule[];
}

/**
 * Builds a {@link Catalog} over an existing Kysely instance. `direct`, from a dialect whose
 * driver is synchronous (SQLite), runs compiled query templates without Kysely's executor:
 * `inTransaction` is true for the statements of a transaction the catalog opened.
 */
export function createSqlCatalog(
  db: Kysely<CatalogDatabase>,
  options: SqlCatalogOptions = {},
  direct?: (inTransaction: boolean) => DirectExecutor,
): Catalog {
  const now = () => (options.now ?? (() => new Date()))().toISOString();
  const rowLocks = (options.dialect ?? 'sqlite') !== 'sqlite';
  const templates = templatesOf(db);
  const bind = (on: Kysely<CatalogDatabase>): CatalogTransaction => ({
    files: createFileStore(on, now, { rowLocks }),
    derivatives: createDerivativeStore(on),
    outbox: createOutboxStore(on, templates),
    // biome-ignore lint/suspicious/noExplicitAny: modules query tables the core schema does not type
    db: () => on as Kysely<any>,
  });
  /** A transaction's stores, each built when first used (most transactions use one or two). */
  const bindLazily = (on: Kysely<CatalogDatabase>): CatalogTransaction => {
    let files: CatalogTransaction['files'] | undefined;
    let derivatives: CatalogTransaction['derivatives'] | undefined;
    let outbox: CatalogTransaction['outbox'] | undefined;
    return {
      get files() {
        files ??= createFileStore(on, now, { rowLocks });
        return files;
      },
      get derivatives() {
        derivatives ??= createDerivativeStore(on);
        return derivatives;
      },
      get outbox() {
        outbox ??= createOutboxStore(on, templates);
        return outbox;
      },
      // biome-ignore lint/suspicious/noExplicitAny: modules query tables the core schema does not type
      db: () => on as Kysely<any>,
    };
  };
  const stores = bind(db);
  const inTransaction = direct?.(true);
  if (direct) runTemplatesDirectly(db, direct(false));
  const transaction = <T>(fn: (trx: Kysely<CatalogDatabase>) => Promise<T>): Promise<T> =>
    db.transaction().execute((trx) => {
      if (inTransaction) runTemplatesDirectly(trx, inTransaction);
      return fn(trx);
    });

  return {
    dialect: options.dialect ?? 'sqlite',
    ...stores,
    jobs: createJobStore(db, now, { rowLocks, transaction }),
    accounts: createAccountStore(db, now),
    transaction(fn) {
      return transaction((trx) => fn(bindLazily(trx)));
    },
    migrate() {
      return runMigrations(db, [coreMigrations, ...(options.migrations ?? [])]);
    },
    async ping() {
      try {
        await sql`select 1`.execute(db);
      } catch (error) {
        throw new FileForgeError(
          ErrorCode.CATALOG_UNAVAILABLE,
          '[fileforge:catalog] Database is not answering',
          {
            cause: error,
          },
        );
      }
    },
    async close() {
      await db.destroy();
    },
  };
}
