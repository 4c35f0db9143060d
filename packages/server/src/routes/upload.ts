import type { IncomingMessage } from 'node:http';
import type { Forge } from '@fileforge/core';
import { crashPoint, ErrorCode, FileForgeError } from '@fileforge/core';
import { z } from '@hono/zod-openapi';
import { principalOf } from '../auth/ownership.js';
import { type ApiApp, secureRoute } from '../http/openapi.js';
import { fileResource } from '../http/resource.js';
import { auditUploads } from '../middleware/audit.js';
import { FileSchema, UploadBodySchema } from '../schemas/files.js';
import { receiveUpload } from '../upload/receive.js';

/** Options for {@link registerUploadRoute}. */
export interface UploadRouteOptions {
  maxFilesPerRequest: number;
  refusalDrainBytes: number;
  /** An upload that sends nothing for this long is answered 408. */
  idleTimeoutMs: number;
  /** An upload averaging less than this over `rateWindowMs` is answered 408; `0` disables. */
  minBytesPerSecond: number;
  /** Client time the minimum rate is averaged over. */
  rateWindowMs: number;
  isDraining: () => boolean;
  /** Called with every committed upload (metrics). */
  onStored?: (files: import('@fileforge/core').FileRecord[]) => void;
}

/**
 * After a refusal, reads at most `limit` more bytes (so a client still sending sees the
 * response instead of a connection reset), then closes the connection.
 */
function drainThenClose(incoming: IncomingMessage, limit: number): void {
  if (incoming.readableEnded || incoming.destroyed) return;
  let read = 0;
  const close = () => {
    clearTimeout(timer);
    incoming.socket?.destroy();
  };
  const timer = setTimeout(close, 2000);
  timer.unref();
  incoming.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > limit) close();
  });
  incoming.once('end', () => clearTimeout(timer));
  incoming.resume();
}

/**
 * `POST /api/v1/files`: one or more files as multipart/form-data, streamed to storage.
 * Answers 201 with `{ files: [...] }`. A refusal answers with its error; files of the same
 * request that were completely stored before it are kept and listed in `details.stored`.
 */
export function registerUploadRoute(app: ApiApp, forge: Forge, options: UploadRouteOptions): void {
  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/files',
      tags: ['Files'],
      summary: 'Upload files (multipart/form-data, streamed)',
      description:
        'Each file part is stored as it arrives. MAX_FILE_SIZE applies per file; a refused file ends the request and files before it in the same request stay stored (listed in `details.stored`).',
      request: { body: { required: true, content: { 'multipart/form-data': { schema: UploadBodySchema } } } },
      errors: [400, 408, 413, 415, 503, 507],
      responses: {
        201: {
          description: 'Stored; processing follows',
          content: { 'application/json': { schema: z.object({ files: z.array(FileSchema) }) } },
        },
      },
    }),
    async (c) => {
      const incoming = c.env.incoming;
      const principal = principalOf(c);
      if (forge.closing || options.isDraining()) {
        drainThenClose(incoming, options.refusalDrainBytes);
        c.header('Connection', 'close');
        throw new FileForgeError(ErrorCode.SHUTTING_DOWN, 'Shutting down');
      }
      const outcome = await receiveUpload(forge, incoming, {
        maxFileSize: forge.options.maxFileSize,
        maxFiles: options.maxFilesPerRequest,
        idleTimeoutMs: options.idleTimeoutMs,
        minBytesPerSecond: options.minBytesPerSecond,
        rateWindowMs: options.rateWindowMs,
        tenant: principal.tenant,
        ownerId: principal.userId,
        ...(principal.kind === 'api_key' ? { apiKeyId: principal.id } : {}),
      });
      if (outcome.ok) {
        await auditUploads(c, outcome.files);
        options.onStored?.(outcome.files);
        const files = outcome.files.map(fileResource);
        crashPoint('upload', 'before-response');
        return c.json({ files }, 201, files.length === 1 ? { Location: files[0]!.links.self } : {});
      }
      if (outcome.bodyUnread) drainThenClose(incoming, options.refusalDrainBytes);
      await auditUploads(c, outcome.stored, outcome.error);
      const stored = outcome.stored.map((r) => ({ id: r.id, name: r.name }));
      const error =
        stored.length === 0
          ? outcome.error
          : new FileForgeError(outcome.error.code, outcome.error.message, {
              cause: outcome.error,
              details: { ...outcome.error.details, stored },
            });
      // Refusals are thrown and rendered by the app's error handler, like every route's.
      if (outcome.bodyUnread) c.header('Connection', 'close');
      throw error;
    },
  );
}
