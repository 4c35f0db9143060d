import type { Context, MiddlewareHandler } from 'hono';

/**
 * Security headers on every response: `nosniff`, no framing, no referrer, a deny-all CSP
 * unless the route set its own (pages and downloads do), and HSTS when the request arrived
 * over TLS (directly or through a trusted proxy that says so).
 */
export function securityHeaders(options: { viaTls: (c: Context) => boolean }): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    if (!c.res.headers.has('Content-Security-Policy')) {
      c.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    }
    if (options.viaTls(c)) {
      c.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    }
  };
}
