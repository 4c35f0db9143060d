/**
 * The records a sort plans from, read for planning only: the columns a decision and the plan
 * read (the subject's fields, the record's place and category), not the whole record. A
 * tenant's every processed file is read for a run without `fileIds`, so the columns it skips
 * (the classification and its explanation, the error, the blob key …) are most of the
 * reading and parsing.
 *
 * @module
 */
import type { Kysely } from 'kysely';
import { templatesOf } from '../catalog/query-templates.js';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { FileRecord } from '../model/index.js';

/** What planning reads of a record (a {@link FileRecord} has all of it). */
export type PlanRecord = Pick<
  FileRecord,
  | 'id'
  | 'name'
  | 'size'
  | 'sha256'
  | 'mime'
  | 'ext'
  | 'typeMismatch'
  | 'ownerId'
  | 'apiKeyId'
  | 'metadata'
  | 'path'
  | 'category'
  | 'createdAt'
>;

/** Records per query. */
const PAGE = 1000;

const COLUMNS = [
  'id',
  'name',
  'size',
  'sha256',
  'mime',
  'ext',
  'type_mismatch',
  'owner_id',
  'api_key_id',
  'metadata',
  'path',
  'category',
  'created_at',
] as const;

interface PlanRow {
  id: string;
  name: string;
  size: number | string;
  sha256: string;
  mime: string;
  ext: string;
  type_mismatch: number | string;
  owner_id: string | null;
  api_key_id: string | null;
  metadata: string;
  path: string | null;
  category: string | null;
  created_at: string;
}

/** The fields as `fileFromRow` maps them. */
const planRecordFromRow = (row: PlanRow): PlanRecord => ({
  id: row.id,
  name: row.name,
  size: Number(row.size),
  sha256: row.sha256,
  mime: row.mime,
  ext: row.ext,
  typeMismatch: Boolean(Number(row.type_mismatch)),
  ownerId: row.owner_id,
  apiKeyId: row.api_key_id,
  metadata: JSON.parse(row.metadata),
  path: row.path ?? null,
  category: row.category ?? null,
  createdAt: row.created_at,
});

/**
 * Every `processed` record of `tenant`, oldest first (earlier files keep the plain names), as
 * planning reads them; fails with `VALIDATION_FAILED` past `maxFiles`.
 */
export async function processedForPlanning(
  // biome-ignore lint/suspicious/noExplicitAny: the catalog's query builder, as modules get it
  db: Kysely<any>,
  tenant: string,
  maxFiles = Number.POSITIVE_INFINITY,
): Promise<PlanRecord[]> {
  const templates = templatesOf(db);
  const out: PlanRecord[] = [];
  let before: string | undefined;
  for (;;) {
    // Newest first by id (ids grow with time), as the catalog's listing pages them.
    const { rows } =
      before === undefined
        ? await templates.run(db, 'sorter:processed', [tenant, 'processed', PAGE], (t, status, limit) =>
            db
              .selectFrom('files')
              .select(COLUMNS)
              .where('tenant', '=', t)
              .where('status', '=', status)
              .orderBy('id', 'desc')
              .limit(limit as unknown as number),
          )
        : await templates.run(
            db,
            'sorter:processed-before',
            [tenant, 'processed', before, PAGE],
            (t, status, id, limit) =>
              db
                .selectFrom('files')
                .select(COLUMNS)
                .where('tenant', '=', t)
                .where('status', '=', status)
                .where('id', '<', id)
                .orderBy('id', 'desc')
                .limit(limit as unknown as number),
          );
    for (const row of rows as PlanRow[]) out.push(planRecordFromRow(row));
    if (out.length > maxFiles) {
      throw new FileForgeError(
        ErrorCode.VALIDATION_FAILED,
        `[fileforge:sorter] More than ${maxFiles} processed files to sort at once; name them with fileIds, in batches`,
        { details: { issues: [{ path: 'fileIds', message: `At most ${maxFiles} files per request` }] } },
      );
    }
    const last = (rows as PlanRow[]).at(-1);
    if (rows.length < PAGE || !last) break;
    before = last.id;
  }
  return out.reverse();
}
