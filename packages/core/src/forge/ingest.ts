import { Readable } from 'node:stream';
import { ErrorCode, FileForgeError, toFileForgeError } from '../errors/index.js';
import { removeIfUnreferenced } from '../fsck/orphans.js';
import { createId, isId } from '../ids/id.js';
import { DETECTION_HEAD_BYTES, detectType } from '../ingest/detect.js';
import { toDisplayName } from '../ingest/filename.js';
import type { Detection, FileRecord } from '../model/index.js';
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
import { isStagedFile, putStagedFile, type StagedFile } from './staged-file.js';

/** Options for `forge.ingest()`. */
export interface IngestOptions {
  /** Display name (metadata only; storage paths are generated). */
  name: string;
  /** The client's claimed Content-Type; recorded and compared, never trusted. */
  declaredType?: string | null;
  /** Cancels the ingest; nothing is stored. */
  signal?: AbortSignal;
  /** @default 'default' */
  tenant?: string;
  /** Overrides the forge's `maxFileSize` for this call. */
  maxBytes?: number;
  /** The user the file belongs to (editors may change only what they own). @default null */
  ownerId?: string | null;
  /** The API key the file arrives through (an editor key may change only its own uploads). @default null */
  apiKeyId?: string | null;
  /**
   * How the file arrived (`'watch'`, `'cli'`, …), recorded as `metadata.source` for rules and
   * templates. @default none recorded
   */
  source?: string;
  /**
   * Facts about the file's origin merged into its metadata beside `detection` (e.g.
   * `{ watch: { path: 'scans/a.pdf' } }`); processors' results are added under their own names.
   * @default none
   */
  metadata?: Record<string, unknown>;
  /**
   * The file's id, from `createId()`, chosen by the caller so that a retry after a crash can
   * look the record up first (the folder watcher ingests each claim under its claim id). An id
   * that is already taken fails with `CONFLICT` and stores nothing.
   * @default a new id
   */
  id?: string;
  /**
   * Called with the record as soon as it is committed, before processing is queued: from then
   * on the file exists whatever fails next (the server lists it in `details.stored`).
   */
  onCommitted?: (record: FileRecord) => void;
  /**
   * When the processing job cannot be queued after the record committed, fail with
   * `QUEUE_UNAVAILABLE` (`details.fileId`, `details.retryAfterSeconds`) instead of only
   * logging it. Either way the record stays and is queued again later (by the server's periodic
   * re-queue, `REQUEUE_INTERVAL_MINUTES`, and by start-up reconciliation); the flag is
   * for callers that must not report plain success (the HTTP upload, which answers 503).
   * @default false
   */
  requireQueued?: boolean;
}

/** Seconds a client is told to wait after `QUEUE_UNAVAILABLE`. */
const QUEUE_RETRY_AFTER_SECONDS = 30;

const TENANT = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** How long a blob whose commit is in doubt waits for the catalog before the orphan sweep takes over. */
const IN_DOUBT_MS = 10 * 60_000;

/**
 * Removes the blob `key` of an upload whose commit is in doubt once the catalog can say that no
 * record references it, asking again (1 s, doubling to 5 s) while the catalog is unreachable,
 * for {@link IN_DOUBT_MS}; in the background, on unref'd timers.
 */
function removeOnceUnreferenced(ctx: ForgeContext, key: string): void {
  const until = Date.now() + IN_DOUBT_MS;
  const attempt = (delayMs: number) => {
    setTimeout(() => {
      removeIfUnreferenced(ctx.catalog, ctx.blobs, key).catch(() => {
        if (Date.now() < until) attempt(Math.min(delayMs * 2, 5_000));
      });
    }, delayMs).unref();
  };
  attempt(1_000);
}

const taken = (id: string) =>
  new FileForgeError(ErrorCode.CONFLICT, `[fileforge:ingest] A file with id ${id} already exists`, {
    details: { id },
  });

function allowed(patterns: readonly string[], mime: string): boolean {
  return patterns.some((p) => p === mime || (p.endsWith('/*') && mime.startsWith(p.slice(0, -1))));
}

/**
 * Streams one file into the forge: detect → store → record → `file.uploaded` → enqueue
 * processing. The blob is durable before the record exists and the record is committed last,
 * so a failure at any step leaves neither a visible blob nor a row pointing at nothing.
 * `source` may also be a complete file on disk ({@link StagedFile}: a finished resumable
 * upload), which takes the same checks and is linked into the store without a copy where the
 * store allows it.
 */
export async function ingest(
  ctx: ForgeContext,
  source: Readable | AsyncIterable<Uint8Array> | StagedFile,
  options: IngestOptions,
): Promise<FileRecord> {
  const tenant = options.tenant ?? DEFAULT_TENANT;
  const drain = () => {
    if (source instanceof Readable) source.resume();
  };
  if (ctx.closing) {
    drain();
    throw new FileForgeError(
      ErrorCode.SHUTTING_DOWN,
      '[fileforge:ingest] Shutting down; not accepting files',
    );
  }
  if (!TENANT.test(tenant))
    throw new FileForgeError(ErrorCode.VALIDATION_FAILED, `[fileforge:ingest] Invalid tenant "${tenant}"`);
  const name = toDisplayName(options.name);
  const maxBytes = options.maxBytes ?? ctx.options.maxFileSize;
  if (options.id !== undefined && !isId(options.id)) {
    drain();
    throw new FileForgeError(
      ErrorCode.VALIDATION_FAILED,
      `[fileforge:ingest] Invalid file id "${options.id}"`,
    );
  }
  if (options.id !== undefined && (await ctx.catalog.files.get(tenant, options.id))) {
    drain();
    throw taken(options.id);
  }
  const id = options.id ?? createId(ctx.options.now());
  // A caller's id gets a fresh blob key: a racing ingest of the same id must never write or
  // delete the blob of the record that won.
  const key = `${tenant}/${options.id === undefined ? id : createId(ctx.options.now())}`;
  let detection: Detection | undefined;
  const inspect = async (bytes: Buffer) => {
    detection = await detectType(bytes, name, options.declaredType, options.name);
    const allow = ctx.options.allowedTypes;
    if (allow && !allowed(allow, detection.mime)) {
      throw new FileForgeError(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        `[fileforge:ingest] Files of type ${detection.mime} are not accepted`,
        { details: { detected: detection.mime, allowed: allow } },
      );
    }
  };
  const putOptions = {
    maxBytes,
    head: { bytes: DETECTION_HEAD_BYTES, inspect },
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const put = isStagedFile(source)
    ? await putStagedFile(ctx.blobs, key, source, putOptions)
    : await ctx.blobs.put(key, source, putOptions);
  if (!detection) throw new FileForgeError(ErrorCode.INTERNAL, '[fileforge:ingest] Detection did not run');

  const at = isoNow(ctx);
  const record: FileRecord = {
    id,
    tenant,
    name,
    size: put.size,
    sha256: put.sha256,
    mime: detection.mime,
    ext: detection.ext,
    declaredMime: detection.declaredMime,
    typeMismatch: detection.extensionMismatch || detection.declaredMismatch || detection.misleadingName,
    status: 'pending',
    ownerId: options.ownerId ?? null,
    apiKeyId: options.apiKeyId ?? null,
    blobKey: key,
    duplicateOf: null,
    error: null,
    metadata: {
      ...options.metadata,
      ...(options.source === undefined ? {} : { source: options.source }),
      detection,
    },
    path: null,
    category: null,
    classification: null,
    createdAt: at,
    updatedAt: at,
  };
  let stored: FileRecord;
  try {
    // The record and its `file.uploaded` commit together: a crash after this loses no event.
    stored = await commitWithEvent(
      ctx,
      (tx) => tx.files.insert(record, { shareBlob: ctx.options.dedupeStoreOnce }),
      (file) =>
        caused('file.uploaded', {
          eventId: orderedEventId(id, 'file.uploaded'),
          tenant,
          file,
          timestamp: at,
        }),
    );
  } catch (error) {
    // A commit whose answer was lost (a timeout, a connection dropped after COMMIT) may have
    // landed: the record is read back, and the blob deleted only when the catalog says the
    // record is not there. Unknown (the catalog unreachable): the blob is removed once the
    // catalog answers that nothing references it (the orphan sweep is the last net).
    const found = await ctx.catalog.files.get(tenant, id).catch(() => undefined);
    const ours = found && Date.parse(found.createdAt) === Date.parse(at) && found.sha256 === record.sha256;
    if (!ours) {
      if (found === undefined) removeOnceUnreferenced(ctx, key);
      else await ctx.blobs.delete(key).catch(() => {});
      if (found) throw taken(id);
      throw toFileForgeError(error, ErrorCode.CATALOG_UNAVAILABLE);
    }
    ctx.options.logger.warn({ err: error, fileId: id }, 'the catalog failed to answer a commit that landed');
    stored = found;
  }
  options.onCommitted?.(stored);
  crashPoint('upload', 'after-commit');
  if (stored.blobKey !== key) await ctx.blobs.delete(key).catch(() => {});

  await ctx.dispatcher.deliver();
  try {
    await ctx.queue.enqueue(PROCESS_JOB, { tenant, fileId: id }, { key: processJobKey(tenant, id) });
  } catch (error) {
    // The record is durable; the server's periodic re-queue and start-up reconciliation enqueue
    // processing for it again.
    ctx.options.logger.warn(
      { err: error, fileId: id },
      'could not enqueue processing; it is requested again later',
    );
    if (options.requireQueued)
      throw new FileForgeError(
        ErrorCode.QUEUE_UNAVAILABLE,
        '[fileforge:ingest] The file is stored but its processing could not be queued; it is queued again later (the server retries periodically, and every start does)',
        { cause: error, details: { fileId: id, retryAfterSeconds: QUEUE_RETRY_AFTER_SECONDS } },
      );
  }
  return stored;
}
