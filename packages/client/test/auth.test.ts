import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestServer,
  stopTestServers,
  type TestServer,
  TOKEN_SECRET,
} from '../../server/test/support/server.js';
import { createClient, isFileForgeClientError } from '../src/index.js';
import { ADMIN, type Exchange, recordingFetch } from './support/client-server.js';

let server: TestServer;
/** The server's access-token clock: moved forward to expire tokens without waiting. */
let clock = Date.now();

beforeAll(async () => {
  server = await startTestServer({}, { tokens: { secret: TOKEN_SECRET, ttlSeconds: 60, now: () => clock } });
});
afterAll(stopTestServers);

describe('client.auth', () => {
  it('logs in with credentials on the first call and refreshes an expired access token for the caller', async () => {
    const log: Exchange[] = [];
    const client = createClient({ baseUrl: server.url, credentials: ADMIN, fetch: recordingFetch(log) });
    await client.files.page({ limit: 1 });
    expect(log.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'POST /api/v1/auth/login 200',
      'GET /api/v1/files 200',
    ]);

    clock += 10 * 60_000; // Well past the 60 s lifetime and the 5 s clock tolerance.
    log.length = 0;
    const page = await client.files.page({ limit: 1 });
    expect(page.items).toEqual([]);
    expect(log.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'GET /api/v1/files 401',
      'POST /api/v1/auth/refresh 200',
      'GET /api/v1/files 200',
    ]);
    expect((await client.auth.me()).user?.email).toBe(ADMIN.email);
  });

  it('lets one caller abort its wait for a shared login without failing the others', async () => {
    // The login is slowed so that the abort lands while it is under way.
    const slowLogin: typeof fetch = async (input, init) => {
      if (String(input).includes('/auth/login')) await new Promise((resolve) => setTimeout(resolve, 300));
      return fetch(input, init);
    };
    const client = createClient({ baseUrl: server.url, credentials: ADMIN, fetch: slowLogin });
    const impatient = new AbortController();
    const first = client.auth.me({ signal: impatient.signal });
    const second = client.auth.me();
    setTimeout(() => impatient.abort(), 50);
    const [left, waited] = await Promise.allSettled([first, second]);
    expect(left.status === 'rejected' && isFileForgeClientError(left.reason) && left.reason.code).toBe(
      'ABORTED',
    );
    expect(waited.status === 'fulfilled' && waited.value.user?.email).toBe(ADMIN.email);
  });

  it('surfaces a 401 when a bare token expires and there is nothing to renew it with', async () => {
    const login = await createClient({ baseUrl: server.url }).auth.login(ADMIN);
    const client = createClient({ baseUrl: server.url, token: login.accessToken! });
    await expect(client.auth.me()).resolves.toMatchObject({ kind: 'user' });
    clock += 10 * 60_000;
    const error = await client.auth.me().catch((e: unknown) => e);
    expect(isFileForgeClientError(error) && error.status === 401 && error.code === 'UNAUTHENTICATED').toBe(
      true,
    );
  });

  it('refuses wrong credentials with a typed 401', async () => {
    const client = createClient({
      baseUrl: server.url,
      credentials: { ...ADMIN, password: 'not the password' },
    });
    const error = await client.files.page().catch((e: unknown) => e);
    expect(isFileForgeClientError(error) && error.status === 401).toBe(true);
  });

  it('creates, lists and revokes API keys; a revoked key is refused', async () => {
    const admin = createClient({ baseUrl: server.url, credentials: ADMIN });
    const created = await admin.auth.apiKeys.create({ name: 'ci', role: 'viewer' });
    expect(created.key).toBeTruthy();
    expect((await admin.auth.apiKeys.list()).map((k) => k.id)).toContain(created.id);
    const viewer = createClient({ baseUrl: server.url, apiKey: created.key });
    await expect(viewer.auth.me()).resolves.toMatchObject({ kind: 'api_key', role: 'viewer' });
    await admin.auth.apiKeys.revoke(created.id);
    const error = await viewer.auth.me().catch((e: unknown) => e);
    expect(isFileForgeClientError(error) && error.status === 401).toBe(true);
  });
});
