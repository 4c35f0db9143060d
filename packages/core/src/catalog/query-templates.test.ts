import { describe, expect, it } from 'vitest';
import { createQueryTemplates } from './query-templates.js';
import { createSqliteCatalog } from './sqlite.js';

describe('createQueryTemplates', () => {
  it('builds a query once per key and runs it with the values of each call', async () => {
    const catalog = createSqliteCatalog({ path: ':memory:' });
    const db = catalog.db!();
    await db.schema.createTable('t').addColumn('k', 'text').addColumn('v', 'integer').execute();
    const templates = createQueryTemplates();
    let builds = 0;
    const insert = (k: string, v: number) =>
      templates.run(db, 'insert', [k, v], (key, value) => {
        builds++;
        return db.insertInto('t').values({ k: key, v: value });
      });
    await insert('a', 1);
    await insert('b', 2);
    const { rows } = await templates.run(db, 'select', ['b'], (key) =>
      db.selectFrom('t').selectAll().where('k', '=', key),
    );
    expect(builds).toBe(1);
    expect(rows).toEqual([{ k: 'b', v: 2 }]);
    await catalog.close();
  });
});
