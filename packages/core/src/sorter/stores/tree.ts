/**
 * The sorted tree as the sorter reads it: the catalog's `files`, by sorted path.
 *
 * @module
 */
import { type RawBuilder, sql } from 'kysely';
import { isPostgres } from '../../catalog/dialect.js';
import { fileFromRow } from '../../catalog/rows.js';
import type { FileRecord } from '../../model/index.js';
import type { Db } from './tables.js';

/** One occupied place of the sorted tree. */
export interface OccupiedPath {
  id: string;
  path: string;
  sha256: string;
}

/** Reads of the sorted tree. */
export interface TreeStore {
  /** Occupied places of the tree at or under these folders (`''` for the whole tree). */
  occupiedUnder(tenant: string, folders: readonly string[]): Promise<OccupiedPath[]>;
  /** Who holds exactly this path, if anyone. */
  occupant(tenant: string, path: string): Promise<OccupiedPath | null>;
  /** Who holds any of these paths (e.g. the folders a destination needs: a file there blocks it). */
  occupantsAt(tenant: string, paths: readonly string[]): Promise<OccupiedPath[]>;
  /** Records whose category a person confirmed or corrected (the classifier's labels). */
  labelled(tenant: string): Promise<FileRecord[]>;
  /**
   * One level of the tree, counted and paged in SQL (nothing per file is read into memory):
   * the sub-folders of `folder` after `after` by name, with the number of files under each.
   */
  subFolders(
    tenant: string,
    folder: string,
    after: string | null,
    limit: number,
  ): Promise<Array<{ name: string; fileCount: number }>>;
  /** The files directly in `folder` after `after` by name. */
  filesIn(
    tenant: string,
    folder: string,
    after: string | null,
    limit: number,
  ): Promise<Array<{ id: string; name: string }>>;
}

/**
 * The part of `path` below `folder`, and a range on `path` that the (tenant, path) index
 * serves: `folder/` ≤ path < `folder0` (`0` follows `/` in byte order).
 */
const levelOf = (folder: string) => {
  if (folder === '') return { rest: sql<string>`path`, range: sql`path IS NOT NULL` };
  const start = [...folder].length + 2;
  return {
    rest: sql<string>`substr(path, ${start})`,
    range: sql`path >= ${`${folder}/`} AND path < ${`${folder}0`}`,
  };
};

export function createTreeStore(db: Db): TreeStore {
  /** Position of the first `/` (1-based; 0 when none): `instr` on SQLite, `strpos` on PostgreSQL. */
  const slashIn = (text: RawBuilder<string> | ReturnType<typeof sql.ref>) =>
    isPostgres(db) ? sql<number>`strpos(${text}, '/')` : sql<number>`instr(${text}, '/')`;
  const underFolders = (tenant: string, folders: readonly string[]) => {
    let q = db
      .selectFrom('files')
      .select(['id', 'path', 'sha256'])
      .where('tenant', '=', tenant)
      .where('path', 'is not', null);
    if (!folders.includes('')) {
      q = q.where((eb) =>
        eb.or(
          folders.map((f) =>
            eb(eb.fn('substr', ['path', eb.val(1), eb.val([...f].length + 1)]), '=', `${f}/`),
          ),
        ),
      );
    }
    return q;
  };

  return {
    async occupiedUnder(tenant, folders) {
      if (folders.length === 0) return [];
      const rows = await underFolders(tenant, [...new Set(folders)]).execute();
      return rows.map((r) => ({ id: r.id, path: r.path as string, sha256: r.sha256 }));
    },
    async occupant(tenant, path) {
      const r = await db
        .selectFrom('files')
        .select(['id', 'path', 'sha256'])
        .where('tenant', '=', tenant)
        .where('path', '=', path)
        .executeTakeFirst();
      return r ? { id: r.id, path: r.path as string, sha256: r.sha256 } : null;
    },
    async occupantsAt(tenant, paths) {
      const out: OccupiedPath[] = [];
      const unique = [...new Set(paths)];
      for (let i = 0; i < unique.length; i += 500) {
        const rows = await db
          .selectFrom('files')
          .select(['id', 'path', 'sha256'])
          .where('tenant', '=', tenant)
          .where('path', 'in', unique.slice(i, i + 500))
          .execute();
        for (const r of rows) out.push({ id: r.id, path: r.path as string, sha256: r.sha256 });
      }
      return out;
    },
    async labelled(tenant) {
      const rows = await db
        .selectFrom('files')
        .selectAll()
        .where('tenant', '=', tenant)
        .where('classified_by', '=', 'person')
        .orderBy('id')
        .execute();
      return rows.map(fileFromRow);
    },
    async subFolders(tenant, folder, after, limit) {
      const { rest, range } = levelOf(folder);
      const slash = slashIn(sql.ref('rest'));
      const { rows } = await sql<{ name: string; n: number }>`
        SELECT name, count(*) AS n
        FROM (
          SELECT substr(rest, 1, ${slash} - 1) AS name
          FROM (SELECT ${rest} AS rest FROM files WHERE tenant = ${tenant} AND ${range}) AS level
          WHERE ${slash} > 0
        ) AS sub
        ${after === null ? sql.raw('') : sql`WHERE name > ${after}`}
        GROUP BY name
        ORDER BY name
        LIMIT ${limit}`.execute(db);
      return rows.map((r) => ({ name: r.name, fileCount: Number(r.n) }));
    },
    async filesIn(tenant, folder, after, limit) {
      const { rest, range } = levelOf(folder);
      const { rows } = await sql<{ id: string; name: string }>`
        SELECT id, ${rest} AS name FROM files
        WHERE tenant = ${tenant} AND ${range} AND ${slashIn(rest)} = 0
          ${after === null ? sql.raw('') : sql`AND ${rest} > ${after}`}
        ORDER BY name
        LIMIT ${limit}`.execute(db);
      return rows;
    },
  };
}
