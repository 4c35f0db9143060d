/**
 * The full-text side of the file store: writing a file's index entry, and the engine-specific
 * pieces of a search (match and rank, snippets). The tables are described in
 * `search-migration.ts`. Search words come from {@link searchTerms} (letters and digits only),
 * so they are quoted into each engine's query syntax without any way to form operators. The
 * excerpts around a match are made in JavaScript for both engines (`markedSnippet`).
 *
 * @module
 */
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { FileRecord } from '../../model/index.js';
import { isPostgres } from '../dialect.js';
import type { CatalogDatabase } from '../schema.js';
import {
  type IndexTerm,
  indexTerms,
  markedSnippet,
  parseMarkedSnippet,
  type SearchMatch,
  searchDocumentOf,
} from '../search-document.js';

/** Writes (or rewrites) the index entry of `record`; the engine's triggers update its index. */
export async function writeSearchEntry(
  db: Kysely<CatalogDatabase>,
  record: Pick<FileRecord, 'id' | 'tenant' | 'name' | 'metadata'>,
): Promise<void> {
  const document = searchDocumentOf(record);
  await db
    .insertInto('file_search')
    .values({ file_id: record.id, tenant: record.tenant, ...document })
    .onConflict((oc) => oc.column('file_id').doUpdateSet(document))
    .execute();
}

/** PostgreSQL `tsquery` text: every word, some as prefixes (see {@link indexTerms}). */
const tsquery = (terms: IndexTerm[]) => terms.map((t) => `'${t.word}'${t.prefix ? ':*' : ''}`).join(' & ');
/** FTS5 query text: every word (phrase-quoted), some as prefixes (see {@link indexTerms}). */
const ftsQuery = (terms: IndexTerm[]) => terms.map((t) => `"${t.word}"${t.prefix ? '*' : ''}`).join(' ');

/** The matching files of the tenant with their score (higher is better), as a derived table `hit`. */
function hits(db: Kysely<CatalogDatabase>, searched: string[]) {
  const terms = indexTerms(searched);
  return isPostgres(db)
    ? sql`(select s.file_id, ts_rank(s.document, to_tsquery('simple', ${tsquery(terms)}))::float8 as score
          from file_search s where s.document @@ to_tsquery('simple', ${tsquery(terms)}))`
    : // bm25 is lower for better matches; weights: name 8, text 1, metadata 3.
      sql`(select s.file_id, -bm25(file_search_fts, 8.0, 1.0, 3.0) as score
          from file_search_fts join file_search s on s.doc = file_search_fts.rowid
          where file_search_fts match ${ftsQuery(terms)})`;
}

// biome-ignore lint/complexity/noBannedTypes: nothing selected yet
type FilesQuery = SelectQueryBuilder<CatalogDatabase, 'files', {}>;

/** Narrows a file query to the files matching every search word. */
export function searchCondition(db: Kysely<CatalogDatabase>, query: FilesQuery, terms: string[]): FilesQuery {
  // The derived table is not in the typed schema; the join is typed back to the file query.
  return query.innerJoin(hits(db, terms).as('hit') as never, (join) =>
    join.on(sql<boolean>`hit.file_id = files.id`),
  ) as unknown as FilesQuery;
}

/** The score of a search hit, in a query narrowed by {@link searchCondition}. */
export const scoreExpression = () => sql<number>`hit.score`;

/** Where each of the files (by id, with its rank) matched: the first field with a marked match. */
export async function matchesOf(
  db: Kysely<CatalogDatabase>,
  terms: string[],
  ranks: Map<string, number>,
): Promise<Record<string, SearchMatch>> {
  const ids = [...ranks.keys()];
  if (ids.length === 0) return {};
  // The excerpts are made in JavaScript (see markedSnippet): the same on both engines.
  const rows = await db
    .selectFrom('file_search')
    .select(['file_id', 'body', 'meta', 'name'])
    .where('file_id', 'in', ids)
    .execute();
  const matches: Record<string, SearchMatch> = {};
  for (const row of rows) {
    const rank = ranks.get(row.file_id) ?? 0;
    const fields = [
      ['text', row.body],
      ['metadata', row.meta],
      ['name', row.name],
    ] as const;
    for (const [field, text] of fields) {
      const marked = text ? markedSnippet(text, terms) : null;
      const parsed = marked ? parseMarkedSnippet(marked) : null;
      if (parsed) {
        matches[row.file_id] = { field, ...parsed, rank };
        break;
      }
    }
  }
  return matches;
}
