import type BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache.js';

/** A database whose statements record the text they were prepared from. */
function fakeDatabase() {
  const prepared: string[] = [];
  const database = {
    prepare(sql: string) {
      prepared.push(sql);
      return { sql, busy: false } as unknown as BetterSqlite3.Statement;
    },
    close() {},
  } as unknown as BetterSqlite3.Database;
  return { database, prepared };
}

describe('withStatementCache', () => {
  it('prepares a text once and hands the same statement out again', () => {
    const { database, prepared } = fakeDatabase();
    const cache = withStatementCache(database);
    const first = cache.prepare('select 1');
    expect(cache.prepare('select 1')).toBe(first);
    expect(prepared).toEqual(['select 1']);
  });

  it('past max, drops a statement not used since it was prepared before one used since', () => {
    const { database, prepared } = fakeDatabase();
    const cache = withStatementCache(database, 2);
    cache.prepare('a');
    cache.prepare('b');
    cache.prepare('a'); // a used again: b is the one to go
    cache.prepare('c');
    cache.prepare('a');
    expect(prepared).toEqual(['a', 'b', 'c']);
    cache.prepare('b');
    expect(prepared).toEqual(['a', 'b', 'c', 'b']);
  });

  it('prepares a fresh statement while the cached one is still being iterated', () => {
    const { database, prepared } = fakeDatabase();
    const cache = withStatementCache(database);
    const first = cache.prepare('select 1') as unknown as { busy: boolean };
    first.busy = true;
    expect(cache.prepare('select 1')).not.toBe(first);
    first.busy = false;
    expect(cache.prepare('select 1')).toBe(first);
    expect(prepared).toEqual(['select 1', 'select 1']);
  });
});
