/**
 * Reuses prepared better-sqlite3 statements across queries.
 *
 * Kysely's SQLite driver calls `prepare(sql)` for every query it runs, and SQLite's compiling
 * of the same text again is a large part of a short query's cost (about a sixth of the
 * workflow engine's CPU time in `npm run bench -- workflows`). The catalog's queries are
 * a small, fixed set of texts (values are bound as parameters), so the statements are kept by
 * their text, up to `max`. Past that, one is dropped by second chance (the "clock"): the oldest
 * not used since it last came round goes, so a hit only sets a flag instead of moving its
 * entry to the end of the map (a delete and an insert, ten times the cost of the lookup, on
 * every statement run). A statement still being iterated (a stream not yet finished) is never
 * handed out twice: a fresh one is prepared instead.
 *
 * @module
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * Wraps `database` so `prepare` returns a cached statement for a text seen before.
 *
 * @param max Statements kept. Texts differ only by the length of an `in (…)` list, so a few
 * hundred cover the catalog; each costs a little native memory. @default 256
 */
export function withStatementCache(database: BetterSqlite3.Database, max = 256): SqliteDatabase {
  const cache = new Map<string, { statement: BetterSqlite3.Statement; used: boolean }>();
  /** Drops the oldest entry not used since it was last passed over; used ones go to the end, unmarked. */
  const evictOne = () => {
    for (const [sql, entry] of cache) {
      cache.delete(sql);
      if (!entry.used) return;
      entry.used = false;
      cache.set(sql, entry);
    }
  };
  return {
    close: () => database.close(),
    prepare(sql) {
      const cached = cache.get(sql);
      if (cached && !cached.statement.busy) {
        cached.used = true;
        return cached.statement;
      }
      const statement = database.prepare(sql);
      if (cached) return statement; // busy: this one is used once, the cached one stays
      if (cache.size >= max) evictOne();
      cache.set(sql, { statement, used: false });
      return statement;
    },
  };
}
