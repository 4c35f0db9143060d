/**
 * One minimal valid request per `/api/v1` route, keyed like `ROUTE_PERMISSIONS`, for the
 * generated access matrix. Every call builds its own throwaway target (a file, user or API
 * key) where the route changes or deletes one, so the matrix runs in any order and no cell
 * depends on another.
 *
 * @module
 */
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { RouteKey } from '../../src/auth/permissions.js';
import { NOTE_DERIVATIVE, PASSWORD, type Seed } from './access-seed.js';
import { type AccessServer, jsonBody, uploadForm } from './access-server.js';

/** The server and its seeded accounts and files. */
export interface RouteContext extends AccessServer {
  seed: Seed;
}

/** Whose file a file-changing route acts on: a user's upload, or one made through the admin's editor key. */
export type FileOwner = 'admin' | 'editor' | 'adminsEditorKey';

/** A request to send (the caller's credential is added by the matrix). */
export interface RouteRequest {
  path: string;
  init?: RequestInit;
}

/** How to call one route and what a caller allowed to call it gets. */
export interface RouteCase {
  /** Status of a permitted call; for a public route, what every caller gets. */
  status: number;
  /** Builds a fresh request; `owner` matters only to routes that change a file. */
  request(ctx: RouteContext, owner: FileOwner): Promise<RouteRequest> | RouteRequest;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}-${Date.now().toString(36)}`;

/** A file in tenant `default` owned by the seeded `owner`, stored directly through the forge. */
async function throwawayFile({ forge, seed }: RouteContext, owner: FileOwner): Promise<string> {
  const content = Readable.from([Buffer.from(unique('throwaway content'))]);
  const throughKey = owner === 'adminsEditorKey';
  const record = await forge.ingest(content, {
    name: `${unique('throwaway')}.txt`,
    tenant: 'default',
    ownerId: seed.accounts[throughKey ? 'admin' : owner].id,
    apiKeyId: throughKey ? seed.keys.adminsEditorKey.id : null,
  });
  return record.id;
}

/** A fresh resumable upload (5 bytes declared, none sent) in tenant `default` created by `owner`. */
async function throwawayUpload({ url, seed }: RouteContext, owner: FileOwner): Promise<string> {
  const credential =
    owner === 'adminsEditorKey' ? seed.keys.adminsEditorKey.key : seed.accounts[owner].accessToken;
  const res = await fetch(`${url}/api/v1/uploads`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${credential}`, 'Tus-Resumable': '1.0.0', 'Upload-Length': '5' },
  });
  const location = res.headers.get('location');
  if (res.status !== 201 || !location)
    throw new Error(`upload creation answered ${res.status}: ${await res.text()}`);
  return location;
}

const TUS_HEADERS = { 'Tus-Resumable': '1.0.0' };

async function throwawayUser({ server }: RouteContext): Promise<string> {
  const email = `${unique('temp')}@default.example`;
  return (await server.auth.createUser({ email, password: PASSWORD, role: 'editor', tenant: 'default' })).id;
}

async function throwawayKey({ server, seed }: RouteContext): Promise<string> {
  return (
    await server.auth.createApiKey(seed.accounts.admin.principal, {
      name: unique('temp-key'),
      role: 'viewer',
    })
  ).id;
}

async function freshRefreshToken({ server, seed }: RouteContext): Promise<string> {
  return (await server.auth.login(seed.accounts.editor.email, PASSWORD)).refreshToken;
}

/** A rule saved in tenant `default` for a route that reads, replaces or deletes one. */
async function throwawayRule({ forge }: RouteContext): Promise<string> {
  const id = unique('rule');
  await forge.sorter.rules.put('default', { id, category: 'matrix' });
  return id;
}

/** Step kinds of the matrix's workflows: one that fails at once, one that waits until cancelled. */
function registerMatrixSteps({ forge }: RouteContext): void {
  if (stepsRegistered.has(forge)) return;
  stepsRegistered.add(forge);
  forge.workflows.registerStep({
    name: 'matrix.fail',
    options: z.object({}),
    run: async () => {
      throw new Error('fails on purpose');
    },
  });
  forge.workflows.registerStep({
    name: 'matrix.wait',
    options: z.object({}),
    run: (context) =>
      new Promise((_resolve, reject) => {
        context.signal.addEventListener('abort', () => reject(context.signal.reason), { once: true });
      }),
  });
}
const stepsRegistered = new WeakSet<object>();

/** A workflow in tenant `default` whose one step uses `kind`. */
async function throwawayWorkflow(ctx: RouteContext, kind = 'matrix.fail'): Promise<string> {
  registerMatrixSteps(ctx);
  const workflow = await ctx.forge.workflows.define(
    { name: unique('workflow'), on: { manual: true }, steps: { only: { uses: kind } } },
    { tenant: 'default' },
  );
  return workflow.id;
}

/** A run of a fresh workflow, once it reached one of `statuses`. */
async function throwawayRun(ctx: RouteContext, kind: string, statuses: readonly string[]) {
  const workflowId = await throwawayWorkflow(ctx, kind);
  const run = await ctx.forge.workflows.run(workflowId, { tenant: 'default' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const now = await ctx.forge.workflows.getRun(run.id, { tenant: 'default' });
    if (now && statuses.includes(now.status)) return `/api/v1/workflows/${workflowId}/runs/${run.id}`;
    if (Date.now() > deadline) throw new Error(`run ${run.id} never reached ${statuses.join('/')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A sort run in tenant `default` over one throwaway file and no rules (nothing moves). */
async function throwawaySortRun(ctx: RouteContext): Promise<string> {
  const fileId = await throwawayFile(ctx, 'admin');
  return (await ctx.forge.sorter.apply({ tenant: 'default', fileIds: [fileId], rules: [] })).id;
}

/** A webhook subscription in tenant `default` (to a closed loopback port: deliveries fail fast). */
async function throwawayWebhook(ctx: RouteContext): Promise<string> {
  const webhooks = ctx.integrations?.webhooks.service;
  if (!webhooks) throw new Error('the matrix server runs without integrations');
  const { subscription } = await webhooks.subscribe({
    name: unique('hook'),
    url: 'http://127.0.0.1:9/hooks',
    events: ['file.processed'],
    tenant: 'default',
  });
  return subscription.id;
}

/** A subscription and one (failed) test attempt of it, for the resend route. */
async function throwawayAttempt(ctx: RouteContext): Promise<string> {
  const id = await throwawayWebhook(ctx);
  const attempt = await ctx.integrations!.webhooks.service.test(id, { tenant: 'default' });
  return `/api/v1/integrations/webhooks/${id}/deliveries/${attempt.id}`;
}

const MATRIX_WORKFLOW = { name: 'matrix', on: { manual: true }, steps: { only: { uses: 'matrix.fail' } } };

/** A valid rule body for the create and replace routes. */
const ruleBody = (method: string, id: string) => jsonBody(method, { id, category: 'matrix', priority: 1 });

const adminFile = (ctx: RouteContext) => `/api/v1/files/${ctx.seed.adminFile.id}`;

/** Every route of the permission table; a route missing here is a type error in this file. */
export const ROUTE_CASES: Record<RouteKey, RouteCase> = {
  'GET /api/v1/setup': { status: 200, request: () => ({ path: '/api/v1/setup' }) },
  // Users exist, so the one-time setup is closed for everyone.
  'POST /api/v1/setup': {
    status: 409,
    request: () => ({
      path: '/api/v1/setup',
      init: jsonBody('POST', { email: `${unique('late')}@default.example`, password: PASSWORD }),
    }),
  },
  'POST /api/v1/auth/login': {
    status: 401,
    request: () => ({
      path: '/api/v1/auth/login',
      // A fresh unknown email per call: repeated failures on one account would be locked out (429).
      init: jsonBody('POST', { email: `${unique('nobody')}@default.example`, password: 'not the password' }),
    }),
  },
  'POST /api/v1/auth/refresh': {
    status: 200,
    request: async (ctx) => ({
      path: '/api/v1/auth/refresh',
      init: jsonBody('POST', { refreshToken: await freshRefreshToken(ctx) }),
    }),
  },
  'POST /api/v1/auth/logout': {
    status: 204,
    request: async (ctx) => ({
      path: '/api/v1/auth/logout',
      init: jsonBody('POST', { refreshToken: await freshRefreshToken(ctx) }),
    }),
  },
  'GET /api/v1/auth/me': { status: 200, request: () => ({ path: '/api/v1/auth/me' }) },
  // A wrong current password: a permitted caller reaches the check (400) and keeps its
  // account as it was (a real change would end the seeded tokens other cells use).
  'POST /api/v1/auth/password': {
    status: 400,
    request: () => ({
      path: '/api/v1/auth/password',
      init: jsonBody('POST', { currentPassword: 'not the password', newPassword: 'another password' }),
    }),
  },
  'GET /api/v1/files': { status: 200, request: () => ({ path: '/api/v1/files' }) },
  'GET /api/v1/events': { status: 200, request: () => ({ path: '/api/v1/events' }) },
  'POST /api/v1/files': {
    status: 201,
    request: () => ({
      path: '/api/v1/files',
      init: { method: 'POST', body: uploadForm(`${unique('matrix')}.txt`, unique('matrix upload')) },
    }),
  },
  'OPTIONS /api/v1/uploads': {
    status: 204,
    request: () => ({ path: '/api/v1/uploads', init: { method: 'OPTIONS' } }),
  },
  'POST /api/v1/uploads': {
    status: 201,
    request: () => ({
      path: '/api/v1/uploads',
      init: { method: 'POST', headers: { ...TUS_HEADERS, 'Upload-Length': '5' } },
    }),
  },
  'HEAD /api/v1/uploads/{id}': {
    status: 200,
    request: async (ctx, owner) => ({
      path: await throwawayUpload(ctx, owner),
      init: { method: 'HEAD', headers: TUS_HEADERS },
    }),
  },
  'PATCH /api/v1/uploads/{id}': {
    status: 204,
    request: async (ctx, owner) => ({
      path: await throwawayUpload(ctx, owner),
      init: {
        method: 'PATCH',
        headers: { ...TUS_HEADERS, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
        body: 'ab',
      },
    }),
  },
  'DELETE /api/v1/uploads/{id}': {
    status: 204,
    request: async (ctx, owner) => ({
      path: await throwawayUpload(ctx, owner),
      init: { method: 'DELETE', headers: TUS_HEADERS },
    }),
  },
  'GET /api/v1/uploads/{id}': {
    status: 200,
    request: async (ctx) => ({ path: await throwawayUpload(ctx, 'admin') }),
  },
  'GET /api/v1/files/{id}': { status: 200, request: (ctx) => ({ path: adminFile(ctx) }) },
  'DELETE /api/v1/files/{id}': {
    status: 204,
    request: async (ctx, owner) => ({
      path: `/api/v1/files/${await throwawayFile(ctx, owner)}`,
      init: { method: 'DELETE' },
    }),
  },
  'GET /api/v1/files/{id}/download': {
    status: 200,
    request: (ctx) => ({ path: `${adminFile(ctx)}/download` }),
  },
  'HEAD /api/v1/files/{id}/download': {
    status: 200,
    request: (ctx) => ({ path: `${adminFile(ctx)}/download`, init: { method: 'HEAD' } }),
  },
  'GET /api/v1/files/{id}/derivatives': {
    status: 200,
    request: (ctx) => ({ path: `${adminFile(ctx)}/derivatives` }),
  },
  'GET /api/v1/files/{id}/derivatives/{name}': {
    status: 200,
    request: (ctx) => ({ path: `${adminFile(ctx)}/derivatives/${NOTE_DERIVATIVE}` }),
  },
  'POST /api/v1/files/{id}/reprocess': {
    status: 202,
    request: async (ctx, owner) => ({
      path: `/api/v1/files/${await throwawayFile(ctx, owner)}/reprocess`,
      init: { method: 'POST' },
    }),
  },
  // Per-file ownership is answered inside the 200 (one result per id); the role gate is the route's.
  'POST /api/v1/files/bulk': {
    status: 200,
    request: async (ctx, owner) => ({
      path: '/api/v1/files/bulk',
      init: jsonBody('POST', { action: 'reprocess', ids: [await throwawayFile(ctx, owner)] }),
    }),
  },
  'GET /api/v1/files/{id}/history': {
    status: 200,
    request: ({ seed }) => ({ path: `/api/v1/files/${seed.adminFile.id}/history` }),
  },
  'GET /api/v1/backups': { status: 200, request: () => ({ path: '/api/v1/backups' }) },
  'POST /api/v1/backups': {
    status: 201,
    request: () => ({ path: '/api/v1/backups', init: { method: 'POST' } }),
  },
  'GET /api/v1/backups/{name}': {
    status: 200,
    request: async ({ url, seed }) => {
      const made = await fetch(`${url}/api/v1/backups`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${seed.accounts.admin.accessToken}` },
      });
      const { name } = (await made.json()) as { name: string };
      return { path: `/api/v1/backups/${name}` };
    },
  },
  'GET /api/v1/users': { status: 200, request: () => ({ path: '/api/v1/users' }) },
  'POST /api/v1/users': {
    status: 201,
    request: () => ({
      path: '/api/v1/users',
      init: jsonBody('POST', {
        email: `${unique('new')}@default.example`,
        password: PASSWORD,
        role: 'viewer',
      }),
    }),
  },
  'PATCH /api/v1/users/{id}': {
    status: 200,
    request: async (ctx) => ({
      path: `/api/v1/users/${await throwawayUser(ctx)}`,
      init: jsonBody('PATCH', { role: 'viewer' }),
    }),
  },
  'DELETE /api/v1/users/{id}': {
    status: 204,
    request: async (ctx) => ({
      path: `/api/v1/users/${await throwawayUser(ctx)}`,
      init: { method: 'DELETE' },
    }),
  },
  'GET /api/v1/tenants/current/usage': {
    status: 200,
    request: () => ({ path: '/api/v1/tenants/current/usage' }),
  },
  'PUT /api/v1/tenants/current/quota': {
    status: 200,
    request: () => ({
      path: '/api/v1/tenants/current/quota',
      init: jsonBody('PUT', { maxBytes: null, maxFiles: null }),
    }),
  },
  'GET /api/v1/api-keys': { status: 200, request: () => ({ path: '/api/v1/api-keys' }) },
  'GET /api/v1/audit': { status: 200, request: () => ({ path: '/api/v1/audit?limit=5' }) },
  'POST /api/v1/api-keys': {
    status: 201,
    request: () => ({
      path: '/api/v1/api-keys',
      init: jsonBody('POST', { name: unique('key'), role: 'viewer' }),
    }),
  },
  'DELETE /api/v1/api-keys/{id}': {
    status: 204,
    request: async (ctx) => ({
      path: `/api/v1/api-keys/${await throwawayKey(ctx)}`,
      init: { method: 'DELETE' },
    }),
  },
  'GET /api/v1/sorter/rules': { status: 200, request: () => ({ path: '/api/v1/sorter/rules' }) },
  'POST /api/v1/sorter/rules': {
    status: 201,
    request: () => ({ path: '/api/v1/sorter/rules', init: ruleBody('POST', unique('rule')) }),
  },
  'GET /api/v1/sorter/rules/schema': {
    status: 200,
    request: () => ({ path: '/api/v1/sorter/rules/schema' }),
  },
  'GET /api/v1/sorter/rules/{id}': {
    status: 200,
    request: async (ctx) => ({ path: `/api/v1/sorter/rules/${await throwawayRule(ctx)}` }),
  },
  'PUT /api/v1/sorter/rules/{id}': {
    status: 200,
    request: async (ctx) => {
      const id = await throwawayRule(ctx);
      return { path: `/api/v1/sorter/rules/${id}`, init: ruleBody('PUT', id) };
    },
  },
  'DELETE /api/v1/sorter/rules/{id}': {
    status: 204,
    request: async (ctx) => ({
      path: `/api/v1/sorter/rules/${await throwawayRule(ctx)}`,
      init: { method: 'DELETE' },
    }),
  },
  'POST /api/v1/sorter/simulate': {
    status: 200,
    request: () => ({
      path: '/api/v1/sorter/simulate',
      // Without fileIds: every file of the caller's tenant, so each tenant gets its own plan.
      init: jsonBody('POST', { rules: [{ id: 'r', category: 'x' }] }),
    }),
  },
  'GET /api/v1/sorter/runs': { status: 200, request: () => ({ path: '/api/v1/sorter/runs' }) },
  'POST /api/v1/sorter/runs': {
    status: 201,
    // No rules: every file of the caller's tenant stays where it is.
    request: () => ({ path: '/api/v1/sorter/runs', init: jsonBody('POST', { rules: [] }) }),
  },
  'GET /api/v1/sorter/runs/{runId}': {
    status: 200,
    request: async (ctx) => ({ path: `/api/v1/sorter/runs/${await throwawaySortRun(ctx)}` }),
  },
  'POST /api/v1/sorter/runs/{runId}/undo': {
    status: 200,
    request: async (ctx) => ({
      path: `/api/v1/sorter/runs/${await throwawaySortRun(ctx)}/undo`,
      init: { method: 'POST' },
    }),
  },
  'GET /api/v1/files/{id}/classification': {
    status: 200,
    request: (ctx) => ({ path: `${adminFile(ctx)}/classification` }),
  },
  'POST /api/v1/files/{id}/classification': {
    status: 200,
    request: async (ctx) => ({
      path: `/api/v1/files/${await throwawayFile(ctx, 'admin')}/classification`,
      init: jsonBody('POST', { category: 'matrix' }),
    }),
  },
  'GET /api/v1/review': { status: 200, request: () => ({ path: '/api/v1/review' }) },
  'POST /api/v1/classifier/train': {
    status: 200,
    request: async (ctx) => {
      // Training needs labels of two categories (409 CONFLICT otherwise), in whichever tenant calls.
      for (const tenant of ['default', 'acme']) {
        for (const category of ['matrix', 'other']) {
          const record = await ctx.forge.ingest(Readable.from([Buffer.from(unique(category))]), {
            name: `${unique(category)}.txt`,
            tenant,
          });
          await ctx.forge.sorter.correct(tenant, record.id, category, null);
        }
      }
      return { path: '/api/v1/classifier/train', init: { method: 'POST' } };
    },
  },
  'GET /api/v1/folders': { status: 200, request: () => ({ path: '/api/v1/folders?path=matrix' }) },
  'GET /api/v1/workflows': { status: 200, request: () => ({ path: '/api/v1/workflows' }) },
  'POST /api/v1/workflows': {
    status: 201,
    request: (ctx) => {
      registerMatrixSteps(ctx);
      return {
        path: '/api/v1/workflows',
        init: jsonBody('POST', { ...MATRIX_WORKFLOW, name: unique('wf') }),
      };
    },
  },
  'POST /api/v1/workflows/lint': {
    status: 200,
    request: () => ({ path: '/api/v1/workflows/lint', init: jsonBody('POST', MATRIX_WORKFLOW) }),
  },
  'GET /api/v1/workflows/{id}': {
    status: 200,
    request: async (ctx) => ({ path: `/api/v1/workflows/${await throwawayWorkflow(ctx)}` }),
  },
  'PUT /api/v1/workflows/{id}': {
    status: 200,
    request: async (ctx) => ({
      path: `/api/v1/workflows/${await throwawayWorkflow(ctx)}`,
      init: jsonBody('PUT', { ...MATRIX_WORKFLOW, name: unique('renamed') }),
    }),
  },
  'DELETE /api/v1/workflows/{id}': {
    status: 204,
    request: async (ctx) => ({
      path: `/api/v1/workflows/${await throwawayWorkflow(ctx)}`,
      init: { method: 'DELETE' },
    }),
  },
  'GET /api/v1/workflows/{id}/runs': {
    status: 200,
    request: async (ctx) => ({ path: `/api/v1/workflows/${await throwawayWorkflow(ctx)}/runs` }),
  },
  'POST /api/v1/workflows/{id}/runs': {
    status: 202,
    request: async (ctx) => ({
      path: `/api/v1/workflows/${await throwawayWorkflow(ctx)}/runs`,
      init: jsonBody('POST', { input: { from: 'matrix' } }),
    }),
  },
  'GET /api/v1/workflows/{id}/runs/{runId}': {
    status: 200,
    request: async (ctx) => ({ path: await throwawayRun(ctx, 'matrix.fail', ['failed']) }),
  },
  'POST /api/v1/workflows/{id}/runs/{runId}/retry': {
    status: 202,
    request: async (ctx) => ({
      path: `${await throwawayRun(ctx, 'matrix.fail', ['failed'])}/retry`,
      init: { method: 'POST' },
    }),
  },
  'POST /api/v1/workflows/{id}/runs/{runId}/cancel': {
    status: 200,
    request: async (ctx) => ({
      path: `${await throwawayRun(ctx, 'matrix.wait', ['running'])}/cancel`,
      init: { method: 'POST' },
    }),
  },
  'POST /api/v1/watch/rescan': {
    status: 200,
    request: () => ({ path: '/api/v1/watch/rescan', init: { method: 'POST' } }),
  },
  'GET /api/v1/integrations': { status: 200, request: () => ({ path: '/api/v1/integrations' }) },
  // Permitted callers reach the connector's own validation: an empty body is 400.
  'POST /api/v1/integrations/connect/{slug}': {
    status: 400,
    request: () => ({ path: '/api/v1/integrations/connect/slack', init: jsonBody('POST', {}) }),
  },
  'DELETE /api/v1/integrations/{slug}': {
    status: 204,
    request: () => ({ path: '/api/v1/integrations/slack', init: { method: 'DELETE' } }),
  },
  'GET /api/v1/integrations/{slug}/status': {
    status: 200,
    request: () => ({ path: '/api/v1/integrations/slack/status' }),
  },
  // A connector this FileForge does not know: the permission is checked first, then 404.
  'POST /api/v1/integrations/{slug}/test': {
    status: 404,
    request: () => ({ path: '/api/v1/integrations/no-such/test', init: { method: 'POST' } }),
  },
  'POST /api/v1/integrations/{slug}/actions/{action}': {
    status: 404,
    request: () => ({
      path: '/api/v1/integrations/no-such/actions/postMessage',
      init: jsonBody('POST', { input: {} }),
    }),
  },
  'GET /api/v1/integrations/webhooks': {
    status: 200,
    request: () => ({ path: '/api/v1/integrations/webhooks' }),
  },
  'POST /api/v1/integrations/webhooks': {
    status: 201,
    request: () => ({
      path: '/api/v1/integrations/webhooks',
      init: jsonBody('POST', { name: unique('hook'), url: 'http://127.0.0.1:9/hooks', events: ['file.*'] }),
    }),
  },
  'GET /api/v1/integrations/webhooks/{id}': {
    status: 200,
    request: async (ctx) => ({ path: `/api/v1/integrations/webhooks/${await throwawayWebhook(ctx)}` }),
  },
  'PATCH /api/v1/integrations/webhooks/{id}': {
    status: 200,
    request: async (ctx) => ({
      path: `/api/v1/integrations/webhooks/${await throwawayWebhook(ctx)}`,
      init: jsonBody('PATCH', { name: unique('renamed') }),
    }),
  },
  'DELETE /api/v1/integrations/webhooks/{id}': {
    status: 204,
    request: async (ctx) => ({
      path: `/api/v1/integrations/webhooks/${await throwawayWebhook(ctx)}`,
      init: { method: 'DELETE' },
    }),
  },
  'POST /api/v1/integrations/webhooks/{id}/test': {
    status: 200,
    request: async (ctx) => ({
      path: `/api/v1/integrations/webhooks/${await throwawayWebhook(ctx)}/test`,
      init: { method: 'POST' },
    }),
  },
  'GET /api/v1/integrations/webhooks/{id}/deliveries': {
    status: 200,
    request: async (ctx) => ({
      path: `/api/v1/integrations/webhooks/${await throwawayWebhook(ctx)}/deliveries`,
    }),
  },
  'POST /api/v1/integrations/webhooks/{id}/deliveries/{attemptId}/resend': {
    status: 200,
    request: async (ctx) => ({ path: `${await throwawayAttempt(ctx)}/resend`, init: { method: 'POST' } }),
  },
  'POST /api/v1/integrations/webhooks/{id}/rotate-secret': {
    status: 200,
    request: async (ctx) => ({
      path: `/api/v1/integrations/webhooks/${await throwawayWebhook(ctx)}/rotate-secret`,
      init: { method: 'POST' },
    }),
  },
};
