import { type Kysely, sql } from 'kysely';
import { ErrorCode, FileForgeError } from '../../errors/index.js';
import type { FileStatus } from '../../model/index.js';
import type { DeletedFile, FileCatalog, FileListQuery, FilePatch, FileUpdateOptions } from '../catalog.js';
import { classificationColumns, derivativeFromRow, fileFromRow, fileToRow } from '../rows.js';
import type { CatalogDatabase } from '../schema.js';
import { transact } from '../transact.js';
import { listFiles } from './file-list.js';
import { writeSearchEntry } from './file-search.js';

const isUniqueViolation = (error: unknown) => /unique/i.test(String((error as Error)?.message));

/** Options for {@link createFileStore}. */
export interface FileStoreOptions {
  /**
   * The engine runs transactions concurrently and supports `SELECT … FOR UPDATE` (PostgreSQL).
   * SQLite serialises writers, so it needs (and parses) no row locks.
   */
  rowLocks: boolean;
}

/**
 * File records over Kysely, for every SQL dialect.
 *
 * Duplicates and deletes race safely: an insert that shares an earlier record's blob locks
 * that record until it commits, and a delete counts the blob's remaining references after
 * taking the row it deletes. Whichever commits first, a delete never reports a blob as
 * orphaned while a committed record points at it, and an insert never shares the blob of a
 * record that is already gone (it keeps its own copy then).
 */
export function createFileStore(
  db: Kysely<CatalogDatabase>,
  now: () => string,
  options: FileStoreOptions,
): FileCatalog {
  const files: FileCatalog = {
    async insert(record, { shareBlob = false } = {}) {
      return transact(db, async (trx) => {
        const earliest = trx
          .selectFrom('files')
          .select(['id', 'blob_key'])
          .where('tenant', '=', record.tenant)
          .where('sha256', '=', record.sha256)
          .orderBy('id', 'asc')
          .limit(1);
        const original = await (options.rowLocks ? earliest.forUpdate() : earliest).executeTakeFirst();
        const stored = original
          ? { ...record, duplicateOf: original.id, blobKey: shareBlob ? original.blob_key : record.blobKey }
          : record;
        await trx.insertInto('files').values(fileToRow(stored)).execute();
        await writeSearchEntry(trx, stored);
        return stored;
      });
    },

    async get(tenant, id) {
      const row = await db
        .selectFrom('files')
        .selectAll()
        .where('tenant', '=', tenant)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? fileFromRow(row) : null;
    },

    list(tenant, query: FileListQuery = {}) {
      return listFiles(db, tenant, query);
    },

    async update(tenant, id, patch: FilePatch, options: FileUpdateOptions = {}) {
      const values: Record<string, string> = { updated_at: now() };
      if (patch.status !== undefined) values.status = patch.status;
      if (patch.error !== undefined)
        values.error = patch.error === null ? (null as unknown as string) : JSON.stringify(patch.error);
      if (patch.metadata !== undefined) values.metadata = JSON.stringify(patch.metadata);
      if (patch.mime !== undefined) values.mime = patch.mime;
      if (patch.ext !== undefined) values.ext = patch.ext;
      if (patch.path !== undefined) values.path = patch.path as string;
      if (patch.category !== undefined) values.category = patch.category as string;
      if (patch.classification !== undefined)
        Object.assign(values, classificationColumns(patch.classification));
      // One statement changes and returns the row; only a metadata change (the search index
      // follows it) needs a transaction around a second write.
      const change = async (trx: Kysely<CatalogDatabase>) => {
        try {
          const row = await trx
            .updateTable('files')
            .set(values)
            .where('tenant', '=', tenant)
            .where('id', '=', id)
            .$if(options.unlessClassifiedByPerson === true, (q) =>
              q.where((eb) => eb.or([eb('classified_by', 'is', null), eb('classified_by', '!=', 'person')])),
            )
            .returningAll()
            .executeTakeFirst();
          return row ? fileFromRow(row) : null;
        } catch (error) {
          if (patch.path != null && isUniqueViolation(error)) {
            throw new FileForgeError(
              ErrorCode.CONFLICT,
              `[fileforge:catalog] Another file of tenant ${tenant} is already at ${patch.path}`,
              { cause: error, details: { field: 'path', path: patch.path } },
            );
          }
          throw error;
        }
      };
      if (patch.metadata === undefined) return change(db);
      return transact(db, async (trx) => {
        const record = await change(trx);
        // What processing extracted is what search finds: the index follows the metadata.
        if (record) await writeSearchEntry(trx, record);
        return record;
      });
    },

    async delete(tenant, id): Promise<DeletedFile | null> {
      return transact(db, async (trx) => {
        if (options.rowLocks) {
          // Deletes of records sharing a blob take turns, so the last one sees that it is the
          // last and hands the blob out; otherwise each would see the other still there.
          const shared = await trx
            .selectFrom('files')
            .select('blob_key')
            .where('tenant', '=', tenant)
            .where('id', '=', id)
            .executeTakeFirst();
          if (shared) await sql`select pg_advisory_xact_lock(hashtext(${shared.blob_key}))`.execute(trx);
        }
        // With row locks this waits for an insert that is sharing this record's blob.
        const target = trx.selectFrom('files').selectAll().where('tenant', '=', tenant).where('id', '=', id);
        const row = await (options.rowLocks ? target.forUpdate() : target).executeTakeFirst();
        if (!row) return null;
        const derivatives = (
          await trx.selectFrom('derivatives').selectAll().where('file_id', '=', id).execute()
        ).map(derivativeFromRow);
        await trx.deleteFrom('derivatives').where('file_id', '=', id).execute();
        await trx.deleteFrom('file_search').where('file_id', '=', id).execute();
        await trx.deleteFrom('files').where('id', '=', id).execute();
        const stillUsed = await trx
          .selectFrom('files')
          .select('id')
          .where('blob_key', '=', row.blob_key)
          .limit(1)
          .executeTakeFirst();
        const orphanedBlobKeys = [...(stillUsed ? [] : [row.blob_key]), ...derivatives.map((d) => d.blobKey)];
        return { record: fileFromRow(row), derivatives, orphanedBlobKeys };
      });
    },

    async listUnfinished() {
      const rows = await db
        .selectFrom('files')
        .select(['tenant', 'id', 'status'])
        .where('status', 'in', ['pending', 'processing'])
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ tenant: r.tenant, id: r.id, status: r.status as FileStatus }));
    },

    async countByStatus() {
      const rows = await db
        .selectFrom('files')
        .select(['status', db.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      return Object.fromEntries(rows.map((r) => [r.status as FileStatus, Number(r.n)]));
    },
  };
  return files;
}
