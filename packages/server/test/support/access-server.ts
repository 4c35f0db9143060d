/**
 * Servers for the access-control suites: a real FileForge server on 127.0.0.1 (port 0) over
 * a temporary data directory, with HS256 tokens, cheap bcrypt and a generous rate limit
 * unless a suite asks otherwise. {@link stopAccessServers} (from `afterAll`/`afterEach`)
 * closes every server started here and removes its directory.
 *
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForge, type Forge, type ForgeOptions } from '@fileforge/core';
import { pino } from 'pino';
import { manifestKeys, signingKeyOf } from '../../src/backup/manifest-signature.js';
import { createIntegrationExtensions, type IntegrationExtensions } from '../../src/forge-extensions.js';
import { type RunningServer, type StartServerOptions, startServer } from '../../src/node.js';

/** The HMAC secret (JWT_SECRET_KEY) every access-suite server signs its tokens with. */
export const TOKEN_SECRET = 'x'.repeat(48);

/** A running server, its forge and its data directory. */
export interface AccessServer {
  url: string;
  forge: Forge;
  server: RunningServer;
  /** Webhooks and connectors, when the suite asked for them. */
  integrations?: IntegrationExtensions;
}

/** What a suite may change about the server it starts. */
export interface AccessServerOptions {
  forge?: Omit<ForgeOptions, 'dataDir'>;
  server?: Partial<Omit<StartServerOptions, 'forge' | 'port' | 'host'>>;
  /** Wire webhooks and connectors as `fileforge serve` does (loopback allow-listed). @default false */
  integrations?: boolean;
}

const started: RunningServer[] = [];
const dirs: string[] = [];

/** Starts a server on 127.0.0.1 with the suite defaults, overridable per option. */
export async function startAccessServer(options: AccessServerOptions = {}): Promise<AccessServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-access-'));
  dirs.push(dataDir);
  const integrations = options.integrations
    ? createIntegrationExtensions({ secretKey: TOKEN_SECRET, allowedHosts: ['127.0.0.1'] })
    : undefined;
  const forge = await createForge({
    dataDir,
    ...options.forge,
    ...(integrations ? { extensions: integrations.extensions } : {}),
  });
  const server = await startServer({
    forge,
    port: 0,
    host: '127.0.0.1',
    logger: pino({ level: 'silent' }),
    tokens: { secret: TOKEN_SECRET },
    bcryptRounds: 4,
    rateLimit: '10000 per minute',
    ...(integrations ? { integrations } : {}),
    backups: {
      databaseUrl: forge.options.databaseUrl,
      outputDir: join(dataDir, 'backups'),
      signingKey: signingKeyOf(manifestKeys({ secretKey: TOKEN_SECRET })),
    },
    ...options.server,
  });
  started.push(server);
  return { url: server.url, forge, server, ...(integrations ? { integrations } : {}) };
}

/** Closes every server started by {@link startAccessServer} and removes their directories. */
export async function stopAccessServers(): Promise<void> {
  await Promise.all(started.splice(0).map((server) => server.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** `Authorization: Bearer <credential>`. */
export const bearer = (credential: string) => ({ Authorization: `Bearer ${credential}` });

/** A JSON request body with its content type. */
export const jsonBody = (
  method: string,
  body: unknown,
  headers: Record<string, string> = {},
): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** A YAML request body (rules, workflows) with its content type. */
export const yamlBody = (method: string, text: string): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/yaml' },
  body: text,
});

/** The error body every refusal has. */
export interface ErrorBody {
  error: { code: string; message: string; requestId?: string; details?: Record<string, unknown> };
}

/** A one-file multipart body under the field name the upload route reads (`file`). */
export function uploadForm(name: string, content: string): FormData {
  const form = new FormData();
  form.append('file', new File([content], name, { type: 'text/plain' }));
  return form;
}

/** Logs in over HTTP and returns the token pair (fails the test on anything but 200). */
export async function login(url: string, email: string, password: string) {
  const res = await fetch(`${url}/api/v1/auth/login`, jsonBody('POST', { email, password }));
  if (res.status !== 200) throw new Error(`login of ${email} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { accessToken: string; refreshToken: string; user: { id: string } };
}

/** The admin most access tests start from, in the default tenant. */
export const ADMIN_EMAIL = 'admin@default.example';

/** Creates {@link ADMIN_EMAIL} with `password` on `s` and logs them in over HTTP. */
export async function loggedInAdmin(s: AccessServer, password: string) {
  await s.server.auth.createUser({ email: ADMIN_EMAIL, password, role: 'admin', tenant: 'default' });
  return login(s.url, ADMIN_EMAIL, password);
}
