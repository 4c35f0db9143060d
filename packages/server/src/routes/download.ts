import { Readable } from 'node:stream';
import { ErrorCode, FileForgeError, type Forge } from '@fileforge/core';
import { create as contentDisposition } from 'content-disposition';
import { Hono } from 'hono';
import { errorResponse, notFound } from '../errors/respond.js';
import { etagMatches, parseRange } from '../http/range.js';
import type { ServerEnv } from '../server-env.js';

/**
 * `GET|HEAD /api/v1/files/{id}/download`: the original bytes, streamed. Served with the
 * detected type, `nosniff`, a `sandbox` CSP and as an attachment, so stored content can never
 * run in the API's origin. Supports one `Range`, `If-Range`, and `If-None-Match` against an
 * ETag made from the SHA-256.
 */
export function downloadRoutes(forge: Forge) {
  const app = new Hono<ServerEnv>();

  app.on(['GET', 'HEAD'], '/:id/download', async (c) => {
    const record = await forge.files.get(c.req.param('id'));
    if (!record) return errorResponse(c, notFound('File'));
    const etag = `"${record.sha256}"`;
    const headers: Record<string, string> = {
      'Content-Type': record.mime,
      'Content-Disposition': contentDisposition(record.name, { type: 'attachment' }),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "sandbox; default-src 'none'",
      'Cache-Control': 'private, no-cache',
      'Accept-Ranges': 'bytes',
      ETag: etag,
    };
    if (etagMatches(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers);

    const ifRange = c.req.header('If-Range');
    const range = ifRange && ifRange !== etag ? undefined : parseRange(c.req.header('Range'), record.size);
    if (range === 'unsatisfiable') {
      return errorResponse(
        c,
        new FileForgeError(ErrorCode.RANGE_NOT_SATISFIABLE, `Range not satisfiable for ${record.size} bytes`),
        { 'Content-Range': `bytes */${record.size}` },
      );
    }
    const status = range ? 206 : 200;
    const length = range ? range.end - range.start + 1 : record.size;
    headers['Content-Length'] = String(length);
    if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${record.size}`;
    if (c.req.method === 'HEAD' || length === 0) return c.body(null, status, headers);

    const { stream } = await forge.files.open(record.id, range ?? {});
    return c.body(Readable.toWeb(stream) as ReadableStream, status, headers);
  });

  app.get('/:id/derivatives/:name', async (c) => {
    const { derivative, stream } = await forge.files.openDerivative(c.req.param('id'), c.req.param('name'));
    return c.body(Readable.toWeb(stream) as ReadableStream, 200, {
      'Content-Type': derivative.mime,
      'Content-Length': String(derivative.size),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "sandbox; default-src 'none'",
      ETag: `"${derivative.sha256}"`,
    });
  });

  return app;
}
