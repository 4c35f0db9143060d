import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Catalog, createSqliteCatalog, type MigrationModule } from '@fileforge/core';
import Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';

const dirs: string[] = [];
const catalogs: Catalog[] = [];
afterEach(async () => {
  for (const c of catalogs.splice(0)) await c.close();
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

let runs = 0;
const sorter: MigrationModule = {
  name: 'sorter',
  migrations: {
    '0001_rules': {
      // biome-ignore lint/suspicious/noExplicitAny: a module's own tables are not in core's schema
      async up(db: Kysely<any>) {
        runs++;
        await db.schema
          .createTable('sorter_rules')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .execute();
      },
    },
  },
};

async function open(path: string, migrations: MigrationModule[]) {
  const catalog = createSqliteCatalog({ path, migrations });
  catalogs.push(catalog);
  await catalog.migrate();
  return catalog;
}

describe('migrations per module', () => {
  it('runs each module’s migrations once, after core’s, and records them per module', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fileforge-migrations-'));
    dirs.push(dir);
    const path = join(dir, 'catalog.db');
    runs = 0;
    await (await open(path, [])).close();
    catalogs.pop();
    // A module added to an existing catalog: only its own migrations run.
    await open(path, [sorter]);
    await (catalogs.pop() as Catalog).close();
    await open(path, [sorter]);
    expect(runs).toBe(1);

    const db = new Database(path, { readonly: true });
    try {
      const tables = db
        .prepare("select name from sqlite_master where type = 'table' order by name")
        .all()
        .map((r) => (r as { name: string }).name);
      expect(tables).toEqual(
        expect.arrayContaining(['files', 'sorter_rules', 'kysely_migration', 'fileforge_migration_sorter']),
      );
      const sorterRan = db.prepare('select name from fileforge_migration_sorter').all();
      expect(sorterRan).toEqual([{ name: '0001_rules' }]);
      const coreRan = db.prepare('select name from kysely_migration order by name').all() as {
        name: string;
      }[];
      expect(coreRan.map((r) => r.name)[0]).toBe('0001_files_derivatives_jobs');
      expect(coreRan.some((r) => r.name.includes('rules'))).toBe(false);
    } finally {
      db.close();
    }
  });

  it('refuses a module name used twice or not fit for a table name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fileforge-migrations-'));
    dirs.push(dir);
    for (const modules of [[sorter, sorter], [{ ...sorter, name: 'Sorter; drop' }]]) {
      const catalog = createSqliteCatalog({ path: join(dir, `c${modules.length}.db`), migrations: modules });
      catalogs.push(catalog);
      await expect(catalog.migrate()).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    }
  });
});
