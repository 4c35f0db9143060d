/**
 * Reuses prepared better-sqlite3 statements across queries.
 *
 * Kysely's SQLite driver calls `prepare(sql)` for every query it runs, and SQLite's compiling
 * of the same text again is a large part of a short query's cost (about a sixth of the
 * workflow engine's CPU time in `npm run bench -- workflows`). The catalog's queries are
 * a small, fixed set of texts (values are bound as parameters), so the statements are kept by
 * their text, least recently used dropped past `max`. A statement still being iterated (a
 * stream not yet finished) is never handed out twice: a fresh one is prepared instead.
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
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        // Most recently used last, so the first key is the one to drop.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      if (cached) return statement; // busy: this one is used once, the cached one stays
      cache.set(sql, statement);
      if (cache.size > max) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}
