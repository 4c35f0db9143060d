import type { Role } from '@fileforge/core';

/** What a route requires. `public` needs nothing; `authenticated` any valid credential. */
export type Permission =
  | 'public'
  | 'authenticated'
  | 'files:read'
  | 'files:write'
  | 'sorter:read'
  | 'sorter:write'
  | 'workflows:read'
  | 'workflows:write'
  | 'integrations:read'
  | 'integrations:write'
  | 'webhooks:read'
  | 'webhooks:write'
  | 'watch:manage'
  | 'users:manage'
  | 'keys:manage'
  | 'audit:read'
  | 'backups:manage'
  | 'tenant:manage';

/**
 * THE permission table: every `/api/v1` route, by method and OpenAPI path, and what it
 * requires. The middleware enforces exactly this, `docs/security-guide.md` renders it, and a
 * route missing from it cannot be registered. Ownership applies on top of `files:write`:
 * editors change only files they uploaded, admins any file in their tenant. Rules, workflows,
 * sort runs and categories belong to the tenant, not to one user: `sorter:write` and
 * `workflows:write` let an editor change any of them in its tenant. Webhook subscriptions
 * belong to the tenant too (`webhooks:write`: editors manage them). Connector credentials
 * are the tenant's keys to other systems: `integrations:write` (connect, disconnect, test,
 * run actions) is admin-only; `integrations:read` (the list and each connector's status,
 * never a credential) is every role's. The audit trail (`audit:read`) and the tenant's quota (`tenant:manage`) are admin-only. Backups (`backups:manage`) hold every tenant's files: admins only, and the routes also refuse admins of tenants other than `default`.
 */
export const ROUTE_PERMISSIONS = {
  'GET /api/v1/setup': 'public',
  'POST /api/v1/setup': 'public',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/refresh': 'public',
  'POST /api/v1/auth/logout': 'public',
  'GET /api/v1/auth/me': 'authenticated',
  'POST /api/v1/auth/password': 'authenticated',
  'GET /api/v1/files': 'files:read',
  'GET /api/v1/events': 'files:read',
  'POST /api/v1/files': 'files:write',
  'GET /api/v1/files/{id}': 'files:read',
  'DELETE /api/v1/files/{id}': 'files:write',
  'GET /api/v1/files/{id}/download': 'files:read',
  'HEAD /api/v1/files/{id}/download': 'files:read',
  'GET /api/v1/files/{id}/derivatives': 'files:read',
  'GET /api/v1/files/{id}/derivatives/{name}': 'files:read',
  'POST /api/v1/files/{id}/reprocess': 'files:write',
  'POST /api/v1/files/bulk': 'files:write',
  'GET /api/v1/files/{id}/history': 'files:read',
  'OPTIONS /api/v1/uploads': 'public',
  'POST /api/v1/uploads': 'files:write',
  'HEAD /api/v1/uploads/{id}': 'files:write',
  'PATCH /api/v1/uploads/{id}': 'files:write',
  'DELETE /api/v1/uploads/{id}': 'files:write',
  'GET /api/v1/uploads/{id}': 'files:read',
  'GET /api/v1/tenants/current/usage': 'files:read',
  'PUT /api/v1/tenants/current/quota': 'tenant:manage',
  'GET /api/v1/users': 'users:manage',
  'POST /api/v1/users': 'users:manage',
  'PATCH /api/v1/users/{id}': 'users:manage',
  'DELETE /api/v1/users/{id}': 'users:manage',
  'GET /api/v1/api-keys': 'keys:manage',
  'POST /api/v1/api-keys': 'keys:manage',
  'DELETE /api/v1/api-keys/{id}': 'keys:manage',
  'GET /api/v1/sorter/rules': 'sorter:read',
  'POST /api/v1/sorter/rules': 'sorter:write',
  'GET /api/v1/sorter/rules/schema': 'sorter:read',
  'GET /api/v1/sorter/rules/{id}': 'sorter:read',
  'PUT /api/v1/sorter/rules/{id}': 'sorter:write',
  'DELETE /api/v1/sorter/rules/{id}': 'sorter:write',
  'POST /api/v1/sorter/simulate': 'sorter:read',
  'GET /api/v1/sorter/runs': 'sorter:read',
  'POST /api/v1/sorter/runs': 'sorter:write',
  'GET /api/v1/sorter/runs/{runId}': 'sorter:read',
  'POST /api/v1/sorter/runs/{runId}/undo': 'sorter:write',
  'GET /api/v1/files/{id}/classification': 'sorter:read',
  'POST /api/v1/files/{id}/classification': 'sorter:write',
  'GET /api/v1/review': 'sorter:read',
  'POST /api/v1/classifier/train': 'sorter:write',
  'GET /api/v1/folders': 'sorter:read',
  'GET /api/v1/workflows': 'workflows:read',
  'POST /api/v1/workflows': 'workflows:write',
  'POST /api/v1/workflows/lint': 'workflows:read',
  'GET /api/v1/workflows/{id}': 'workflows:read',
  'PUT /api/v1/workflows/{id}': 'workflows:write',
  'DELETE /api/v1/workflows/{id}': 'workflows:write',
  'GET /api/v1/workflows/{id}/runs': 'workflows:read',
  'POST /api/v1/workflows/{id}/runs': 'workflows:write',
  'GET /api/v1/workflows/{id}/runs/{runId}': 'workflows:read',
  'POST /api/v1/workflows/{id}/runs/{runId}/retry': 'workflows:write',
  'POST /api/v1/workflows/{id}/runs/{runId}/cancel': 'workflows:write',
  'POST /api/v1/watch/rescan': 'watch:manage',
  'GET /api/v1/integrations': 'integrations:read',
  'POST /api/v1/integrations/connect/{slug}': 'integrations:write',
  'DELETE /api/v1/integrations/{slug}': 'integrations:write',
  'GET /api/v1/integrations/{slug}/status': 'integrations:read',
  'POST /api/v1/integrations/{slug}/test': 'integrations:write',
  'POST /api/v1/integrations/{slug}/actions/{action}': 'integrations:write',
  'GET /api/v1/integrations/webhooks': 'webhooks:read',
  'POST /api/v1/integrations/webhooks': 'webhooks:write',
  'GET /api/v1/integrations/webhooks/{id}': 'webhooks:read',
  'PATCH /api/v1/integrations/webhooks/{id}': 'webhooks:write',
  'DELETE /api/v1/integrations/webhooks/{id}': 'webhooks:write',
  'POST /api/v1/integrations/webhooks/{id}/test': 'webhooks:write',
  'GET /api/v1/integrations/webhooks/{id}/deliveries': 'webhooks:read',
  'POST /api/v1/integrations/webhooks/{id}/deliveries/{attemptId}/resend': 'webhooks:write',
  'POST /api/v1/integrations/webhooks/{id}/rotate-secret': 'webhooks:write',
  'GET /api/v1/audit': 'audit:read',
  'GET /api/v1/backups': 'backups:manage',
  'POST /api/v1/backups': 'backups:manage',
  'GET /api/v1/backups/{name}': 'backups:manage',
} as const satisfies Record<string, Permission>;

/** A key of {@link ROUTE_PERMISSIONS}: `METHOD /openapi/path`. */
export type RouteKey = keyof typeof ROUTE_PERMISSIONS;

/** What each role is granted inside its own tenant. */
export const ROLE_GRANTS: Record<Role, readonly Permission[]> = {
  admin: [
    'authenticated',
    'files:read',
    'files:write',
    'sorter:read',
    'sorter:write',
    'workflows:read',
    'workflows:write',
    'integrations:read',
    'integrations:write',
    'webhooks:read',
    'webhooks:write',
    'watch:manage',
    'users:manage',
    'keys:manage',
    'audit:read',
    'backups:manage',
    'tenant:manage',
  ],
  editor: [
    'authenticated',
    'files:read',
    'files:write',
    'sorter:read',
    'sorter:write',
    'workflows:read',
    'workflows:write',
    'integrations:read',
    'webhooks:read',
    'webhooks:write',
  ],
  viewer: [
    'authenticated',
    'files:read',
    'sorter:read',
    'workflows:read',
    'integrations:read',
    'webhooks:read',
  ],
};

/** True when `role` holds `permission`. */
export function roleAllows(role: Role, permission: Permission): boolean {
  return permission === 'public' || ROLE_GRANTS[role].includes(permission);
}

/** The permission of a route, or `undefined` when the table has no entry. */
export function permissionOf(method: string, openApiPath: string): Permission | undefined {
  return (ROUTE_PERMISSIONS as Record<string, Permission>)[`${method.toUpperCase()} ${openApiPath}`];
}
