import {
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
import { etagMatches, parseRange } from '../http/range.js';
import { webStreamOf } from '../http/web-stream.js';
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

/**
 * The original bytes, streamed, with the detected type. A single `Range`, `If-Range`, and
 * `If-None-Match` against an ETag made from the SHA-256 are honoured; `?inline=1` asks for
 * inline display, granted only to the small allow-list above and never to a record that
 * processing rejected.
 */
async function serveOriginal(c: Context<ServerEnv>, forge: Forge, id: string, headOnly: boolean) {
  const record = await forge.files.get(id, { tenant: principalOf(c).tenant });
  if (!record) throw notFound('File');
  // Before any validator or range: a cached copy of damaged bytes is not "still good" (304), and
  // HEAD answers as GET does.
  if (record.damaged) throw fileDamagedError(record);
  const inline =
    c.req.query('inline') === '1' && INLINE_TYPES.has(record.mime) && record.status !== 'rejected';
  const headers = downloadHeaders(record, inline);
  if (etagMatches(c.req.header('If-None-Match'), headers.ETag!)) return c.body(null, 304, headers);

  const ifRange = c.req.header('If-Range');
  const range =
    ifRange && ifRange !== headers.ETag ? undefined : parseRange(c.req.header('Range'), record.size);
  if (range === 'unsatisfiable') {
    return errorResponse(
      c,
      new FileForgeError(ErrorCode.RANGE_NOT_SATISFIABLE, `Range not satisfiable for ${record.size} bytes`),
      {
        'Content-Range': `bytes */${record.size}`,
      },
    );
  }
  const status = range ? 206 : 200;
  const length = range ? range.end - range.start + 1 : record.size;
  headers['Content-Length'] = String(length);
  if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${record.size}`;
  if (headOnly || length === 0) return c.body(null, status, headers);
  const { stream } = await forge.files.open(record.id, { tenant: record.tenant, ...(range ?? {}) });
  await audit(c, 'file.download', fileTarget(record), range ? { range: [range.start, range.end] } : {});
  return c.body(webStreamOf(stream), status, headers);
}

/** `GET|HEAD /api/v1/files/{id}/download` and `GET /api/v1/files/{id}/derivatives/{name}`. */
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
      // Hono answers HEAD with the GET route, so the request's method (not the route's) says whether to skip the bytes.
      (c) => serveOriginal(c, forge, c.req.param('id')!, c.req.method === 'HEAD'),
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
      errors: [404],
      responses: {
        200: binary('The derivative bytes'),
        304: { description: 'Not modified (If-None-Match matched the ETag)' },
      },
    }),
    async (c) => {
      const { derivative, stream } = await forge.files.openDerivative(
        c.req.param('id')!,
        c.req.param('name')!,
        {
          tenant: principalOf(c).tenant,
        },
      );
      const headers = {
        'Content-Type': derivative.mime,
        'Content-Length': String(derivative.size),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': SANDBOX_CSP,
        ETag: `"${derivative.sha256}"`,
      };
      if (etagMatches(c.req.header('If-None-Match'), headers.ETag)) {
        stream.destroy();
        const { 'Content-Length': _length, ...notModified } = headers;
        return c.body(null, 304, notModified);
      }
      return c.body(webStreamOf(stream), 200, headers);
    },
  );
}
