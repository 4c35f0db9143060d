/**
 * Core migration `0010_files_search`: the full-text index of files, one table both engines
 * write the same way (`file_search`: name, extracted text, metadata words per file) and an
 * engine-specific index over it, kept current by triggers so the file store never knows the
 * engine:
 *
 * - SQLite: an FTS5 table with `file_search` as its external content (`unicode61`, diacritics
 *   folded), synchronised by insert/update/delete triggers. `doc` is an explicit integer key,
 *   because FTS5 addresses content rows by rowid and VACUUM may renumber implicit rowids.
 * - PostgreSQL: a `tsvector` column (the `simple` configuration: no stemming, like FTS5's
 *   tokenizer) set by a BEFORE trigger, weighted name A, metadata B, text C, with a GIN index.
 *   A plain column rather than a generated one, so a backup's rows load back as they are.
 *
 * Existing files are indexed by the migration itself (in id order, 500 at a time).
 *
 * @module
 */
import { type Kysely, type Migration, sql } from 'kysely';
import { isPostgres } from './dialect.js';
import { reindexedField, searchDocumentOf } from './search-document.js';

const BACKFILL_BATCH = 500;

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
async function createSqliteIndex(db: Kysely<any>) {
  await sql`create virtual table file_search_fts using fts5(
    name, body, meta, content='file_search', content_rowid='doc',
    tokenize='unicode61 remove_diacritics 2')`.execute(db);
  const add = sql`insert into file_search_fts(rowid, name, body, meta) values (new.doc, new.name, new.body, new.meta);`;
  const drop = sql`insert into file_search_fts(file_search_fts, rowid, name, body, meta)
    values ('delete', old.doc, old.name, old.body, old.meta);`;
  await sql`create trigger file_search_ai after insert on file_search begin ${add} end`.execute(db);
  await sql`create trigger file_search_ad after delete on file_search begin ${drop} end`.execute(db);
  await sql`create trigger file_search_au after update on file_search begin ${drop} ${add} end`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
async function createPostgresIndex(db: Kysely<any>) {
  await sql`alter table file_search add column document tsvector not null default ''::tsvector`.execute(db);
  await sql`create function file_search_document() returns trigger language plpgsql as $$
    begin
      new.document := setweight(to_tsvector('simple', new.name), 'A')
        || setweight(to_tsvector('simple', new.meta), 'B')
        || setweight(to_tsvector('simple', new.body), 'C');
      return new;
    end $$`.execute(db);
  await sql`create trigger file_search_document before insert or update on file_search
    for each row execute function file_search_document()`.execute(db);
  await sql`create index file_search_document_gin on file_search using gin (document)`.execute(db);
}

/** Indexes every file already in the catalog. */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
async function backfill(db: Kysely<any>) {
  let after = '';
  for (;;) {
    const rows: Array<{ id: string; tenant: string; name: string; metadata: string }> = await db
      .selectFrom('files')
      .select(['id', 'tenant', 'name', 'metadata'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BACKFILL_BATCH)
      .execute();
    if (rows.length === 0) return;
    await db
      .insertInto('file_search')
      .values(
        rows.map((row) => {
          let metadata: Record<string, unknown> = {};
          try {
            const parsed: unknown = JSON.parse(row.metadata);
            // JSON that is not an object (`null`, a number) is as damaged as JSON that is not.
            if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
              metadata = parsed as Record<string, unknown>;
          } catch {
            // A damaged metadata column indexes the name alone.
          }
          return { file_id: row.id, tenant: row.tenant, ...searchDocumentOf({ ...row, metadata }) };
        }),
      )
      .execute();
    after = rows.at(-1)!.id;
  }
}

/** The migration; registered in `migrations.ts`. */
export const filesSearchMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
  async up(db: Kysely<any>) {
    const postgres = isPostgres(db);
    await db.schema
      .createTable('file_search')
      .$call((t) => (postgres ? t : t.addColumn('doc', 'integer', (c) => c.primaryKey())))
      .addColumn('file_id', 'text', (c) => {
        const column = c.notNull().references('files.id').onDelete('cascade');
        return postgres ? column.primaryKey() : column.unique();
      })
      .addColumn('tenant', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('meta', 'text', (c) => c.notNull())
      .execute();
    await (postgres ? createPostgresIndex(db) : createSqliteIndex(db));
    // Filters of the file list that had no index: uploader and date range.
    await db.schema.createIndex('files_tenant_owner').on('files').columns(['tenant', 'owner_id']).execute();
    await db.schema
      .createIndex('files_tenant_created')
      .on('files')
      .columns(['tenant', 'created_at'])
      .execute();
    await backfill(db);
  },
};

/** Characters of the common Chinese and Japanese blocks: the rows migration `0012` reads. */
const CJK_CLASS = '[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]';

/**
 * Core migration `0012_files_search_cjk_pairs`: index entries written before Chinese and
 * Japanese text was cut into pairs of characters (see `searchDocumentOf`) get their pairs, so
 * a word inside a run of such text is found in existing files too. Only the entries holding
 * such characters are read (the engine filters them), 500 at a time.
 */
export const cjkPairsMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
  async up(db: Kysely<any>) {
    const holds = (column: string) =>
      isPostgres(db)
        ? sql<boolean>`${sql.ref(column)} ~ ${CJK_CLASS}`
        : sql<boolean>`${sql.ref(column)} glob ${`*${CJK_CLASS}*`}`;
    let after = '';
    for (;;) {
      const rows: Array<{ file_id: string; name: string; body: string; meta: string }> = await db
        .selectFrom('file_search')
        .select(['file_id', 'name', 'body', 'meta'])
        .where('file_id', '>', after)
        .where((eb) => eb.or([holds('name'), holds('body'), holds('meta')]))
        .orderBy('file_id')
        .limit(BACKFILL_BATCH)
        .execute();
      if (rows.length === 0) return;
      for (const row of rows) {
        const next = {
          name: reindexedField(row.name),
          body: reindexedField(row.body),
          meta: reindexedField(row.meta),
        };
        if (next.name === row.name && next.body === row.body && next.meta === row.meta) continue;
        await db.updateTable('file_search').set(next).where('file_id', '=', row.file_id).execute();
      }
      after = rows.at(-1)!.file_id;
    }
  },
};
