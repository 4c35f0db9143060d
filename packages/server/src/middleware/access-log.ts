import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { RequestStats } from '../observability/stats.js';

/** Logs one line per request (never query strings or headers, which may carry secrets) and counts it. */
export function accessLog(logger: Logger, stats: RequestStats): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const ms = performance.now() - started;
    stats.requests++;
    stats.totalMs += ms;
    if (c.res.status >= 500) stats.errors++;
    logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(ms),
      },
      'request',
    );
  };
}
