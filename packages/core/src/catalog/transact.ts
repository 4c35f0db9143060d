import type { Kysely } from 'kysely';

/**
 * Runs `fn` in a transaction, or directly in the caller's when `db` already is one: stores
 * that need a transaction of their own (an insert that checks for duplicates) then join the
 * enclosing {@link Catalog.transaction} instead of opening a nested one, which neither
 * Kysely nor SQLite would allow.
 */
export function transact<DB, T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
