/**
 * Completion of a resumable upload: when its last byte lands, the staged file goes through
 * `forge.ingest()` like any upload — detection, size cap, allow-list, dedupe, record,
 * `file.uploaded`, processing — under the file id chosen at creation, so completing twice
 * (a retried last PATCH, two instances, a crash after the commit) makes one record. The
 * staged file is linked into the blob store where it can be, else streamed.
 *
 * A refusal by content (type not allowed, …) ends the upload: its bytes are removed. A
 * failure of a dependency (storage, catalog) keeps them: the client sends the last PATCH
 * again (empty, at the final offset) to retry.
 *
 * @module
 */
import { ErrorCode, FileForgeError, type FileRecord, type Forge } from '@fileforge/core';
import type { Upload } from '@tus/server';
import type { StagingStore } from './staging-store.js';

const REFUSALS = new Set<string>([
  ErrorCode.FILE_TOO_LARGE,
  ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  ErrorCode.INVALID_FILENAME,
  ErrorCode.VALIDATION_FAILED,
  ErrorCode.CONTENT_REJECTED,
]);

/** Turns a finished upload into a file; resolves with the file id. */
export type CompleteUpload = (
  upload: Upload,
  onStored: (record: FileRecord) => Promise<void>,
) => Promise<string>;

/** Creates the completion step over the staging store. */
export function createCompletion(forge: Forge, store: StagingStore): CompleteUpload {
  const running = new Map<string, Promise<string>>();

  async function complete(upload: Upload, onStored: (record: FileRecord) => Promise<void>): Promise<string> {
    const stored = await store.states.get(upload.id);
    const facts = stored?.fileforge;
    if (!stored || !facts) throw new FileForgeError(ErrorCode.NOT_FOUND, 'Upload not found');
    if (facts.completed) {
      await store.markCompleted(upload.id); // staged bytes an older version left behind go
      return facts.fileId;
    }
    const tenant = { tenant: facts.tenant };
    if (await forge.files.get(facts.fileId, tenant)) {
      await store.markCompleted(upload.id);
      return facts.fileId;
    }
    const size = upload.size ?? stored.size ?? 0;
    const sha256 = store.takeSha256(upload.id, size);
    let committed: FileRecord | undefined;
    try {
      const record = await forge.ingest(
        { stagedPath: store.stagedPath(upload.id), ...(sha256 ? { sha256 } : {}) },
        {
          id: facts.fileId,
          name: upload.metadata?.filename || 'upload',
          declaredType: upload.metadata?.filetype ?? null,
          tenant: facts.tenant,
          ownerId: facts.ownerId,
          apiKeyId: facts.apiKeyId,
          requireQueued: true,
          onCommitted: (r) => {
            committed = r;
          },
        },
      );
      await store.markCompleted(upload.id);
      await onStored(record);
      return record.id;
    } catch (error) {
      const code = FileForgeError.is(error) ? error.code : undefined;
      if (committed || (code === ErrorCode.CONFLICT && (await forge.files.get(facts.fileId, tenant)))) {
        await store.markCompleted(upload.id);
        if (committed) await onStored(committed);
        if (!committed) return facts.fileId;
      } else if (code && REFUSALS.has(code)) {
        await store.remove(upload.id).catch(() => {});
      }
      throw error;
    }
  }

  return (upload, onStored) => {
    let pending = running.get(upload.id);
    if (!pending) {
      pending = complete(upload, onStored).finally(() => running.delete(upload.id));
      running.set(upload.id, pending);
    }
    return pending;
  };
}
