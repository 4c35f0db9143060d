import { ErrorCode, FileForgeError } from '@fileforge/core';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { errorResponse } from '../errors/respond.js';
import type { ServerEnv } from '../server-env.js';
import { type Permission, roleAllows } from './permissions.js';
import type { AuthService } from './service.js';

/** Name of the HttpOnly cookie holding the web page's access token. */
export const ACCESS_COOKIE = 'ff_at';
/** Name of the HttpOnly cookie holding the web page's refresh token (path `/api/v1/auth`). */
export const REFRESH_COOKIE = 'ff_rt';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function presentedCredential(c: Parameters<MiddlewareHandler<ServerEnv>>[0]) {
  const header = c.req.header('Authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return { credential: match?.[1] ?? '', source: 'header' as const };
  }
  const apiKey = c.req.header('X-API-Key');
  if (apiKey) return { credential: apiKey, source: 'header' as const };
  const cookie = getCookie(c, ACCESS_COOKIE);
  if (cookie) return { credential: cookie, source: 'cookie' as const };
  return undefined;
}

/**
 * Resolves the caller from `Authorization: Bearer <access token | API key>`, `X-API-Key`, or
 * the web page's session cookie. It never answers by itself: it records the principal, or why
 * the credential was refused, so rate limiting can count the attempt before
 * {@link requirePermission} answers 401.
 */
export function authenticate(auth: AuthService): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const presented = presentedCredential(c);
    if (presented) {
      c.set('credentialSource', presented.source);
      try {
        c.set('principal', await auth.authenticate(presented.credential));
      } catch (error) {
        // A catalog that cannot answer (PostgreSQL lost, say) is kept as it is: routes that
        // need the caller answer 503, not a 401 telling clients their credentials are bad.
        c.set(
          'authError',
          FileForgeError.is(error) &&
            (error.code === ErrorCode.UNAUTHENTICATED || error.code === ErrorCode.CATALOG_UNAVAILABLE)
            ? error
            : new FileForgeError(ErrorCode.UNAUTHENTICATED, 'Invalid credentials', { cause: error }),
        );
      }
    }
    await next();
  };
}

function sameOrigin(c: Parameters<MiddlewareHandler<ServerEnv>>[0]): boolean {
  const fetchSite = c.req.header('Sec-Fetch-Site');
  if (fetchSite) return fetchSite === 'same-origin';
  const origin = c.req.header('Origin');
  return origin !== undefined && origin === new URL(c.req.url).origin;
}

/**
 * Enforces one entry of the permission table: 401 (with `WWW-Authenticate`) without valid
 * credentials, 403 when the role lacks the permission or when a cookie-authenticated
 * state-changing request does not come from this origin (CSRF).
 */
export function requirePermission(permission: Permission): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    if (permission === 'public') return next();
    const principal = c.get('principal');
    const refused = c.get('authError');
    if (!principal) {
      if (refused && refused.code !== ErrorCode.UNAUTHENTICATED) return errorResponse(c, refused);
      const error = refused ?? new FileForgeError(ErrorCode.UNAUTHENTICATED, 'Authentication required');
      const challenge = refused
        ? 'Bearer realm="fileforge", error="invalid_token"'
        : 'Bearer realm="fileforge"';
      return errorResponse(c, error, { 'WWW-Authenticate': challenge });
    }
    if (c.get('credentialSource') === 'cookie' && !SAFE_METHODS.has(c.req.method) && !sameOrigin(c)) {
      return errorResponse(c, new FileForgeError(ErrorCode.FORBIDDEN, 'Cross-site request refused'));
    }
    if (!roleAllows(principal.role, permission)) {
      return errorResponse(
        c,
        new FileForgeError(ErrorCode.FORBIDDEN, `The ${principal.role} role may not do this`),
      );
    }
    return next();
  };
}
