import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForge, type Role } from '@fileforge/core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer } from '../src/app.js';
import { type Permission, ROUTE_PERMISSIONS, type RouteKey } from '../src/auth/permissions.js';
import { type FileOwner, ROUTE_CASES, type RouteContext } from './support/access-routes.js';
import { ADMIN_FILE_CONTENT, noteProcessor, seedAccess } from './support/access-seed.js';
import {
  type ErrorBody,
  startAccessServer,
  stopAccessServers,
  TOKEN_SECRET,
} from './support/access-server.js';

/**
 * What each role may do inside its own tenant, as issue 3 and the security guide state it
 * (written out here rather than read from ROLE_GRANTS, so a wrong grant there fails).
 */
const GRANTED: Record<Role, readonly Permission[]> = {
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
    // Issue 12: the audit trail is read by admins only.
    'audit:read',
    // Issue 14: only admins set the tenant's quota.
    'tenant:manage',
    // Backups (the admin screen): admins only, of the default tenant.
    'backups:manage',
  ],
  // Issue 10: viewers read rules and workflows; editors change them and run, retry, undo, correct.
  editor: [
    'authenticated',
    'files:read',
    'files:write',
    'sorter:read',
    'sorter:write',
    'workflows:read',
    'workflows:write',
    // Issue 11: editors manage webhook subscriptions; connecting credentials is admin-only.
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

const CALLERS = {
  anonymous: undefined,
  viewer: { role: 'viewer', tenant: 'default' },
  editor: { role: 'editor', tenant: 'default' },
  admin: { role: 'admin', tenant: 'default' },
  otherTenantEditor: { role: 'editor', tenant: 'acme' },
  // API keys the default admin made (issue 7: a key is its own principal for ownership).
  adminsEditorKey: { role: 'editor', tenant: 'default' },
  adminsAdminKey: { role: 'admin', tenant: 'default' },
} as const satisfies Record<string, { role: Role; tenant: string } | undefined>;
type Caller = keyof typeof CALLERS;

const ERROR_CODE: Record<number, string> = {
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
};

const routes = Object.keys(ROUTE_PERMISSIONS) as RouteKey[];
const changesAFile = (route: RouteKey) =>
  ROUTE_PERMISSIONS[route] === 'files:write' && route.includes('{id}');

/** The status a caller must get, derived from the route's permission, the caller's role and tenant, and ownership. */
function expectedStatus(route: RouteKey, caller: Caller, owner: FileOwner): number {
  const permission: Permission = ROUTE_PERMISSIONS[route];
  const { status } = ROUTE_CASES[route];
  if (permission === 'public') return status;
  const identity = CALLERS[caller];
  if (!identity) return 401;
  if (!GRANTED[identity.role].includes(permission)) return 403;
  // A password is changed by its user only: a key would open a full session of its owner.
  if (route === 'POST /api/v1/auth/password' && caller.endsWith('Key')) return 403;
  // Backups hold every tenant's files: admins of other tenants are refused.
  if (permission === 'backups:manage' && identity.tenant !== 'default') return 403;
  // Every {id} or {runId} target lives in tenant `default`: elsewhere it answers like a missing one.
  // A connector {slug} (and its {action}) names a kind of thing, not a tenant's object.
  const tenantTarget = route.replace(/\{(slug|action)\}/g, '').includes('{');
  if (tenantTarget && identity.tenant !== 'default') return 404;
  if (changesAFile(route) && identity.role === 'editor' && owner !== caller) return 403;
  return status;
}

const cells = routes.flatMap((route) =>
  (Object.keys(CALLERS) as Caller[]).flatMap((caller) =>
    (changesAFile(route) ? (['admin', 'editor', 'adminsEditorKey'] as const) : (['admin'] as const)).map(
      (owner) => ({
        route,
        caller,
        owner,
        expected: expectedStatus(route, caller, owner),
      }),
    ),
  ),
);

/** The credential a caller presents: a seeded user's access token or a seeded API key. */
function credentialOf(caller: Caller): string | undefined {
  if (caller === 'anonymous') return undefined;
  if (caller === 'adminsEditorKey' || caller === 'adminsAdminKey') return ctx.seed.keys[caller].key;
  return ctx.seed.accounts[caller].accessToken;
}

let ctx: RouteContext;

beforeAll(async () => {
  // A watched folder, so the rescan route has something to scan (issue 10).
  const watched = await mkdtemp(join(tmpdir(), 'fileforge-access-watch-'));
  watchDirs.push(watched);
  const server = await startAccessServer({
    forge: { processors: [noteProcessor], watch: { folder: watched } },
    integrations: true,
  });
  ctx = { ...server, seed: await seedAccess(server) };
});
afterAll(async () => {
  await stopAccessServers();
  await Promise.all(watchDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
const watchDirs: string[] = [];

describe('access matrix: every /api/v1 route × caller', () => {
  for (const { route, caller, owner, expected } of cells) {
    const target = changesAFile(route) ? ` on the ${owner}'s file` : '';
    it(`${route} as ${caller}${target} → ${expected}`, async () => {
      const routeCase = ROUTE_CASES[route];
      if (!routeCase) throw new Error(`${route} has no request case in test/support/access-routes.ts`);
      const { path, init = {} } = await routeCase.request(ctx, owner);
      const headers = new Headers(init.headers);
      const credential = credentialOf(caller);
      if (credential) headers.set('Authorization', `Bearer ${credential}`);

      const res = await fetch(`${ctx.url}${path}`, { ...init, headers });
      // An event stream never ends by itself: its headers are the answer.
      let text = '';
      if (res.headers.get('content-type')?.startsWith('text/event-stream')) await res.body?.cancel();
      else text = await res.text();
      expect(res.status, `${route} as ${caller}: ${text}`).toBe(expected);
      const code = ERROR_CODE[expected];
      if (code && init.method !== 'HEAD') expect((JSON.parse(text) as ErrorBody).error.code).toBe(code);
      if (expected === 401 && ROUTE_PERMISSIONS[route] !== 'public') {
        expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer realm="fileforge"/);
      }
    });
  }

  it("answers another tenant's admin 404 for this tenant's users and keys, exactly like missing ones", async () => {
    const { url, seed } = ctx;
    const intruder = { Authorization: `Bearer ${seed.accounts.otherTenantAdmin.accessToken}` };
    const key = await ctx.server.auth.createApiKey(seed.accounts.admin.principal, {
      name: 'victim',
      role: 'viewer',
    });
    const attempts = [
      {
        path: `/api/v1/users/${seed.accounts.viewer.id}`,
        method: 'PATCH',
        body: JSON.stringify({ role: 'admin' }),
      },
      { path: `/api/v1/users/${seed.accounts.viewer.id}`, method: 'DELETE' },
      { path: `/api/v1/api-keys/${key.id}`, method: 'DELETE' },
      { path: `/api/v1/files/${seed.editorFile.id}`, method: 'DELETE' },
    ];
    for (const { path, ...init } of attempts) {
      const res = await fetch(`${url}${path}`, {
        ...init,
        headers: { ...intruder, 'Content-Type': 'application/json' },
      });
      expect(res.status, `${init.method} ${path}`).toBe(404);
      const missing = await fetch(`${url}${path.replace(/[^/]+$/, '01m89x19j1mxtrcxkbagdagbb0')}`, {
        ...init,
        headers: { ...intruder, 'Content-Type': 'application/json' },
      });
      expect(missing.status).toBe(404);
      expect(((await res.json()) as ErrorBody).error.code).toBe(
        ((await missing.json()) as ErrorBody).error.code,
      );
    }
    // Nothing was changed: the viewer is still a viewer and the key still works.
    const users = await fetch(`${url}/api/v1/users`, {
      headers: { Authorization: `Bearer ${seed.accounts.admin.accessToken}` },
    });
    const { items } = (await users.json()) as { items: { id: string; role: string }[] };
    expect(items.find((u) => u.id === seed.accounts.viewer.id)?.role).toBe('viewer');
    expect((await fetch(`${url}/api/v1/files`, { headers: { 'X-API-Key': key.key } })).status).toBe(200);
  });
});

describe('HEAD /api/v1/files/{id}/download', () => {
  it('answers with the download headers without opening the stored bytes', async () => {
    // Regression: Hono routes HEAD to the GET handler, which opened a blob stream that nobody
    // read or closed: every HEAD left a file descriptor open until garbage collection.
    const open = vi.spyOn(ctx.forge.files, 'open');
    try {
      const res = await fetch(`${ctx.url}/api/v1/files/${ctx.seed.adminFile.id}/download`, {
        method: 'HEAD',
        headers: { Authorization: `Bearer ${ctx.seed.accounts.viewer.accessToken}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Length')).toBe(String(ADMIN_FILE_CONTENT.length));
      expect(res.headers.get('ETag')).toMatch(/^"[0-9a-f]{64}"$/);
      expect(open).not.toHaveBeenCalled();
    } finally {
      open.mockRestore();
    }
  });
});

describe('the permission table covers exactly the registered routes', () => {
  it('has an entry for every /api/v1 method and path the app registers, and registers every entry', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-access-routes-'));
    const forge = await createForge({ dataDir });
    const { app, close } = await createServer(forge, {
      tokens: { secret: TOKEN_SECRET },
      logger: pino({ level: 'silent' }),
    });
    try {
      const registered = new Set(
        app.routes
          .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/v1'))
          .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`),
      );
      const table = new Set(Object.keys(ROUTE_PERMISSIONS));
      expect(registered.size).toBeGreaterThan(10);
      expect(
        [...registered].filter((r) => !table.has(r)),
        'registered without a ROUTE_PERMISSIONS entry',
      ).toEqual([]);
      expect(
        [...table].filter((r) => !registered.has(r)),
        'in ROUTE_PERMISSIONS but not registered',
      ).toEqual([]);
    } finally {
      await close();
      await forge.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
