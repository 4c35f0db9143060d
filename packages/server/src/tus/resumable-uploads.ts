/**
 * Resumable uploads (tus 1.0: creation, creation-with-upload, termination, expiration,
 * checksum) served by @tus/server's web-standard handler inside the Hono app.
 *
 * How this works: the route authenticates and checks the upload belongs to the caller's tenant
 * (another tenant's id is 404, like a missing one), reads the tus headers strictly, then hands
 * the request to @tus/server with the caller and the chunk's checksum in an AsyncLocalStorage
 * context. Bytes are staged by {@link StagingStore} in a directory on the blob store's
 * filesystem, hashed as they arrive; every request on one upload takes the upload's lock
 * (423 when held). Creation passes {@link admitUpload}; the last byte runs
 * {@link createCompletion}, and the answer carries `FileForge-File-Id`. A completed upload
 * answers HEAD (and a repeated last PATCH) from its state without touching tus.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ErrorCode, FileForgeError, type FileRecord, type Forge } from '@fileforge/core';
import { Server, type ServerOptions as TusServerOptions, type Upload } from '@tus/server';
import type { Context } from 'hono';
import type { UploadAdmission } from '../admission/upload-admission.js';
import { assertCanChange, principalOf } from '../auth/ownership.js';
import { errorResponse, notFound } from '../errors/respond.js';
import { webStreamOf } from '../http/web-stream.js';
import { auditUploads } from '../middleware/audit.js';
import type { ResumableUploadOptions } from '../options.js';
import type { ServerEnv } from '../server-env.js';
import { watchUploadBody } from '../upload/body-watch.js';
import { admitUpload, reservationIdOf } from './admission.js';
import { createCompletion } from './complete.js';
import { type TusRequestContext, tusRequest } from './context.js';
import { fromTusError } from './errors.js';
import { readTusHeaders, TUS_VERSION, type TusHeaders } from './headers.js';
import { createUploadLocker } from './locker.js';
import { StagingStore } from './staging-store.js';
import { type StoredUpload, UPLOAD_ID } from './state.js';

/** Where the tus endpoint lives. */
export const UPLOADS_PATH = '/api/v1/uploads';

/** The status of one upload, as `GET /api/v1/uploads/{id}` answers it. */
export interface UploadStatus {
  id: string;
  offset: number;
  length: number;
  /** The file the upload became, once complete. */
  fileId: string | null;
  /** When an unfinished upload expires; `null` once complete. */
  expiresAt: string | null;
}

/** Options for {@link createResumableUploads}. */
export interface ResumableUploadsOptions extends ResumableUploadOptions {
  isDraining: () => boolean;
  /** A PATCH body that sends nothing for this long is answered 408 `REQUEST_TIMEOUT` (its bytes so far are kept). */
  idleTimeoutMs: number;
  /** Called with every file an upload became (metrics). */
  onStored?: (files: FileRecord[]) => void;
  /** Backpressure and quotas, shared with multipart uploads. */
  admission?: UploadAdmission;
}

/** The tus endpoint's handler and its housekeeping. */
export interface ResumableUploads {
  /** Answers one tus request (POST, HEAD, PATCH, DELETE, OPTIONS). */
  handle(c: Context<ServerEnv>): Promise<Response>;
  /** `GET /api/v1/uploads/{id}` for the caller's tenant; `NOT_FOUND` otherwise. */
  status(c: Context<ServerEnv>, id: string): Promise<UploadStatus>;
  /** Removes expired uploads; returns how many unfinished ones were removed. */
  sweep(): Promise<number>;
  /** How often {@link ResumableUploads.sweep} should run. */
  readonly sweepIntervalMs: number;
}

const DEFAULT_EXPIRY_MS = 24 * 3_600_000;

/** Creates the resumable-upload endpoint over a forge. */
export function createResumableUploads(forge: Forge, options: ResumableUploadsOptions): ResumableUploads {
  const expiryMs = options.expiryMs ?? DEFAULT_EXPIRY_MS;
  const now = options.now ?? Date.now;
  const directory =
    options.stagingDir ?? forge.blobs.stagingDir?.() ?? join(forge.options.dataDir, 'uploads-staging');
  const store = new StagingStore({ directory, expiryMs, now });
  const maxFileSize = forge.options.maxFileSize;
  const complete = createCompletion(forge, store);

  const tusOptions: TusServerOptions & { datastore: StagingStore } = {
    path: UPLOADS_PATH,
    datastore: store,
    locker: createUploadLocker(forge.locks),
    // A holder asked to let go of its upload (a client resuming, see locker.ts) stops reading
    // its body this long after, its bytes so far kept.
    lockDrainTimeout: 1000,
    maxSize: maxFileSize,
    relativeLocation: true,
    // CORS is the app's (ALLOWED_ORIGINS), not tus's permissive default.
    allowedOrigins: () => false,
    namingFunction: () => randomBytes(16).toString('hex'),
    async onUploadCreate(_req, upload) {
      const context = tusRequest.getStore();
      if (!context) throw new FileForgeError(ErrorCode.INTERNAL, '[fileforge:uploads] No request context');
      await admitUpload(
        forge,
        { ...context.owner, length: upload.size ?? 0, uploadId: upload.id, metadata: upload.metadata ?? {} },
        {
          maxFileSize,
          isDraining: options.isDraining,
          ...(options.admission
            ? { admission: options.admission, expiresAt: new Date(now() + expiryMs).toISOString() }
            : {}),
        },
      );
      context.created = upload.id;
      return {};
    },
    async onUploadFinish(_req, upload) {
      return { headers: { 'FileForge-File-Id': await finishUpload(upload) } };
    },
    async onResponseError(_req, error) {
      const context = tusRequest.getStore();
      if (!context) return { status_code: 500, body: '' };
      // @tus/server reports any failure of the body as ABORTED: say why, when the server cut it.
      const timedOut = context.bodyTimeout?.aborted ? context.bodyTimeout.reason : undefined;
      const refusal = FileForgeError.is(timedOut) ? timedOut : fromTusError(error, maxFileSize);
      const response = errorResponse(context.c, refusal);
      return { status_code: response.status, body: await response.text() };
    },
  };
  const tus = new Server(tusOptions);
  /** Turns a fully received upload into its file (once; see createCompletion); resolves with the file id. */
  async function finishUpload(upload: Upload): Promise<string> {
    const context = tusRequest.getStore();
    const fileId = await complete(upload, async (record) => {
      if (context) await auditUploads(context.c, [record]);
      options.onStored?.([record]);
    }).catch(async (error: unknown) => {
      // Refused by content: the upload is gone, and so is its claim on the quota.
      if (!(await store.states.get(upload.id))) await releaseQuota(upload.id);
      throw error;
    });
    await releaseQuota(upload.id);
    return fileId;
  }
  /**
   * A creation that failed (a bad checksum, a body cut off or too large, a refused completion)
   * answered without `Location`: no client can resume or terminate that upload, so its staged
   * bytes and its claim on the quota go now, not at expiry.
   */
  async function abandonCreated(id: string): Promise<void> {
    if ((await store.states.get(id))?.fileforge?.completed) return;
    await store.remove(id).catch(() => {});
    await releaseQuota(id);
  }
  /** The file now counts itself (or the upload is gone): its reservation is given back. */
  const releaseQuota = async (id: string) => {
    await options.admission?.quotas.release(reservationIdOf(id)).catch(() => {});
  };

  async function ownedUpload(c: Context<ServerEnv>, id: string): Promise<StoredUpload> {
    const stored = UPLOAD_ID.test(id) ? await store.states.get(id) : undefined;
    if (!stored?.fileforge || stored.fileforge.tenant !== principalOf(c).tenant) throw notFound('Upload');
    return stored;
  }

  async function answerCompleted(c: Context<ServerEnv>, id: string, stored: StoredUpload): Promise<Response> {
    const facts = stored.fileforge!;
    const length = String(stored.size ?? 0);
    const headers = {
      'Tus-Resumable': '1.0.0',
      'Cache-Control': 'no-store',
      'Upload-Offset': length,
      'Upload-Length': length,
      'FileForge-File-Id': facts.fileId,
    };
    if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers });
    if (c.req.method === 'DELETE') {
      // The file stays (delete it through /api/v1/files); only the upload is forgotten.
      await store.states.delete(id);
      return new Response(null, { status: 204, headers: { 'Tus-Resumable': '1.0.0' } });
    }
    if (c.req.header('upload-offset') !== length)
      throw new FileForgeError(ErrorCode.OFFSET_MISMATCH, 'The upload is complete');
    return new Response(null, { status: 204, headers });
  }

  /** The request's tus headers, checked; another protocol version gets its 412 naming the one served. */
  function checkHeaders(c: Context<ServerEnv>): TusHeaders | Response {
    try {
      return readTusHeaders(c.req.method, c.req.raw.headers);
    } catch (error) {
      // tus 1.0.0: a 412 for an unsupported version must list the supported ones in Tus-Version.
      if (FileForgeError.is(error) && error.code === ErrorCode.TUS_VERSION_UNSUPPORTED)
        return errorResponse(c, error, { 'Tus-Version': TUS_VERSION });
      throw error;
    }
  }

  /**
   * Errors from tus come back as responses carrying our JSON body (its handlers' refusals go
   * through `onResponseError`); the few it writes itself (header validation) are plain text
   * and are rendered here. Either way the answer has the app's error shape.
   */
  async function finish(c: Context<ServerEnv>, response: Response): Promise<Response> {
    if (response.status < 400) return response;
    const text = await response.text();
    let rendered: Response;
    try {
      const body = JSON.parse(text) as { error?: { code?: unknown } };
      if (typeof body.error?.code !== 'string') throw new Error('not ours');
      rendered = new Response(text, { status: response.status, headers: response.headers });
    } catch {
      const code = response.status === 412 ? ErrorCode.TUS_VERSION_UNSUPPORTED : ErrorCode.BAD_REQUEST;
      rendered = errorResponse(c, new FileForgeError(code, text.trim() || 'Malformed tus request'));
      for (const [name, value] of response.headers)
        if (name.startsWith('tus-')) rendered.headers.set(name, value);
    }
    rendered.headers.set('Content-Type', 'application/json');
    rendered.headers.delete('Content-Length');
    if (response.status === 423) rendered.headers.set('Retry-After', '1');
    return rendered;
  }

  return {
    sweepIntervalMs:
      options.sweepIntervalMs ?? Math.min(15 * 60_000, Math.max(1000, Math.floor(expiryMs / 4))),
    sweep: () => store.sweep(),

    async status(c, id) {
      const stored = await ownedUpload(c, id);
      const facts = stored.fileforge!;
      const length = stored.size ?? 0;
      if (facts.completed) return { id, offset: length, length, fileId: facts.fileId, expiresAt: null };
      const upload = await store.getUpload(id).catch(() => undefined);
      const created = stored.creation_date ? Date.parse(stored.creation_date) : now();
      return {
        id,
        offset: upload?.offset ?? 0,
        length,
        fileId: null,
        expiresAt: new Date(created + expiryMs).toISOString(),
      };
    },

    async handle(c) {
      const method = c.req.method;
      if (method === 'OPTIONS') {
        const response = await tus.handleWeb(c.req.raw as Parameters<Server['handleWeb']>[0]);
        response.headers.set('Tus-Checksum-Algorithm', 'sha256');
        return response;
      }
      const id = c.req.param('id');
      const principal = principalOf(c);
      const stored = id === undefined ? undefined : await ownedUpload(c, id);
      // Editors resume, append to and terminate only their own uploads (as with their files).
      if (stored) assertCanChange(principal, stored.fileforge as unknown as FileRecord);
      const checked = checkHeaders(c);
      if (checked instanceof Response) return checked;
      if (id !== undefined && stored?.fileforge?.completed) return answerCompleted(c, id, stored);
      const { checksum } = checked;
      const incoming = c.env?.incoming;
      const sendsBody = incoming !== undefined && (method === 'PATCH' || method === 'POST');
      // The body stream must exist (and listen) before the watch's 'data' listener makes the
      // request flow, or the first bytes would pass before anyone reads them.
      // A body that stops coming ends with 408 REQUEST_TIMEOUT (the bytes so far are kept and
      // the upload resumable), answered on the socket, which then closes.
      const timeout = new AbortController();
      const request = sendsBody
        ? withBody(c.req.raw, webStreamOf(incoming, { signal: timeout.signal }))
        : c.req.raw;
      const stopWatch = sendsBody
        ? watchUploadBody(
            incoming,
            { idleTimeoutMs: options.idleTimeoutMs, minBytesPerSecond: 0, rateWindowMs: 10_000 },
            (error) => timeout.abort(error),
          )
        : undefined;
      try {
        const owner = {
          tenant: principal.tenant,
          ownerId: principal.userId ?? null,
          apiKeyId: principal.kind === 'api_key' ? principal.id : null,
        };
        const context: TusRequestContext = {
          owner,
          c,
          bodyTimeout: timeout.signal,
          ...(checksum ? { checksum } : {}),
        };
        const response = await tusRequest.run(context, () =>
          tus.handleWeb(request as Parameters<Server['handleWeb']>[0]),
        );
        if (method === 'POST' && response.status >= 400 && context.created)
          await abandonCreated(context.created);
        if (
          method === 'HEAD' &&
          id !== undefined &&
          response.status === 200 &&
          response.headers.get('upload-offset') === response.headers.get('upload-length')
        ) {
          // Every byte is here but the upload is not a file yet: the server died between the
          // last byte and the record, or completion failed on a dependency. A client resuming
          // asks HEAD and, seeing the whole length, stops: complete it now.
          const fileId = await tusRequest.run(context, async () => finishUpload(await store.getUpload(id)));
          response.headers.set('FileForge-File-Id', fileId);
        }
        if (method === 'DELETE' && id !== undefined && response.status === 204) await releaseQuota(id);
        const answer = await finish(c, response);
        if (timeout.signal.aborted) answer.headers.set('Connection', 'close');
        return answer;
      } finally {
        stopWatch?.();
      }
    },
  };
}

/** `request` with `body` in place of its own (which is then never made, nor read). */
function withBody(request: Request, body: ReadableStream<Uint8Array>): Request {
  return new Request(request.url, { method: request.method, headers: request.headers, body, duplex: 'half' });
}
