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

describe('query templates on the SQLite catalog (run without Kysely’s executor, issue 10)', () => {
  it('waits for a transaction that holds the connection, and runs inside the transaction they belong to', async () => {
    const catalog = createSqliteCatalog({ path: ':memory:' });
    const db = catalog.db!();
    await db.schema.createTable('t').addColumn('k', 'text').addColumn('v', 'integer').execute();
    const templates = createQueryTemplates();
    const insert = (on: typeof db, k: string, v: number) =>
      templates.run(on, 'insert', [k, v], (key, value) => on.insertInto('t').values({ k: key, v: value }));
    const count = async () =>
      (
        await templates.run(db, 'count', [], () =>
          db.selectFrom('t').select((eb) => eb.fn.countAll().as('n')),
        )
      ).rows[0];
    let outside: Promise<unknown> | undefined;
    await expect(
      catalog.transaction(async (tx) => {
        const trx = tx.db!();
        const inserted = await insert(trx, 'in', 1);
        expect(inserted.numAffectedRows).toBe(1n);
        // Started while the transaction is open: must not land in it (it is rolled back below).
        outside = insert(db, 'out', 2);
        await new Promise((resolve) => setImmediate(resolve));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await outside;
    expect(await count()).toEqual({ n: 1 });
    const { rows } = await templates.run(db, 'all', [], () => db.selectFrom('t').selectAll());
    expect(rows).toEqual([{ k: 'out', v: 2 }]);
    await catalog.close();
  });
});
