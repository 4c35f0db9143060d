/**
 * One minimal valid request per `/api/v1` route, keyed like `ROUTE_PERMISSIONS`, for the
 * generated access matrix. Every call builds its own throwaway target (a file, user or API
 * key) where the route changes or deletes one, so the matrix runs in any order and no cell
 * depends on another.
 *
 * @module
 */
import { Readable } from 'node:stream';
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
  'GET /api/v1/files': { status: 200, request: () => ({ path: '/api/v1/files' }) },
  'POST /api/v1/files': {
    status: 201,
    request: () => ({
      path: '/api/v1/files',
      init: { method: 'POST', body: uploadForm(`${unique('matrix')}.txt`, unique('matrix upload')) },
    }),
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
  'GET /api/v1/api-keys': { status: 200, request: () => ({ path: '/api/v1/api-keys' }) },
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
};
