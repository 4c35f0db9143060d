/**
 * Migration 0010 indexes the files a catalog already holds: an installation upgraded to
 * full-text search finds its old files at once, on SQLite and on PostgreSQL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Catalog,
  coreMigrations,
  createPostgresCatalog,
  createSqliteCatalog,
  runMigrations,
} from '@fileforge/core';
import { POSTGRES_TEST_URL, postgresTestSchema, requireService } from '@fileforge/test-fixtures/services';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Core's migrations before full-text search. */
const beforeSearch = {
  name: 'core',
  migrations: Object.fromEntries(Object.entries(coreMigrations.migrations).filter(([name]) => name < '0010')),
};

function fileRow(i: number, text: string) {
  const id = `01kbackfill${String(i).padStart(15, '0')}`;
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
  return {
    id,
    tenant: 'default',
    name: `old-${i}.pdf`,
    size: 10,
    sha256: id.padEnd(64, '0'),
    mime: 'application/pdf',
    ext: 'pdf',
    type_mismatch: 0,
    status: 'processed',
    blob_key: `default/${id}`,
    metadata: JSON.stringify({ pdf: { text, author: i === 3 ? 'Wilhelmina Quist' : `Author ${i}` } }),
    created_at: at,
    updated_at: at,
  };
}

async function backfillCase(catalog: Catalog, schema?: string) {
  const db = catalog.db!();
  if (schema) await sql.raw(`create schema ${schema}`).execute(db);
  await runMigrations(db, [beforeSearch]);
  // More rows than one backfill batch (500), written as an older version did.
  const rows = Array.from({ length: 620 }, (_, i) =>
    fileRow(i, i === 611 ? 'the quokka clause' : 'boilerplate'),
  );
  // Damaged metadata: JSON `null`, and text that is no JSON. Their names are still indexed.
  rows[7]!.metadata = 'null';
  rows[8]!.metadata = '{not json';
  for (let i = 0; i < rows.length; i += 100)
    await db
      .insertInto('files')
      .values(rows.slice(i, i + 100))
      .execute();
  const applied = await catalog.migrate();
  expect(applied.map((m) => m.name)).toContain('0010_files_search');

  const page = await catalog.files.list('default', { q: 'quokka' });
  expect(page.items.map((f) => f.name)).toEqual(['old-611.pdf']);
  expect(page.matches?.[page.items[0]!.id]?.snippet).toContain('quokka clause');
  expect((await catalog.files.list('default', { q: 'quist' })).items.map((f) => f.name)).toEqual([
    'old-3.pdf',
  ]);
  // The damaged rows have their entry (their name) too.
  const damaged = await db
    .selectFrom('file_search')
    .select('name')
    .where('file_id', 'in', [rows[7]!.id, rows[8]!.id])
    .orderBy('name')
    .execute();
  expect(damaged.map((r) => r.name)).toEqual(['old-7.pdf', 'old-8.pdf']);
}

/** Core's migrations before Chinese and Japanese text was indexed as pairs. */
const beforePairs = {
  name: 'core',
  migrations: Object.fromEntries(Object.entries(coreMigrations.migrations).filter(([name]) => name < '0012')),
};

/**
 * Migration 0012: index entries an older version wrote for Chinese and Japanese text (each run
 * of characters one word) get their pairs, so a word inside a run is found; other entries are
 * left as they are.
 */
async function pairsCase(catalog: Catalog, schema?: string) {
  const db = catalog.db!();
  if (schema) await sql.raw(`create schema ${schema}`).execute(db);
  await runMigrations(db, [beforePairs]);
  const texts = [
    '今天的会议记录：我们讨论了预算和发票。',
    '請求書。合計金額は下記の通りです。',
    'plain boilerplate',
  ];
  const rows = texts.map((text, i) => fileRow(i, text));
  await db.insertInto('files').values(rows).execute();
  // The entries as an older version wrote them: the text alone.
  await db
    .insertInto('file_search')
    .values(
      rows.map((r, i) => ({ file_id: r.id, tenant: 'default', name: r.name, body: texts[i]!, meta: '' })),
    )
    .execute();
  const names = async (q: string) => (await catalog.files.list('default', { q })).items.map((f) => f.name);
  expect(await names('发票')).toEqual([]);

  const applied = await catalog.migrate();
  expect(applied.map((m) => m.name)).toEqual(['0012_files_search_cjk_pairs']);
  expect(await names('发票')).toEqual(['old-0.pdf']);
  expect(await names('会议记录')).toEqual(['old-0.pdf']);
  expect(await names('金額')).toEqual(['old-1.pdf']);
  expect(await names('boilerplate')).toEqual(['old-2.pdf']);
  const page = await catalog.files.list('default', { q: '金額' });
  const match = page.matches?.[page.items[0]!.id];
  expect(match?.snippet).toBe('請求書。合計金額は下記の通りです');
  expect(match!.snippet.slice(match!.highlights[0]!.start, match!.highlights[0]!.end)).toBe('金額');
  const plain = await db
    .selectFrom('file_search')
    .select('body')
    .where('file_id', '=', rows[2]!.id)
    .execute();
  expect(plain.map((r) => r.body)).toEqual(['plain boilerplate']);
}

const postgres = await requireService('PostgreSQL', POSTGRES_TEST_URL);

describe('full-text search migration', () => {
  it('cuts the Chinese and Japanese text of an existing SQLite catalog into pairs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fileforge-search-'));
    const catalog = createSqliteCatalog({ path: join(dir, 'catalog.db') });
    cleanups.push(
      () => rm(dir, { recursive: true, force: true }),
      () => catalog.close(),
    );
    await pairsCase(catalog);
  }, 60_000);

  it.skipIf(!postgres)(
    'cuts the Chinese and Japanese text of an existing PostgreSQL catalog into pairs',
    async () => {
      const { url, drop, schema } = postgresTestSchema();
      const catalog = createPostgresCatalog({ url, max: 2 });
      cleanups.push(drop, () => catalog.close());
      await pairsCase(catalog, schema);
    },
    60_000,
  );

  it('indexes the files of an existing SQLite catalog', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fileforge-search-'));
    const catalog = createSqliteCatalog({ path: join(dir, 'catalog.db') });
    cleanups.push(
      () => rm(dir, { recursive: true, force: true }),
      () => catalog.close(),
    );
    await backfillCase(catalog);
  }, 60_000);

  it.skipIf(!postgres)(
    'indexes the files of an existing PostgreSQL catalog',
    async () => {
      const { url, drop, schema } = postgresTestSchema();
      const catalog = createPostgresCatalog({ url, max: 2 });
      cleanups.push(drop, () => catalog.close());
      await backfillCase(catalog, schema);
    },
    60_000,
  );
});
