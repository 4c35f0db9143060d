import type { Readable } from 'node:stream';
import type { FileListPage, FileListQuery } from '../catalog/index.js';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { isId } from '../ids/id.js';
import { type DerivativeRecord, FINAL_FILE_STATUSES, type FileRecord } from '../model/index.js';
import { rematerialize, unmaterialize } from '../sorter/runtime.js';
import { caused, commitWithEvent } from './commit-event.js';
import {
  DEFAULT_TENANT,
  type ForgeContext,
  isoNow,
  orderedEventId,
  PROCESS_JOB,
  processJobKey,
} from './context.js';
import { crashPoint } from './crash-point.js';

/** Tenant scope accepted by every file operation. */
export interface TenantOptions {
  /** @default 'default' */
  tenant?: string;
}

/** Options for {@link ForgeFiles.open}. */
export interface OpenOptions extends TenantOptions {
  /** First byte (inclusive). */
  start?: number;
  /** Last byte (inclusive). */
  end?: number;
  signal?: AbortSignal;
}

/** A file opened for reading. */
export interface OpenedFile {
  record: FileRecord;
  stream: Readable;
}

/** File operations of a forge. Another tenant's id answers exactly like a missing one. */
export interface ForgeFiles {
  list(query?: FileListQuery & TenantOptions): Promise<FileListPage>;
  /** The record, or `null` when there is none in the tenant. */
  get(id: string, options?: TenantOptions): Promise<FileRecord | null>;
  /**
   * Opens the original bytes; `NOT_FOUND` when there is no such file, or when the store does
   * not have its content (`details.reason: blob_missing`, before fsck marked it);
   * `FILE_DAMAGED` when fsck found its content missing or altered.
   */
  open(id: string, options?: OpenOptions): Promise<OpenedFile>;
  /** Deletes the record, its derivatives and any blob no other record shares; emits `file.deleted`. */
  delete(id: string, options?: TenantOptions): Promise<FileRecord>;
  /** Derivatives attached to a file. */
  derivatives(id: string, options?: TenantOptions): Promise<DerivativeRecord[]>;
  /** Opens a derivative by name; `NOT_FOUND` when there is none, or the store no longer has its bytes. */
  openDerivative(
    id: string,
    name: string,
    options?: OpenOptions,
  ): Promise<{ derivative: DerivativeRecord; stream: Readable }>;
  /**
   * Runs processing again (e.g. after new processors were added). Resolves with the record in
   * its new state: `pending` when it had finished, still `processing` when a run is under way.
   */
  reprocess(id: string, options?: TenantOptions): Promise<FileRecord>;
}

const notFound = (id: string) => new FileForgeError(ErrorCode.NOT_FOUND, `[fileforge] File ${id} not found`);

/** The `FILE_DAMAGED` error of a record fsck marked damaged: what serving its bytes answers. */
export const fileDamagedError = (record: FileRecord) =>
  new FileForgeError(
    ErrorCode.FILE_DAMAGED,
    `[fileforge] File ${record.id} is damaged (${record.damaged?.reason}); restore it from a backup`,
    { details: { id: record.id, reason: record.damaged?.reason, damagedAt: record.damaged?.at } },
  );

const isMissingBlob = (error: unknown) => FileForgeError.is(error) && error.code === ErrorCode.NOT_FOUND;

/**
 * A blob the store does not serve (gone before fsck marked its record, or refused: a link
 * planted in its place, security spec H8): `NOT_FOUND` with `details.reason: blob_missing`,
 * naming the file. The store's error, which names the storage key, stays the `cause` (for
 * logs), never the message a client reads.
 */
const blobMissingError = (record: FileRecord, cause: unknown) =>
  new FileForgeError(
    ErrorCode.NOT_FOUND,
    `[fileforge] The content of file ${record.id} is missing from storage; restore it from a backup (fileforge fsck --repair marks it damaged)`,
    { details: { id: record.id, reason: 'blob_missing' }, cause },
  );

/** Builds the `forge.files` API over a forge context. */
export function createForgeFiles(ctx: ForgeContext): ForgeFiles {
  const tenantOf = (o?: TenantOptions) => o?.tenant ?? DEFAULT_TENANT;
  const mustGet = async (id: string, options?: TenantOptions) => {
    const record = isId(id) ? await ctx.catalog.files.get(tenantOf(options), id) : null;
    if (!record) throw notFound(id);
    return record;
  };
  const range = (o?: OpenOptions) => ({
    ...(o?.start === undefined ? {} : { start: o.start }),
    ...(o?.end === undefined ? {} : { end: o.end }),
    ...(o?.signal ? { signal: o.signal } : {}),
  });

  const files: ForgeFiles = {
    list: ({ tenant, ...query } = {}) => ctx.catalog.files.list(tenant ?? DEFAULT_TENANT, query),
    get: async (id, options) => (isId(id) ? ctx.catalog.files.get(tenantOf(options), id) : null),

    async open(id, options) {
      const record = await mustGet(id, options);
      if (record.damaged) throw fileDamagedError(record);
      const stream = await ctx.blobs.get(record.blobKey, range(options)).catch((error: unknown) => {
        throw isMissingBlob(error) ? blobMissingError(record, error) : error;
      });
      return { record, stream };
    },

    async delete(id, options) {
      const tenant = tenantOf(options);
      const current = isId(id) ? await ctx.catalog.files.get(tenant, id) : null;
      if (!current) throw notFound(id);
      // The sorted entry goes before the record: a crash in between leaves an entry missing
      // (fsck puts it back), never a deleted file's bytes browsable under SORTED_FOLDER once
      // its blob is gone and nothing points at the entry any more.
      await unmaterialize(ctx, current);
      crashPoint('delete', 'after-entry');
      const deleted = await commitWithEvent(
        ctx,
        (tx) => tx.files.delete(tenant, id),
        (gone) =>
          gone &&
          caused('file.deleted', {
            eventId: orderedEventId(id, 'file.deleted'),
            tenant,
            file: gone.record,
            timestamp: isoNow(ctx),
          }),
      ).catch(async (error: unknown) => {
        await rematerialize(ctx, current);
        throw error;
      });
      if (!deleted) throw notFound(id);
      crashPoint('delete', 'after-commit');
      // Moved meanwhile: its entry is elsewhere now.
      if (deleted.record.path !== current.path) await unmaterialize(ctx, deleted.record);
      for (const key of deleted.orphanedBlobKeys) {
        await ctx.blobs
          .delete(key)
          .catch((err) => ctx.options.logger.warn({ err, key }, 'could not delete blob'));
      }
      await ctx.dispatcher.deliver();
      return deleted.record;
    },

    async derivatives(id, options) {
      const record = await mustGet(id, options);
      return ctx.catalog.derivatives.list(record.id);
    },

    async openDerivative(id, name, options) {
      const record = await mustGet(id, options);
      const derivative = await ctx.catalog.derivatives.get(record.id, name);
      if (!derivative)
        throw new FileForgeError(ErrorCode.NOT_FOUND, `[fileforge] Derivative ${name} of ${id} not found`);
      const stream = await ctx.blobs.get(derivative.blobKey, range(options)).catch((error: unknown) => {
        if (!isMissingBlob(error)) throw error;
        // `fileforge reprocess` makes it again; the storage key stays out of the message.
        throw new FileForgeError(
          ErrorCode.NOT_FOUND,
          `[fileforge] Derivative ${name} of ${id} is missing from storage; reprocess the file`,
          { cause: error },
        );
      });
      return { derivative, stream };
    },

    async reprocess(id, options) {
      const record = await mustGet(id, options);
      // A finished record says it is queued again before the job exists (a job that starts at
      // once then moves it on, never back); if the enqueue fails, start-up recovery re-queues
      // every unfinished record. One being processed stays `processing`: its follow-up run
      // is queued behind it.
      const queued = FINAL_FILE_STATUSES.includes(record.status)
        ? ((await ctx.catalog.files.update(record.tenant, record.id, { status: 'pending' })) ?? record)
        : record;
      // Requests while one is still queued merge into it: 60 clicks queue one run, not 60.
      await ctx.queue.enqueue(
        PROCESS_JOB,
        { tenant: record.tenant, fileId: record.id, force: true },
        { key: processJobKey(record.tenant, record.id) },
      );
      return queued;
    },
  };
  return files;
}
