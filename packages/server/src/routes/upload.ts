import type { IncomingMessage } from 'node:http';
import type { Forge } from '@fileforge/core';
import { ErrorCode, FileForgeError } from '@fileforge/core';
import { Hono } from 'hono';
import { errorResponse } from '../errors/respond.js';
import { fileResource } from '../http/resource.js';
import type { ServerEnv } from '../server-env.js';
import { receiveUpload } from '../upload/receive.js';

/** Options for {@link uploadRoutes}. */
export interface UploadRouteOptions {
  maxFilesPerRequest: number;
  refusalDrainBytes: number;
  isDraining: () => boolean;
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
export function uploadRoutes(forge: Forge, options: UploadRouteOptions) {
  const app = new Hono<ServerEnv>();
  app.post('/', async (c) => {
    const incoming = c.env.incoming;
    if (forge.closing || options.isDraining()) {
      drainThenClose(incoming, options.refusalDrainBytes);
      return errorResponse(c, new FileForgeError(ErrorCode.SHUTTING_DOWN, 'Shutting down'), {
        Connection: 'close',
      });
    }
    const outcome = await receiveUpload(forge, incoming, {
      maxFileSize: forge.options.maxFileSize,
      maxFiles: options.maxFilesPerRequest,
    });
    if (outcome.ok) {
      const files = outcome.files.map(fileResource);
      return c.json({ files }, 201, files.length === 1 ? { Location: files[0]!.links.self } : {});
    }
    if (outcome.bodyUnread) drainThenClose(incoming, options.refusalDrainBytes);
    const stored = outcome.stored.map((r) => ({ id: r.id, name: r.name }));
    const error =
      stored.length === 0
        ? outcome.error
        : new FileForgeError(outcome.error.code, outcome.error.message, {
            cause: outcome.error,
            details: { ...outcome.error.details, stored },
          });
    return errorResponse(c, error, outcome.bodyUnread ? { Connection: 'close' } : {});
  });
  return app;
}
