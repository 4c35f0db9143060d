/**
 * A real FileForge server on a loopback port over a temporary data directory, plus the
 * polling helpers the end-to-end tests share. Everything started here is stopped by
 * {@link stopTestServers} (call it from `afterEach`).
 *
 * @module
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createForge, type Forge, type ForgeOptions } from '@fileforge/core';
import { defaultProcessors } from '@fileforge/processors';
import { pino } from 'pino';
import { type RunningServer, type StartServerOptions, startServer } from '../../src/node.js';

/** The first admin every test server (and the child-process server) is set up with. */
export const ADMIN = { email: 'admin@example.test', password: 'correct horse battery staple' } as const;

/** JWT_SECRET_KEY of the test servers. */
export const TOKEN_SECRET = 'fileforge-e2e-token-secret-'.padEnd(48, 'x');

/** A rate limit no test comes near: the suites poll, and throttling is not under test here. */
export const UNLIMITED_RATE = '1000000 per minute';

/** A running test server, where it keeps its data, and credentials for its API. */
export interface TestServer {
  url: string;
  forge: Forge;
  dataDir: string;
  uploadFolder: string;
  server: RunningServer;
  /** An admin API key of the default tenant. */
  apiKey: string;
  /** `Authorization` header carrying {@link TestServer.apiKey}. */
  authHeaders: Record<string, string>;
  /** `fetch(url + path)` with {@link TestServer.authHeaders} added. */
  api(path: string, init?: RequestInit): Promise<Response>;
}

const started: TestServer[] = [];
const tempDirs: string[] = [];

/** Creates a temporary directory removed by {@link stopTestServers}. */
export async function makeTempDir(prefix = 'fileforge-e2e-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** `fetch` against `baseUrl` with `authHeaders` merged into the request's headers. */
export function authedFetch(baseUrl: string, authHeaders: Record<string, string>) {
  return (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(authHeaders)) headers.set(name, value);
    return fetch(`${baseUrl}${path}`, { ...init, headers });
  };
}

/**
 * Starts a forge with the default processors and a silent server on 127.0.0.1, port 0, sets
 * up its first admin and mints an admin API key for the tests' requests. The data directory
 * is a fresh temp directory unless `forgeOptions.dataDir` names one (the caller removes it).
 */
export async function startTestServer(
  forgeOptions: Omit<ForgeOptions, 'processors'> = {},
  serverOptions: Partial<Omit<StartServerOptions, 'forge' | 'port' | 'host' | 'logger'>> = {},
): Promise<TestServer> {
  const dataDir = forgeOptions.dataDir ?? (await makeTempDir());
  const forge = await createForge({ dataDir, processors: defaultProcessors(), ...forgeOptions });
  const server = await startServer({
    forge,
    port: 0,
    host: '127.0.0.1',
    logger: pino({ level: 'silent' }),
    tokens: { secret: TOKEN_SECRET },
    bcryptRounds: 4,
    rateLimit: UNLIMITED_RATE,
    ...serverOptions,
  });
  const running: Omit<TestServer, 'apiKey' | 'authHeaders' | 'api'> = {
    url: server.url,
    forge,
    dataDir,
    uploadFolder: forge.options.uploadFolder,
    server,
  };
  started.push(running as TestServer);
  const admin = await server.auth.setup(ADMIN.email, ADMIN.password);
  const { key } = await server.auth.createApiKey(
    { kind: 'user', id: admin.id, userId: admin.id, tenant: admin.tenant, role: admin.role },
    { name: 'e2e', role: 'admin' },
  );
  const authHeaders = { Authorization: `Bearer ${key}` };
  return Object.assign(running, { apiKey: key, authHeaders, api: authedFetch(server.url, authHeaders) });
}

/** Closes every server started by {@link startTestServer} and removes the temp directories. */
export async function stopTestServers(): Promise<void> {
  const servers = started.splice(0);
  await Promise.all(servers.map((s) => s.server.close()));
  const dirs = tempDirs.splice(0);
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
}

/** Polls `check` until it returns a value other than `undefined`, or throws `message` at the deadline. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  message: string,
  { timeoutMs = 20_000, intervalMs = 50 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms: ${message}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

const FINAL = new Set(['processed', 'failed', 'rejected']);

/** A file as `GET /api/v1/files/{id}` returns it (the fields the tests read). */
export interface FileResource {
  id: string;
  name: string;
  size: number;
  sha256: string;
  mime: string;
  ext: string;
  declaredMime: string | null;
  typeMismatch: boolean;
  status: string;
  error: { code: string; message: string } | null;
  metadata: Record<string, unknown>;
  links: { self: string; download: string; derivatives: string };
}

/** Polls `GET /api/v1/files/{id}` until the record's status is final and returns it. */
export function waitForFinal(api: TestServer['api'], id: string, timeoutMs = 30_000): Promise<FileResource> {
  return eventually(
    async () => {
      const res = await api(`/api/v1/files/${id}`);
      if (res.status !== 200) throw new Error(`GET /api/v1/files/${id} answered ${res.status}`);
      const record = (await res.json()) as FileResource;
      return FINAL.has(record.status) ? record : undefined;
    },
    `file ${id} never reached a final status`,
    { timeoutMs },
  );
}

/** Every regular file under `root`, as paths relative to it (directories are not listed). */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}
