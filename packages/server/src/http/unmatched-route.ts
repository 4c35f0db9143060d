import { ErrorCode, FileForgeError } from '@fileforge/core';
import type { Context } from 'hono';
import { TrieRouter } from 'hono/router/trie-router';
import type { RouterRoute } from 'hono/types';
import { errorResponse, notFound } from '../errors/respond.js';

/** The order methods are listed in `Allow`. */
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** `app.use()` registers middleware as method `ALL` on a wildcard path; endpoints have a method. */
const isEndpoint = (route: RouterRoute) => route.method !== 'ALL';

/**
 * Answers what no route matched: 405 `METHOD_NOT_ALLOWED` with `Allow` (RFC 9110) when the
 * path has routes under other methods, 404 `NOT_FOUND` otherwise. The methods come from the
 * app's own route table, matched by a router of the same syntax, so the answer cannot drift
 * from the routes. Hono answers `HEAD` with the `GET` route, so `GET` implies `HEAD`.
 *
 * @param routes the app's route table (`app.routes`), read when the first request needs it
 * (every route is registered by then) and again whenever it has grown.
 * @example
 * ```ts
 * app.notFound(createUnmatchedHandler(() => app.routes));
 * ```
 */
export function createUnmatchedHandler(routes: () => readonly RouterRoute[]): (c: Context) => Response {
  let router: TrieRouter<string> | undefined;
  let seen = -1;

  const allowedMethods = (path: string): string[] => {
    const table = routes();
    if (!router || seen !== table.length) {
      router = new TrieRouter<string>();
      // Each endpoint under `ALL`, its method as the handler: one match lists every method.
      for (const route of table) if (isEndpoint(route)) router.add('ALL', route.path, route.method);
      seen = table.length;
    }
    const methods = new Set(router.match('GET', path)[0].map(([method]) => method));
    if (methods.has('GET')) methods.add('HEAD');
    return METHOD_ORDER.filter((m) => methods.has(m));
  };

  return (c) => {
    const allow = allowedMethods(c.req.path);
    // A matched route may still say "not found" (`c.notFound()`): that stays a 404.
    const method = c.req.method.toUpperCase();
    if (allow.length === 0 || allow.includes(method)) return errorResponse(c, notFound('Route'));
    const error = new FileForgeError(
      ErrorCode.METHOD_NOT_ALLOWED,
      `${method} is not allowed on ${c.req.path}; it accepts ${allow.join(', ')}`,
      { details: { allow } },
    );
    return errorResponse(c, error, { Allow: allow.join(', ') });
  };
}
