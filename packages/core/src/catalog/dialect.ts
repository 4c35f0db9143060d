/**
 * Which SQL engine a query builder talks to, for the few statements that differ (trigger
 * syntax, a string function's name). Decided by Kysely's adapter, so no driver is loaded.
 *
 * @module
 */
import { type Kysely, PostgresAdapter } from 'kysely';

/** True when `db` runs on PostgreSQL. */
// biome-ignore lint/suspicious/noExplicitAny: any catalog's builder
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
