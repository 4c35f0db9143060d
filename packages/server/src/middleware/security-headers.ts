import type { MiddlewareHandler } from 'hono';

/**
 * Security headers on every response: `nosniff`, no framing, no referrer, a deny-all CSP
 * unless the route set its own (pages and downloads do), and HSTS when the request arrived
 * over TLS (directly or through a trusted proxy that says so).
 */
export function securityHeaders(options: {
  behindTls: (url: string, forwardedProto?: string) => boolean;
}): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    if (!c.res.headers.has('Content-Security-Policy')) {
      c.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    }
    if (options.behindTls(c.req.url, c.req.header('X-Forwarded-Proto'))) {
      c.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    }
  };
}
