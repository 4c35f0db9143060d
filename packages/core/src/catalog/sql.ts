/**
 * The catalog's queries, written once with Kysely and run on every supported dialect.
 * Dialect factories (`sqlite.ts`, later `postgres.ts`) only build the `Kysely` instance.
 *
 * @module
 */
import { type Kysely, Migrator, sql } from 'kysely';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { FileStatus, JobStatus } from '../model/index.js';
import { createAccountStore } from './accounts.js';
import type { Catalog, DeletedFile, FileListQuery, FilePatch } from './catalog.js';
import { migrationProvider } from './migrations.js';
import { derivativeFromRow, derivativeToRow, fileFromRow, fileToRow, jobFromRow } from './rows.js';
import type { CatalogDatabase } from './schema.js';

/** Options shared by the SQL catalog implementations. */
export interface SqlCatalogOptions {
  /** Reported as {@link Catalog.dialect}. @default 'sqlite' */
  dialect?: string;
  /** Clock for `updated_at`. @default () => new Date() */
  now?: () => Date;
}

const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');
const decodeCursor = (cursor: string) => {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-z]{1,64}$/.test(id)) {
    throw new FileForgeError(ErrorCode.VALIDATION_FAILED, '[fileforge:catalog] Invalid cursor', {
      details: { fields: [{ path: 'cursor', message: 'not a cursor returned by this API' }] },
    });
  }
  return id;
};
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Builds a {@link Catalog} over an existing Kysely instance. */
export function createSqlCatalog(db: Kysely<CatalogDatabase>, options: SqlCatalogOptions = {}): Catalog {
  const now = () => (options.now ?? (() => new Date()))().toISOString();

  const files: Catalog['files'] = {
    async insert(record, { shareBlob = false } = {}) {
      return db.transaction().execute(async (trx) => {
        const original = await trx
          .selectFrom('files')
          .select(['id', 'blob_key'])
          .where('tenant', '=', record.tenant)
          .where('sha256', '=', record.sha256)
          .orderBy('id', 'asc')
          .limit(1)
          .executeTakeFirst();
        const stored = original
          ? { ...record, duplicateOf: original.id, blobKey: shareBlob ? original.blob_key : record.blobKey }
          : record;
        await trx.insertInto('files').values(fileToRow(stored)).execute();
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

    async list(tenant, query: FileListQuery = {}) {
      const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
      let q = db.selectFrom('files').selectAll().where('tenant', '=', tenant);
      if (query.status) q = q.where('status', '=', query.status);
      if (query.mime?.endsWith('/*')) q = q.where('mime', 'like', `${escapeLike(query.mime.slice(0, -1))}%`);
      else if (query.mime) q = q.where('mime', '=', query.mime);
      if (query.name) {
        q = q.where(
          sql<boolean>`lower(name) like ${`%${escapeLike(query.name.toLowerCase())}%`} escape '\\'`,
        );
      }
      if (query.cursor) q = q.where('id', '<', decodeCursor(query.cursor));
      const rows = await q
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const items = rows.slice(0, limit).map(fileFromRow);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
    },

    async update(tenant, id, patch: FilePatch) {
      const values: Record<string, string> = { updated_at: now() };
      if (patch.status !== undefined) values.status = patch.status;
      if (patch.error !== undefined)
        values.error = patch.error === null ? (null as unknown as string) : JSON.stringify(patch.error);
      if (patch.metadata !== undefined) values.metadata = JSON.stringify(patch.metadata);
      await db.updateTable('files').set(values).where('tenant', '=', tenant).where('id', '=', id).execute();
      return files.get(tenant, id);
    },

    async delete(tenant, id): Promise<DeletedFile | null> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('files')
          .selectAll()
          .where('tenant', '=', tenant)
          .where('id', '=', id)
          .executeTakeFirst();
        if (!row) return null;
        const derivatives = (
          await trx.selectFrom('derivatives').selectAll().where('file_id', '=', id).execute()
        ).map(derivativeFromRow);
        await trx.deleteFrom('derivatives').where('file_id', '=', id).execute();
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

  const derivatives: Catalog['derivatives'] = {
    async put(d) {
      const row = derivativeToRow(d);
      await db
        .insertInto('derivatives')
        .values(row)
        .onConflict((oc) => oc.columns(['file_id', 'name']).doUpdateSet({ ...row }))
        .execute();
    },
    async list(fileId) {
      const rows = await db
        .selectFrom('derivatives')
        .selectAll()
        .where('file_id', '=', fileId)
        .orderBy('name')
        .execute();
      return rows.map(derivativeFromRow);
    },
    async get(fileId, name) {
      const row = await db
        .selectFrom('derivatives')
        .selectAll()
        .where('file_id', '=', fileId)
        .where('name', '=', name)
        .executeTakeFirst();
      return row ? derivativeFromRow(row) : null;
    },
    async remove(fileId, name) {
      await db.deleteFrom('derivatives').where('file_id', '=', fileId).where('name', '=', name).execute();
    },
  };

  const jobs: Catalog['jobs'] = {
    async insert(job) {
      return db.transaction().execute(async (trx) => {
        if (job.key !== null) {
          const pending = await trx
            .selectFrom('jobs')
            .selectAll()
            .where('dedupe_key', '=', job.key)
            .where('status', '=', 'pending')
            .orderBy('id')
            .executeTakeFirst();
          if (pending) return jobFromRow(pending);
        }
        await trx
          .insertInto('jobs')
          .values({
            id: job.id,
            type: job.type,
            payload: JSON.stringify(job.payload),
            dedupe_key: job.key,
            status: job.status,
            attempts: job.attempts,
            max_attempts: job.maxAttempts,
            run_at: job.runAt,
            last_error: job.lastError,
            created_at: job.createdAt,
            updated_at: job.updatedAt,
          })
          .execute();
        return job;
      });
    },
    async get(id) {
      const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? jobFromRow(row) : null;
    },
    async update(id, patch) {
      await db
        .updateTable('jobs')
        .set({
          updated_at: now(),
          ...(patch.status === undefined ? {} : { status: patch.status }),
          ...(patch.attempts === undefined ? {} : { attempts: patch.attempts }),
          ...(patch.runAt === undefined ? {} : { run_at: patch.runAt }),
          ...(patch.lastError === undefined ? {} : { last_error: patch.lastError }),
        })
        .where('id', '=', id)
        .execute();
    },
    async listUnfinished() {
      const rows = await db
        .selectFrom('jobs')
        .selectAll()
        .where('status', 'in', ['pending', 'running'])
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(jobFromRow);
    },
    async countByStatus() {
      const rows = await db
        .selectFrom('jobs')
        .select(['status', db.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      return Object.fromEntries(rows.map((r) => [r.status as JobStatus, Number(r.n)]));
    },
  };

  return {
    dialect: options.dialect ?? 'sqlite',
    files,
    derivatives,
    jobs,
    accounts: createAccountStore(db, now),
    async migrate() {
      const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
      const failed = results?.find((r) => r.status === 'Error');
      if (error || failed) {
        throw new FileForgeError(
          ErrorCode.CATALOG_UNAVAILABLE,
          `[fileforge:catalog] Migration ${failed?.migrationName ?? ''} failed: ${String((error as Error)?.message ?? error)}`,
          { cause: error },
        );
      }
    },
    async ping() {
      try {
        await sql`select 1`.execute(db);
      } catch (error) {
        throw new FileForgeError(
          ErrorCode.CATALOG_UNAVAILABLE,
          '[fileforge:catalog] Database is not answering',
          {
            cause: error,
          },
        );
      }
    },
    async close() {
      await db.destroy();
    },
  };
}
