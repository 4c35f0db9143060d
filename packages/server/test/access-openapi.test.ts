import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForge, type Forge } from '@fileforge/core';
import { compileErrors, validate } from '@readme/openapi-parser';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type FileForgeServer } from '../src/app.js';
import { ROUTE_PERMISSIONS } from '../src/auth/permissions.js';
import { PASSWORD } from './support/access-seed.js';
import {
  bearer,
  type ErrorBody,
  startAccessServer,
  stopAccessServers,
  TOKEN_SECRET,
} from './support/access-server.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The parts of an OpenAPI document these tests read. */
interface OpenApiDocument {
  openapi: string;
  paths?: Record<
    string,
    Partial<
      Record<
        (typeof METHODS)[number],
        { responses?: Record<string, unknown>; requestBody?: unknown; parameters?: unknown[] }
      >
    >
  >;
}

let dataDir: string;
let forge: Forge;
let app: FileForgeServer;
let doc: OpenApiDocument;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'fileforge-access-openapi-'));
  forge = await createForge({ dataDir });
  app = await createServer(forge, { tokens: { secret: TOKEN_SECRET }, logger: pino({ level: 'silent' }) });
  const res = await app.app.request('/openapi.json');
  expect(res.status).toBe(200);
  doc = (await res.json()) as OpenApiDocument;
});
afterAll(async () => {
  await app.close();
  await forge.close();
  await rm(dataDir, { recursive: true, force: true });
  await stopAccessServers();
});

/** Every documented operation as `METHOD /path` with its responses. */
function operations() {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => item?.[m]).map((m) => ({
      key: `${m.toUpperCase()} ${path}`,
      path,
      responses: item?.[m]?.responses ?? {},
      body: item?.[m]?.requestBody !== undefined,
      parameters: item?.[m]?.parameters?.length ?? 0,
    })),
  );
}

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const result = await validate(structuredClone(doc) as Parameters<typeof validate>[0]);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(result.specification).toBe('OpenAPI');
    // The validator does reject a broken document (so the assertion above can fail).
    const broken = { ...structuredClone(doc), info: undefined };
    expect((await validate(broken as unknown as Parameters<typeof validate>[0])).valid).toBe(false);
  });

  it('documents every method and path the app registers (HEAD included)', () => {
    const registered = new Set(
      app.app.routes
        .filter((r) => r.method !== 'ALL')
        .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`),
    );
    const documented = new Set(operations().map((op) => op.key));
    expect(registered).toContain('HEAD /api/v1/files/{id}/download');
    expect(
      [...registered].filter((r) => !documented.has(r)),
      'registered but not documented',
    ).toEqual([]);
  });

  it('documents 401 on every protected /api/v1 operation and 429 on all of them', () => {
    const api = operations().filter((op) => op.path.startsWith('/api/v1'));
    expect(api.length).toBe(Object.keys(ROUTE_PERMISSIONS).length);
    for (const op of api) {
      const permission = (ROUTE_PERMISSIONS as Record<string, string>)[op.key];
      expect(permission, `${op.key} is not in ROUTE_PERMISSIONS`).toBeDefined();
      expect(Object.keys(op.responses), op.key).toContain('429');
      if (permission !== 'public') expect(Object.keys(op.responses), op.key).toContain('401');
    }
  });

  it('documents what validation answers: 400, 413 and 415 for a body, 400 for parameters', () => {
    const missing: string[] = [];
    // The API and the reference (the web UI's pages answer a page, never an error body).
    for (const op of operations().filter((o) => /^\/(api|docs)\//.test(o.path))) {
      const declared = Object.keys(op.responses);
      const due = [...(op.body ? ['400', '413', '415'] : []), ...(op.parameters > 0 ? ['400'] : [])];
      for (const status of due) if (!declared.includes(status)) missing.push(`${op.key} ${status}`);
    }
    expect(missing).toEqual([]);
  });

  it('documents the 401 that login and refresh answer to bad credentials', () => {
    const responses = Object.fromEntries(operations().map((op) => [op.key, Object.keys(op.responses)]));
    expect(responses['POST /api/v1/auth/login']).toContain('401');
    expect(responses['POST /api/v1/auth/refresh']).toContain('401');
  });
});

describe('published parameter patterns', () => {
  it('accept what the API accepts: the mime filter takes image/* and image/png (issue 8)', async () => {
    const list = (doc.paths?.['/api/v1/files']?.get ?? {}) as {
      parameters?: { name: string; schema?: { pattern?: string } }[];
    };
    const pattern = list.parameters?.find((p) => p.name === 'mime')?.schema?.pattern;
    expect(pattern).toBeTruthy();
    // A documentation UI compiles the pattern as it is published: without flags.
    const published = new RegExp(pattern!);
    for (const value of ['image/*', 'image/png', 'application/vnd.ms-excel', 'Image/PNG'])
      expect(published.test(value), value).toBe(true);
    expect(published.test('image')).toBe(false);
  });
});

describe('request validation', () => {
  it('answers a malformed query with 400 VALIDATION_FAILED naming the field', async () => {
    const s = await startAccessServer();
    const admin = await s.server.auth.createUser({
      email: 'admin@default.example',
      password: PASSWORD,
      role: 'admin',
      tenant: 'default',
    });
    const { key } = await s.server.auth.createApiKey(
      { kind: 'user', id: admin.id, userId: admin.id, tenant: 'default', role: 'admin' },
      { name: 'validation', role: 'viewer' },
    );
    const res = await fetch(`${s.url}/api/v1/files?limit=abc`, { headers: bearer(key) });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.code).toBe('VALIDATION_FAILED');
    const fields = error.details?.fields as { path: string; message: string }[];
    expect(fields[0]?.path).toBe('limit');
    expect((await fetch(`${s.url}/api/v1/files?limit=5`, { headers: bearer(key) })).status).toBe(200);
    for (const mime of ['image/*', 'image/png', 'IMAGE/PNG']) {
      const res = await fetch(`${s.url}/api/v1/files?mime=${encodeURIComponent(mime)}`, {
        headers: bearer(key),
      });
      expect(res.status, mime).toBe(200);
    }
  });
});
