import { ErrorCode, FileForgeError } from '@fileforge/core';
import type { Hook } from '@hono/zod-openapi';
import { createRoute, type RouteConfig, z } from '@hono/zod-openapi';
import { requirePermission } from '../auth/middleware.js';
import { type Permission, permissionOf } from '../auth/permissions.js';
import { ERROR_STATUS } from '../errors/status.js';
import type { ServerEnv } from '../server-env.js';

/** The one error body, as the OpenAPI document describes it. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'NOT_FOUND' }),
      message: z.string(),
      requestId: z.string().optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi('Error');

function codesFor(status: number): string {
  return Object.entries(ERROR_STATUS)
    .filter(([, s]) => s === status)
    .map(([code]) => code)
    .join(', ');
}

/** OpenAPI responses for the given error statuses (each lists the codes that answer with it). */
export function errorResponses(statuses: readonly number[]) {
  return Object.fromEntries(
    [...new Set(statuses)].map((status) => [
      status,
      { description: `Error: ${codesFor(status)}`, content: { 'application/json': { schema: ErrorSchema } } },
    ]),
  );
}

function standardStatuses(permission: Permission): number[] {
  const statuses = [429, 500];
  if (permission !== 'public') statuses.push(401);
  if (permission !== 'public' && permission !== 'authenticated') statuses.push(403);
  return statuses;
}

/**
 * What validating the request can answer: a body is refused when it is too large (413), of
 * another type (415) or invalid (400); parameters, a query or headers when invalid (400).
 */
function requestStatuses(request: RouteConfig['request']): number[] {
  const statuses: number[] = [];
  if (request?.body) statuses.push(400, 413, 415);
  if (request?.params || request?.query || request?.headers) statuses.push(400);
  return statuses;
}

/** A route definition plus the error statuses specific to it. */
export type SecureRouteConfig = Omit<RouteConfig, 'middleware'> & { errors?: readonly number[] };

/**
 * Defines an `/api/v1` route: looks its permission up in the permission table (a route
 * without an entry cannot be defined), puts the permission check in front of validation, and
 * documents every error response it can give.
 */
export function secureRoute<R extends SecureRouteConfig>({ errors = [], ...route }: R) {
  const permission = permissionOf(route.method, route.path);
  if (!permission) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      `[fileforge:server] ${route.method.toUpperCase()} ${route.path} has no entry in ROUTE_PERMISSIONS`,
    );
  }
  const config = {
    ...route,
    middleware: requirePermission(permission),
    responses: {
      ...errorResponses([...standardStatuses(permission), ...requestStatuses(route.request), ...errors]),
      ...route.responses,
    },
    ...(permission === 'public' ? {} : { security: [{ bearer: [] }, { apiKey: [] }] }),
  };
  return createRoute(
    config as unknown as Omit<R, 'errors'> & { middleware: ReturnType<typeof requirePermission> },
  );
}

/**
 * Defines a route outside `/api/v1` (health, metrics, documentation, the web page): public
 * by design, documented like every other route.
 */
export function publicRoute<R extends RouteConfig>(route: R): R {
  if (route.path.startsWith('/api/')) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      `[fileforge:server] ${route.path} must be defined with secureRoute()`,
    );
  }
  const statuses = requestStatuses(route.request);
  if (statuses.length === 0) return createRoute(route) as R;
  return createRoute({ ...route, responses: { ...errorResponses(statuses), ...route.responses } }) as R;
}

/** Answers a failed request validation with 400 `VALIDATION_FAILED` and the field paths. */
export const validationHook: Hook<unknown, ServerEnv, string, void> = (result) => {
  if (result.success) return;
  throw new FileForgeError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', {
    details: {
      fields: result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    },
  });
};

/** The app every route module registers on. */
export type ApiApp = import('@hono/zod-openapi').OpenAPIHono<ServerEnv>;

/** An OpenAPI response with a JSON body of `schema`. */
export const jsonResponse = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
