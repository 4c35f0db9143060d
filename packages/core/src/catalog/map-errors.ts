import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult } from 'kysely';
import { FileForgeError } from '../errors/index.js';
import type { Catalog } from './catalog.js';

/** Turns an engine's own error into a FileForge one, or returns undefined to pass it through. */
export type CatalogErrorMapper = (error: unknown) => FileForgeError | undefined;

type AnyFunction = (...args: unknown[]) => unknown;

function wrapFunction(fn: AnyFunction, self: unknown, rethrow: (error: unknown) => never): AnyFunction {
  return (...args) => {
    try {
      const result = fn.apply(self, args);
      return result instanceof Promise ? result.catch(rethrow) : result;
    } catch (error) {
      return rethrow(error);
    }
  };
}

/**
 * Wraps a catalog's methods and its stores' methods so the engine's faults (SQLite's
 * `SQLITE_FULL`, PostgreSQL's `53100`) surface as FileForge codes (`INSUFFICIENT_STORAGE`,
 * `CATALOG_UNAVAILABLE`). Each engine knows its own codes; nothing outside the adapter does.
 * For a catalog built on Kysely, {@link mapDialectErrors} covers more (every query, including
 * those run through `Catalog.db()`); the built-in SQLite and PostgreSQL catalogs use it.
 */
export function mapCatalogErrors(catalog: Catalog, map: CatalogErrorMapper): Catalog {
  const translate = translateWith(map);
  const rethrow = (error: unknown): never => {
    throw translate(error);
  };
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(catalog)) {
    if (typeof member === 'function') {
      wrapped[name] = wrapFunction(member as AnyFunction, catalog, rethrow);
    } else if (member && typeof member === 'object' && !Array.isArray(member)) {
      wrapped[name] = Object.fromEntries(
        Object.entries(member).map(([key, value]) => [
          key,
          typeof value === 'function' ? wrapFunction(value as AnyFunction, member, rethrow) : value,
        ]),
      );
    } else {
      wrapped[name] = member;
    }
  }
  return wrapped as unknown as Catalog;
}

/** `map`'s error for `error`, or `error` itself (a FileForge error is never mapped again). */
const translateWith =
  (map: CatalogErrorMapper) =>
  (error: unknown): unknown =>
    FileForgeError.is(error) ? error : (map(error) ?? error);

/**
 * Wraps a Kysely dialect so every statement's engine fault surfaces as `map` says, whoever
 * runs it: the catalog's own stores, a transaction, and the modules that query through
 * `Catalog.db()` (sorter, workflows, webhooks). Mapped at the connection rather than around
 * each store method, a query added anywhere is covered without a wrapper of its own; faults
 * of connecting, beginning, committing and rolling back are mapped too. The SQLite catalog
 * uses it; the PostgreSQL catalog maps where it calls `pg` (its pool), which covers the same.
 *
 * @example
 * ```ts
 * const db = new Kysely<MySchema>({ dialect: mapDialectErrors(new SqliteDialect({ database }), mapSqliteError) });
 * ```
 */
export function mapDialectErrors(dialect: Dialect, map: CatalogErrorMapper): Dialect {
  const translate = translateWith(map);
  return {
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => mapDriverErrors(dialect.createDriver(), translate),
  };
}

type Translate = (error: unknown) => unknown;

/** Runs `run`, its fault translated whether it throws (a synchronous driver) or rejects. */
function guarded<T>(translate: Translate, run: () => Promise<T>): Promise<T> {
  try {
    return run().catch((error: unknown) => {
      throw translate(error);
    });
  } catch (error) {
    return Promise.reject(translate(error));
  }
}

/** A connection whose statements' faults are translated; the driver is handed `inner` back. */
class MappedConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly translate: Translate,
  ) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return guarded(this.translate, () => this.inner.executeQuery<R>(query));
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(query, chunkSize);
    } catch (error) {
      throw this.translate(error);
    }
  }
}

function mapDriverErrors(driver: Driver, translate: Translate): Driver {
  // One wrapper per connection (SQLite's driver hands out the same one for every query).
  const wrappers = new WeakMap<DatabaseConnection, MappedConnection>();
  const wrap = (connection: DatabaseConnection) => {
    let wrapper = wrappers.get(connection);
    if (!wrapper) {
      wrapper = new MappedConnection(connection, translate);
      wrappers.set(connection, wrapper);
    }
    return wrapper;
  };
  const inner = (c: DatabaseConnection) => (c instanceof MappedConnection ? c.inner : c);
  const guard = <T>(run: () => Promise<T>) => guarded(translate, run);
  const { savepoint, rollbackToSavepoint, releaseSavepoint } = driver;
  return {
    init: () => guard(() => driver.init()),
    acquireConnection: () => guard(async () => wrap(await driver.acquireConnection())),
    beginTransaction: (c, settings) => guard(() => driver.beginTransaction(inner(c), settings)),
    commitTransaction: (c) => guard(() => driver.commitTransaction(inner(c))),
    rollbackTransaction: (c) => guard(() => driver.rollbackTransaction(inner(c))),
    ...(savepoint && {
      savepoint: (c, name, compile) => guard(() => savepoint.call(driver, inner(c), name, compile)),
    }),
    ...(rollbackToSavepoint && {
      rollbackToSavepoint: (c, name, compile) =>
        guard(() => rollbackToSavepoint.call(driver, inner(c), name, compile)),
    }),
    ...(releaseSavepoint && {
      releaseSavepoint: (c, name, compile) =>
        guard(() => releaseSavepoint.call(driver, inner(c), name, compile)),
    }),
    releaseConnection: (c) => driver.releaseConnection(inner(c)),
    destroy: () => driver.destroy(),
  };
}
