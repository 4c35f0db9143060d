import type { Forge } from '@fileforge/core';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { errorResponse, notFound } from './errors/respond.js';
import { createLogger } from './logger.js';
import { accessLog } from './middleware/access-log.js';
import { createRequestStats } from './observability/stats.js';
import type { ServerOptions } from './options.js';
import { downloadRoutes } from './routes/download.js';
import { filesRoutes } from './routes/files.js';
import { healthRoutes } from './routes/health.js';
import { pageRoutes } from './routes/page.js';
import { uploadRoutes } from './routes/upload.js';
import type { ServerEnv } from './server-env.js';
import { SERVER_VERSION } from './version.js';

/**
 * Builds the FileForge HTTP API (a Hono app) over a forge. Run it with `startServer()` or
 * any Hono adapter for Node (uploads read the Node request directly, so Node is required).
 *
 * @example
 * ```ts
 * const forge = await createForge({ processors: defaultProcessors() });
 * const app = createServer(forge);
 * serve({ fetch: app.fetch, port: 8000 });
 * ```
 */
export function createServer(forge: Forge, options: ServerOptions = {}) {
  const logger = options.logger ?? createLogger();
  const stats = createRequestStats();
  const app = new Hono<ServerEnv>();

  app.use(requestId());
  app.use(accessLog(logger, stats));
  app.use(async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    if (!c.res.headers.has('Content-Security-Policy'))
      c.header('Content-Security-Policy', "frame-ancestors 'none'");
  });

  app.route('/', healthRoutes(forge, stats, options.version ?? SERVER_VERSION));
  app.route('/', pageRoutes(forge));
  app.route(
    '/api/v1/files',
    uploadRoutes(forge, {
      maxFilesPerRequest: options.maxFilesPerRequest ?? 20,
      refusalDrainBytes: options.refusalDrainBytes ?? 1024 * 1024,
      isDraining: options.isDraining ?? (() => false),
    }),
  );
  app.route('/api/v1/files', downloadRoutes(forge));
  app.route('/api/v1/files', filesRoutes(forge));

  app.notFound((c) => errorResponse(c, notFound('Route')));
  app.onError((error, c) => {
    const response = errorResponse(c, error);
    if (response.status >= 500) logger.error({ err: error, requestId: c.get('requestId') }, 'request failed');
    return response;
  });
  return app;
}

/** The app type, for typed clients. */
export type FileForgeApp = ReturnType<typeof createServer>;
