import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { RequestStats } from '../observability/stats.js';

/**
 * Logs one line per request (never query strings or headers, which may carry secrets) and counts
 * it. A server error (5xx) also gets one `error` line with its cause (`c.error`: what the app's
 * error handler or `errorResponse` answered), wherever it was answered; a 4xx gets none.
 */
export function accessLog(logger: Logger, stats: RequestStats): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const ms = performance.now() - started;
    const requestId = c.get('requestId');
    stats.requests++;
    stats.totalMs += ms;
    if (c.res.status >= 500) stats.errors++;
    if (c.res.status >= 500 && c.error) logger.error({ err: c.error, requestId }, 'request failed');
    logger.info(
      {
        requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(ms),
      },
      'request',
    );
  };
}
