/**
 * Named prepared statements on the machine's PostgreSQL (POSTGRES_TEST_URL): the catalog's
 * short parameterised statements are prepared once per connection, `prepared_statements=false`
 * turns that off, and a statement left stale by a table changing shape heals on a fresh
 * connection instead of failing on that connection for ever.
 */
import { createPostgresCatalog } from '@fileforge/core';
import { POSTGRES_TEST_URL, postgresTestSchema, requireService } from '@fileforge/test-fixtures/services';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';

const available = await requireService('PostgreSQL', POSTGRES_TEST_URL);

/** The statements prepared on the connection a transaction of `catalog` gets, and one read by id run there first. */
async function preparedAfterARead(url: string): Promise<string[]> {
  const catalog = createPostgresCatalog({ url, max: 1 });
  try {
    await catalog.migrate();
    return await catalog.db!()
      .transaction()
      .execute(async (trx) => {
        await trx.selectFrom('files').select('id').where('id', '=', 'nope').execute();
        const { rows } = await sql<{
          statement: string;
        }>`select statement from pg_prepared_statements`.execute(trx);
        return rows.map((r) => r.statement);
      });
  } finally {
    await catalog.close();
  }
}

if (available) {
  describe('PostgreSQL catalog: prepared statements', () => {
    it('prepares a parameterised statement once per connection, and not when the URL turns it off', async () => {
      const { url, drop } = postgresTestSchema();
      try {
        const on = await preparedAfterARead(url);
        expect(on.some((s) => /from "files" where "id" = \$1/.test(s))).toBe(true);
        const off = await preparedAfterARead(
          `${url}${url.includes('?') ? '&' : '?'}prepared_statements=false`,
        );
        expect(off).toEqual([]);
      } finally {
        await drop();
      }
    });

    it('answers CATALOG_UNAVAILABLE once when a table changes shape under a prepared statement, then works on a fresh connection', async () => {
      const { url, drop } = postgresTestSchema();
      const catalog = createPostgresCatalog({ url, max: 1 });
      try {
        await catalog.migrate();
        const db = catalog.db!();
        await sql`create table shape (id integer primary key)`.execute(db);
        await sql`insert into shape (id) values (1)`.execute(db);
        const read = () => sql<Record<string, unknown>>`select * from shape where id = ${1}`.execute(db);
        expect((await read()).rows).toEqual([{ id: 1 }]);
        await sql`alter table shape add column label text default 'x'`.execute(db);
        await expect(read()).rejects.toMatchObject({ code: 'CATALOG_UNAVAILABLE' });
        expect((await read()).rows).toEqual([{ id: 1, label: 'x' }]);
      } finally {
        await catalog.close();
        await drop();
      }
    });
  });
} else {
  describe('PostgreSQL catalog: prepared statements', () => {
    it.skip('needs PostgreSQL at POSTGRES_TEST_URL', () => {});
  });
}
