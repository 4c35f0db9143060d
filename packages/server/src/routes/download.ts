import type { Readable } from 'node:stream';
import {
  type AuditDetails,
  type AuditTarget,
  ErrorCode,
  FileForgeError,
  type FileRecord,
  type Forge,
  fileDamagedError,
  TEXT_MIME_TYPES,
} from '@fileforge/core';
import { z } from '@hono/zod-openapi';
import { create as contentDisposition } from 'content-disposition';
import type { Context } from 'hono';
import { principalOf } from '../auth/ownership.js';
import { errorResponse, notFound } from '../errors/respond.js';
import { type ApiApp, secureRoute } from '../http/openapi.js';
import { type ByteRange, etagMatches, parseRange } from '../http/range.js';
import { storedBody } from '../http/stored-body.js';
import { audit, fileTarget } from '../middleware/audit.js';
import { IdParam } from '../schemas/files.js';
import type { ServerEnv } from '../server-env.js';

/**
 * Types a browser may show inline. Everything else is an attachment. Even inline content
 * gets `nosniff` and a `sandbox` CSP, so a polyglot (a PNG with HTML appended) can never run
 * script in the API's origin.
 */
const INLINE_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'application/pdf',
  'text/plain',
  'text/csv',
  'text/markdown',
]);
/** Types detection gives only to bytes that are text: served with the charset the text processor found. */
const TEXT_TYPES = new Set(TEXT_MIME_TYPES);

/** `type; charset=…` for text: the encoding the text processor recorded, else UTF-8 (what detection checked). */
function contentType(record: FileRecord): string {
  if (!TEXT_TYPES.has(record.mime)) return record.mime;
  const found = (record.metadata.text as { encoding?: unknown } | undefined)?.encoding;
  // `utf-8-bom` is how the text processor says "UTF-8, with a byte-order mark": the charset is UTF-8.
  const named = typeof found === 'string' ? found.replace(/-bom$/i, '') : '';
  const charset = /^[a-z0-9_-]{1,20}$/i.test(named) ? named : 'utf-8';
  return `${record.mime}; charset=${charset}`;
}
const SANDBOX_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

const binary = (description: string) => ({
  description,
  content: { 'application/octet-stream': { schema: { type: 'string' as const, format: 'binary' } } },
});

function downloadHeaders(record: FileRecord, inline: boolean): Record<string, string> {
  return {
    'Content-Type': contentType(record),
    'Content-Disposition': contentDisposition(record.name, { type: inline ? 'inline' : 'attachment' }),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': SANDBOX_CSP,
    'Cache-Control': 'private, no-cache',
    'Accept-Ranges': 'bytes',
    ETag: `"${record.sha256}"`,
  };
}

/** One stored blob to answer a `GET` or `HEAD` with. */
interface Served {
  /** Response headers, `ETag` included; `Content-Length` and `Content-Range` are added here. */
  headers: Record<string, string>;
  size: number;
  /** Opens the bytes, or the inclusive range of them. */
  open(range: ByteRange | undefined): Promise<Readable>;
  /** Called once a `GET` is about to stream (not for `HEAD`, a 304 or a 416). */
  onServe?(range: ByteRange | undefined): Promise<void>;
  /** What the bytes are, for the log line of a download cut off by a failure of them. */
  subject: { fileId: string; derivative?: string };
  /** The file, as the target of the `file.integrity_failed` entry a failure of the bytes records. */
  target: AuditTarget;
}

/**
 * Records `file.integrity_failed` when `error` says the stored bytes failed their integrity
 * check (a failed tag, an impossible size, a blob shorter or longer than its record), as the
 * security spec (M2) asks; other failures (a read error) are only logged. The client address is
 * read now, while the connection is still there; the entry is appended once the caller's
 * synchronous work (cutting the response) is done. Never throws, and never waits: a failure to
 * append is logged.
 */
function auditIntegrityFailure(
  c: Context<ServerEnv>,
  served: Served,
  error: unknown,
  details: AuditDetails,
): void {
  if (!FileForgeError.is(error) || error.code !== ErrorCode.BLOB_INTEGRITY_FAILED) return;
  const context = c.get('audit');
  if (!context) return;
  const { derivative } = served.subject;
  const entry = { code: error.code, ...details, ...(derivative ? { derivative } : {}) };
  const requestId = c.get('requestId');
  let clientAddress: string | null = null;
  try {
    clientAddress = context.addressOf(c) ?? null;
  } catch {
    // No address is still an entry.
  }
  Promise.resolve()
    .then(() => audit(c, 'file.integrity_failed', served.target, entry, { clientAddress }))
    .catch((err: unknown) =>
      context.logger.error(
        { err, action: 'file.integrity_failed', target: served.target, requestId },
        'could not append to the audit trail',
      ),
    );
}

/**
 * Answers a `GET` or `HEAD` for a blob: 304 when `If-None-Match` matches the ETag, 416 (with a
 * `Content-Range` giving the size) for a range outside it, 206 for one `Range` (unless
 * `If-Range` names another ETag), else 200. A `HEAD` never opens the blob: Hono drops the body
 * of the GET response it answers HEAD with, and a stream nobody reads keeps its file open.
 */
async function serveBytes(c: Context<ServerEnv>, served: Served): Promise<Response> {
  const { headers, size } = served;
  if (etagMatches(c.req.header('If-None-Match'), headers.ETag!)) return c.body(null, 304, headers);

  const ifRange = c.req.header('If-Range');
  const range = ifRange && ifRange !== headers.ETag ? undefined : parseRange(c.req.header('Range'), size);
  if (range === 'unsatisfiable') {
    return errorResponse(
      c,
      new FileForgeError(ErrorCode.RANGE_NOT_SATISFIABLE, `Range not satisfiable for ${size} bytes`),
      { 'Content-Range': `bytes */${size}` },
    );
  }
  const status = range ? 206 : 200;
  const length = range ? range.end - range.start + 1 : size;
  headers['Content-Length'] = String(length);
  if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
  if (c.req.method === 'HEAD' || length === 0) return c.body(null, status, headers);
  const where = { status, length, ...(range ? { range: [range.start, range.end] } : {}) };
  const stream = await served.open(range).catch((error: unknown) => {
    // Refused before the headers (a tampered key slot, an impossible size): a 500, audited alike.
    auditIntegrityFailure(c, served, error, { ...where, status: 500, sent: 0 });
    throw error;
  });
  // The server's logger, which the audit middleware puts on every `/api/*` request.
  const logger = c.get('audit')?.logger;
  // Made before any await: from here the source's 'error' is handled.
  const body = storedBody(stream, {
    length,
    // The access line went out with the headers; this is the one line that says the body failed.
    onFailure: (err, sent) => {
      logger?.error(
        { err, requestId: c.get('requestId'), ...served.subject, status, length, sent },
        'download cut off: its stored bytes failed',
      );
      auditIntegrityFailure(c, served, err, { ...where, sent });
    },
    // Absent under `app.request()`, where there is no connection to cut.
    ...(c.env?.outgoing ? { cut: () => c.env.outgoing.destroy() } : {}),
  });
  try {
    await served.onServe?.(range);
  } catch (error) {
    await body.cancel();
    throw error;
  }
  return c.body(body, status, headers);
}

/**
 * The original bytes, streamed, with the detected type. A single `Range`, `If-Range`, and
 * `If-None-Match` against an ETag made from the SHA-256 are honoured; `?inline=1` asks for
 * inline display, granted only to the small allow-list above and never to a record that
 * processing rejected.
 */
async function serveOriginal(c: Context<ServerEnv>, forge: Forge, id: string) {
  const record = await forge.files.get(id, { tenant: principalOf(c).tenant });
  if (!record) throw notFound('File');
  // Before any validator or range: a cached copy of damaged bytes is not "still good" (304), and
  // HEAD answers as GET does.
  if (record.damaged) throw fileDamagedError(record);
  const inline =
    c.req.query('inline') === '1' && INLINE_TYPES.has(record.mime) && record.status !== 'rejected';
  return serveBytes(c, {
    headers: downloadHeaders(record, inline),
    size: record.size,
    open: async (range) => (await forge.files.open(record.id, { tenant: record.tenant, ...range })).stream,
    onServe: (range) =>
      audit(c, 'file.download', fileTarget(record), range ? { range: [range.start, range.end] } : {}),
    subject: { fileId: record.id },
    target: fileTarget(record),
  });
}

/**
 * A derivative's bytes (a thumbnail, a preview, a transcoded video), with the same validators
 * and single `Range` as the original: a `<video>` element seeks (and Safari plays at all) only
 * where ranges are served.
 */
async function serveDerivative(c: Context<ServerEnv>, forge: Forge, id: string, name: string) {
  const tenant = principalOf(c).tenant;
  const derivative = (await forge.files.derivatives(id, { tenant })).find((d) => d.name === name);
  if (!derivative) {
    throw new FileForgeError(ErrorCode.NOT_FOUND, `[fileforge] Derivative ${name} of ${id} not found`);
  }
  return serveBytes(c, {
    headers: {
      'Content-Type': derivative.mime,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': SANDBOX_CSP,
      'Accept-Ranges': 'bytes',
      ETag: `"${derivative.sha256}"`,
    },
    size: derivative.size,
    async open(range) {
      const opened = await forge.files.openDerivative(id, name, { tenant, ...range });
      // Rewritten by a reprocess between the lookup and the open: these headers describe other bytes.
      if (opened.derivative.sha256 !== derivative.sha256) {
        opened.stream.destroy();
        throw new FileForgeError(
          ErrorCode.CONFLICT,
          `[fileforge] Derivative ${name} of ${id} changed; try again`,
        );
      }
      return opened.stream;
    },
    subject: { fileId: id, derivative: name },
    target: { type: 'file', id },
  });
}

/** `GET|HEAD /api/v1/files/{id}/download` and `GET|HEAD /api/v1/files/{id}/derivatives/{name}`. */
export function registerDownloadRoutes(app: ApiApp, forge: Forge): void {
  const query = z.object({ inline: z.enum(['0', '1']).optional() });
  const responses = {
    200: binary('The original bytes'),
    206: binary('The requested byte range'),
    304: { description: 'Not modified (If-None-Match matched the ETag)' },
  };
  for (const method of ['get', 'head'] as const) {
    app.openapi(
      secureRoute({
        method,
        path: '/api/v1/files/{id}/download',
        tags: ['Files'],
        summary: method === 'get' ? 'Download the original bytes' : 'Headers of the download',
        request: { params: IdParam, query },
        errors: [400, 404, 409, 416],
        responses,
      }),
      // Hono answers HEAD with the GET route, so serveBytes reads the request's method (not the route's).
      (c) => serveOriginal(c, forge, c.req.param('id')!),
    );
  }

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/files/{id}/derivatives/{name}',
      tags: ['Files'],
      summary: 'Download a derivative',
      request: {
        params: IdParam.extend({
          name: z
            .string()
            .max(100)
            .openapi({ param: { name: 'name', in: 'path' } }),
        }),
      },
      errors: [404, 409, 416],
      responses: {
        200: binary('The derivative bytes'),
        206: binary('The requested byte range'),
        304: { description: 'Not modified (If-None-Match matched the ETag)' },
      },
    }),
    (c) => serveDerivative(c, forge, c.req.param('id')!, c.req.param('name')!),
  );
}
