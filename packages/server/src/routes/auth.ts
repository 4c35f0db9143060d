import { ErrorCode, FileForgeError } from '@fileforge/core';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { ACCESS_COOKIE, REFRESH_COOKIE } from '../auth/middleware.js';
import { principalOf } from '../auth/ownership.js';
import { type AuthService, publicUser, type Session } from '../auth/service.js';
import { type ApiApp, jsonResponse, secureRoute } from '../http/openapi.js';
import { audit, auditLogin, auditLoginFailed, userTarget } from '../middleware/audit.js';
import { Credentials, PasswordChangeBody, RefreshBody, SessionSchema, UserSchema } from '../schemas/auth.js';
import type { ServerEnv } from '../server-env.js';

const REFRESH_PATH = '/api/v1/auth';

/** Whether a request arrived over TLS (directly, or as a trusted proxy says). */
export type TlsCheck = (c: Context<ServerEnv>) => boolean;
const REFRESH_MAX_AGE = 14 * 24 * 3600;

/** Puts a session in HttpOnly, SameSite=Strict cookies (Secure behind TLS); the body carries no token. */
function sessionCookies(c: Context<ServerEnv>, session: Session, viaTls: TlsCheck) {
  const secure = viaTls(c);
  setCookie(c, ACCESS_COOKIE, session.accessToken, {
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    path: '/',
    maxAge: session.expiresIn,
  });
  setCookie(c, REFRESH_COOKIE, session.refreshToken, {
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    path: REFRESH_PATH,
    maxAge: REFRESH_MAX_AGE,
  });
  return { expiresIn: session.expiresIn, user: session.user };
}

/** `POST /api/v1/auth/login|refresh|logout|password`, `GET /api/v1/auth/me`. */
export function registerAuthRoutes(
  app: ApiApp,
  auth: AuthService,
  catalogUser: (id: string) => Promise<unknown>,
  viaTls: TlsCheck,
): void {
  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/auth/login',
      tags: ['Auth'],
      summary: 'Log in with email and password',
      description:
        'Returns a short-lived access token (JWT) and a refresh token. With `session: "cookie"` (the web page) both are set as HttpOnly cookies instead. ' +
        'An email may hold accounts in several tenants: without `tenant`, the account the password opens is used, and when it opens several the answer is 409 `TENANT_REQUIRED` with `details.tenants`. ' +
        'After repeated failures the email is locked for a doubling time (429 `RATE_LIMITED`, `Retry-After`); when too many password checks are in flight the answer is 503 `BUSY` (`Retry-After`).',
      request: { body: { required: true, content: { 'application/json': { schema: Credentials } } } },
      errors: [400, 401, 409, 503],
      responses: { 200: jsonResponse(SessionSchema, 'Logged in') },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const session = await auth
        .login(body.email, body.password, body.tenant ? { tenant: body.tenant } : {})
        .catch(auditLoginFailed(c, body.email, body.tenant));
      await auditLogin(c, session.user);
      return c.json(body.session === 'cookie' ? sessionCookies(c, session, viaTls) : session, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/auth/refresh',
      tags: ['Auth'],
      summary: 'Exchange a refresh token for a new session (the old token is spent)',
      request: { body: { required: false, content: { 'application/json': { schema: RefreshBody } } } },
      errors: [400, 401],
      responses: { 200: jsonResponse(SessionSchema, 'A new session') },
    }),
    async (c) => {
      const fromBody = c.req.valid('json')?.refreshToken;
      const token = fromBody ?? getCookie(c, REFRESH_COOKIE);
      if (!token) throw new FileForgeError(ErrorCode.UNAUTHENTICATED, 'No refresh token presented');
      const session = await auth.refresh(token);
      return c.json(fromBody ? session : sessionCookies(c, session, viaTls), 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/auth/logout',
      tags: ['Auth'],
      summary: 'Revoke the session a refresh token belongs to',
      request: { body: { required: false, content: { 'application/json': { schema: RefreshBody } } } },
      errors: [400],
      responses: { 204: { description: 'Logged out' } },
    }),
    async (c) => {
      const token = c.req.valid('json')?.refreshToken ?? getCookie(c, REFRESH_COOKIE);
      if (token) await auth.logout(token).then(() => audit(c, 'auth.logout'));
      deleteCookie(c, ACCESS_COOKIE, { path: '/' });
      deleteCookie(c, REFRESH_COOKIE, { path: REFRESH_PATH });
      return c.body(null, 204);
    },
  );

  app.openapi(
    secureRoute({
      method: 'post',
      path: '/api/v1/auth/password',
      tags: ['Auth'],
      summary: 'Change your own password',
      description:
        'A signed-in user changes their password by giving the current one (an API key may not: 403 `FORBIDDEN`, ' +
        'it would open a full session of its owner). ' +
        'Every session of the account ends (refresh tokens revoked) and a new session is returned, as at login; ' +
        'a wrong current password is 400 `VALIDATION_FAILED` on `currentPassword` and counts as a wrong login of the ' +
        'account (429 `RATE_LIMITED` while it is locked out).',
      request: { body: { required: true, content: { 'application/json': { schema: PasswordChangeBody } } } },
      errors: [400, 403, 429, 503],
      responses: { 200: jsonResponse(SessionSchema, 'Password changed; a fresh session') },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const principal = principalOf(c);
      if (principal.kind === 'api_key') {
        throw new FileForgeError(
          ErrorCode.FORBIDDEN,
          'An API key cannot change a password: sign in as the user to change it',
        );
      }
      const session = await auth.changePassword(principal.userId, body.currentPassword, body.newPassword);
      await audit(c, 'user.password', userTarget(session.user));
      return c.json(body.session === 'cookie' ? sessionCookies(c, session, viaTls) : session, 200);
    },
  );

  app.openapi(
    secureRoute({
      method: 'get',
      path: '/api/v1/auth/me',
      tags: ['Auth'],
      summary: 'Who am I',
      responses: {
        200: jsonResponse(
          z.object({
            kind: z.enum(['user', 'api_key']),
            role: z.string(),
            tenant: z.string(),
            user: UserSchema.nullable(),
          }),
          'The caller',
        ),
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      const user = (await catalogUser(principal.userId)) as Parameters<typeof publicUser>[0] | null;
      return c.json(
        {
          kind: principal.kind,
          role: principal.role,
          tenant: principal.tenant,
          user: user ? publicUser(user) : null,
        },
        200,
      );
    },
  );
}
