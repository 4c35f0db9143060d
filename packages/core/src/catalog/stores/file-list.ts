/**
 * The file list: filters, full-text search, sorting and keyset paging, for every SQL dialect.
 *
 * How paging works: each page ends with the last item's sort key and id, and the next page
 * starts strictly after that pair, so a page is one index range however deep the list goes,
 * and files added meanwhile never shift later pages. The default order (newest first) keeps
 * the cursor it always had: the base64url of the last id.
 *
 * @module
 */
import { type Kysely, type RawBuilder, type Selectable, type SelectQueryBuilder, sql } from 'kysely';
import { ErrorCode, FileForgeError } from '../../errors/index.js';
import { TYPE_FAMILY_PATTERNS } from '../../model/type-family.js';
import type { FileListPage, FileListQuery, FileSort } from '../catalog.js';
import { fileFromRow } from '../rows.js';
import type { CatalogDatabase, FilesTable } from '../schema.js';
import { searchTerms } from '../search-document.js';
import { matchesOf, scoreExpression, searchCondition } from './file-search.js';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function invalid(field: string, message: string): FileForgeError {
  return new FileForgeError(ErrorCode.VALIDATION_FAILED, `[fileforge:catalog] ${message}`, {
    details: { fields: [{ path: field, message }] },
  });
}

/** Where a page ended: the last item's sort key (absent for `created`, which is the id) and id. */
interface Position {
  key?: string | number;
  id: string;
}

const ID = /^[0-9a-z]{1,64}$/;

function encodeCursor(sort: FileSort, order: string, position: Position): string {
  // Newest first keeps its historic cursor (the id alone), which clients may have stored.
  const text =
    sort === 'created' && order === 'desc'
      ? position.id
      : JSON.stringify([sort, order, position.key ?? null, position.id]);
  return Buffer.from(text, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, sort: FileSort, order: string): Position {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (ID.test(text)) {
    if (sort === 'created' && order === 'desc') return { id: text };
    throw invalid('cursor', 'this cursor belongs to the newest-first order; start again without it');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('cursor', 'not a cursor returned by this API');
  }
  if (!Array.isArray(parsed) || parsed.length !== 4 || typeof parsed[3] !== 'string' || !ID.test(parsed[3])) {
    throw invalid('cursor', 'not a cursor returned by this API');
  }
  const [s, o, key, id] = parsed as [unknown, unknown, unknown, string];
  if (s !== sort || o !== order) throw invalid('cursor', `this cursor belongs to sort=${s}&order=${o}`);
  if (sort === 'created') return { id };
  if (!isSortKey(sort, key)) throw invalid('cursor', 'not a cursor returned by this API');
  return { key, id };
}

/**
 * Whether `key` is a value the sort's column can hold: compared with a key of another type (a
 * tampered cursor) PostgreSQL fails the query (a 500), and SQLite answers a wrong page.
 */
function isSortKey(sort: FileSort, key: unknown): key is string | number {
  switch (sort) {
    case 'size':
      return Number.isSafeInteger(key) && (key as number) >= 0;
    case 'relevance':
      return typeof key === 'number' && Number.isFinite(key);
    default:
      // Text never holds NUL on PostgreSQL, which refuses it in a parameter.
      return typeof key === 'string' && !key.includes('\0');
  }
}

// biome-ignore lint/complexity/noBannedTypes: nothing selected yet
type FilesQuery = SelectQueryBuilder<CatalogDatabase, 'files', {}>;

/** The filters of `query` other than the text search. */
function filtered(q: FilesQuery, query: FileListQuery): FilesQuery {
  if (query.status) q = q.where('files.status', '=', query.status);
  if (query.mime?.endsWith('/*'))
    q = q.where('files.mime', 'like', `${escapeLike(query.mime.slice(0, -1))}%`);
  else if (query.mime) q = q.where('files.mime', '=', query.mime);
  if (query.name) {
    q = q.where(
      sql<boolean>`lower(files.name) like ${`%${escapeLike(query.name.toLowerCase())}%`} escape '\\'`,
    );
  }
  if (query.category) q = q.where('files.category', '=', query.category);
  if (query.classificationStatus) q = q.where('files.classification_status', '=', query.classificationStatus);
  if (query.pathPrefix !== undefined) {
    const folder = query.pathPrefix.replace(/^\/+|\/+$/g, '');
    q = folder
      ? // substr, not LIKE: SQLite's LIKE ignores case, and folder names are case-sensitive.
        q.where(sql<boolean>`substr(files.path, 1, ${[...folder].length + 1}) = ${`${folder}/`}`)
      : q.where('files.path', 'is not', null);
  }
  if (query.typeFamily) {
    const patterns = Object.values(TYPE_FAMILY_PATTERNS);
    const family = query.typeFamily === 'other' ? patterns : [TYPE_FAMILY_PATTERNS[query.typeFamily]];
    q = q.where((eb) => {
      const any = eb.or(
        family.flatMap((p) => [
          ...p.prefixes.map((prefix) => eb('files.mime', 'like', `${escapeLike(prefix)}%`)),
          ...(p.exact.length > 0 ? [eb('files.mime', 'in', [...p.exact])] : []),
        ]),
      );
      return query.typeFamily === 'other' ? eb.not(any) : any;
    });
  }
  if (query.createdFrom) q = q.where('files.created_at', '>=', query.createdFrom);
  if (query.createdTo) q = q.where('files.created_at', '<=', query.createdTo);
  if (query.uploader) {
    const uploader = query.uploader;
    q = q.where((eb) => eb.or([eb('files.owner_id', '=', uploader), eb('files.api_key_id', '=', uploader)]));
  }
  return q;
}

/** The sort key as an SQL expression (ids for `created`, which are time-ordered). */
function sortExpression(sort: FileSort): RawBuilder<unknown> {
  switch (sort) {
    case 'name':
      return sql<string>`lower(files.name)`;
    case 'size':
      return sql<number>`files.size`;
    case 'updated':
      return sql<string>`files.updated_at`;
    case 'relevance':
      return scoreExpression();
    default:
      return sql<string>`files.id`;
  }
}

/** Lists a tenant's files: see {@link FileListQuery} for what each field does. */
export async function listFiles(
  db: Kysely<CatalogDatabase>,
  tenant: string,
  query: FileListQuery,
): Promise<FileListPage> {
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
  const terms = query.q === undefined ? undefined : searchTerms(query.q);
  if (terms && terms.length === 0) return { items: [], nextCursor: null, matches: {} };
  const sort: FileSort = query.sort ?? (terms ? 'relevance' : 'created');
  if (sort === 'relevance' && !terms) throw invalid('sort', 'sort=relevance needs a search (q)');
  const order = query.order ?? (sort === 'name' ? 'asc' : 'desc');
  const after = query.cursor ? decodeCursor(query.cursor, sort, order) : undefined;

  let inner = filtered(db.selectFrom('files').where('files.tenant', '=', tenant), query);
  if (terms) inner = searchCondition(db, inner, terms);
  const page = db
    .selectFrom(
      inner
        .selectAll('files')
        .select(sortExpression(sort).as('sort_key'))
        .$if(terms !== undefined, (q) => q.select(scoreExpression().as('score')))
        .as('page'),
    )
    .selectAll();
  const dir = order === 'asc' ? 'asc' : 'desc';
  const beyond = order === 'asc' ? '>' : '<';
  const rows = await page
    .$if(after !== undefined && sort === 'created', (q) => q.where('id', beyond, after!.id))
    .$if(after !== undefined && sort !== 'created', (q) =>
      q.where((eb) =>
        eb.or([
          eb('sort_key', beyond, after!.key!),
          eb.and([eb('sort_key', '=', after!.key!), eb('id', beyond, after!.id)]),
        ]),
      ),
    )
    .$if(sort !== 'created', (q) => q.orderBy('sort_key', dir))
    .orderBy('id', dir)
    .limit(limit + 1)
    .execute();

  const kept = rows.slice(0, limit);
  const items = kept.map((row) => fileFromRow(row as unknown as Selectable<FilesTable>));
  const last = kept.at(-1) as { id: string; sort_key: string | number } | undefined;
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor(sort, order, { id: last.id, ...(sort === 'created' ? {} : { key: last.sort_key }) })
      : null;
  if (!terms) return { items, nextCursor };
  const ranks = new Map(
    kept.map((row) => [(row as { id: string }).id, Number((row as unknown as { score: unknown }).score)]),
  );
  return { items, nextCursor, matches: await matchesOf(db, terms, ranks) };
}
