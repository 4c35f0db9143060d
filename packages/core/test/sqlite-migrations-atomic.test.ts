/**
 * On SQLite a module's pending migrations apply all or nothing: a migration that fails midway
 * (or a process killed during a long backfill) leaves no table it made behind, so the next
 * start migrates again instead of failing on "table already exists" for ever.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteCatalog, runMigrations } from '@fileforge/core';
import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
type AnyDb = Kysely<any>;

/** A module whose second migration fails after making a table, until `fixed`. */
const moduleOf = (fixed: boolean) => ({
  name: 'atomic',
  migrations: {
    '0001_first': {
      async up(db: AnyDb) {
        await db.schema.createTable('first_table').addColumn('id', 'integer').execute();
        await db.insertInto('first_table').values({ id: 1 }).execute();
      },
    },
    '0002_second': {
      async up(db: AnyDb) {
        await db.schema.createTable('second_table').addColumn('id', 'integer').execute();
        if (!fixed) throw new Error('the process died here');
      },
    },
  },
});

describe('SQLite migrations', () => {
  it('apply a module all or nothing: a failure midway leaves nothing, and the next run applies everything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fileforge-migrate-'));
    const catalog = createSqliteCatalog({ path: join(dir, 'catalog.db') });
    cleanups.push(
      () => rm(dir, { recursive: true, force: true }),
      () => catalog.close(),
    );
    await catalog.migrate();
    const db = catalog.db!() as AnyDb;
    const tables = async () =>
      (
        await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name like '%_table' order by name`.execute(
          db,
        )
      ).rows.map((r) => r.name);

    await expect(runMigrations(db, [moduleOf(false)])).rejects.toThrow(/the process died here/);
    expect(await tables()).toEqual([]);
    expect(await runMigrations(db, [moduleOf(true)])).toEqual([
      { module: 'atomic', name: '0001_first' },
      { module: 'atomic', name: '0002_second' },
    ]);
    expect(await tables()).toEqual(['first_table', 'second_table']);
  });
});
