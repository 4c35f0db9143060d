import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from './support/access-seed.js';
import {
  type AccessServer,
  bearer,
  type ErrorBody,
  jsonBody,
  loggedInAdmin,
  login,
  startAccessServer,
  stopAccessServers,
  uploadForm,
} from './support/access-server.js';

const KEY_SHAPE = /^ff_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

interface CreatedKey {
  id: string;
  name: string;
  role: string;
  lastUsedAt: string | null;
  key: string;
}

/** Everything the server and its forge log, at every level. */
const logLines: string[] = [];
const logger = pino(
  { level: 'trace' },
  new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString());
      callback();
    },
  }),
);

let s: AccessServer;
let adminToken: string;
let adminRefreshToken: string;

async function createKey(name: string, role = 'editor'): Promise<CreatedKey> {
  const res = await fetch(`${s.url}/api/v1/api-keys`, jsonBody('POST', { name, role }, bearer(adminToken)));
  expect(res.status).toBe(201);
  return (await res.json()) as CreatedKey;
}

const listFiles = (headers: Record<string, string>) => fetch(`${s.url}/api/v1/files`, { headers });

async function listKeys(): Promise<{
  text: string;
  items: (Omit<CreatedKey, 'key'> & Record<string, unknown>)[];
}> {
  const res = await fetch(`${s.url}/api/v1/api-keys`, { headers: bearer(adminToken) });
  expect(res.status).toBe(200);
  const text = await res.text();
  return { text, items: (JSON.parse(text) as { items: [] }).items };
}

async function expectRefused(res: Response) {
  expect(res.status).toBe(401);
  expect(res.headers.get('WWW-Authenticate')).toContain('invalid_token');
  expect(((await res.json()) as ErrorBody).error.code).toBe('UNAUTHENTICATED');
}

beforeAll(async () => {
  s = await startAccessServer({ forge: { logger }, server: { logger } });
  ({ accessToken: adminToken, refreshToken: adminRefreshToken } = await loggedInAdmin(s, PASSWORD));
});
afterAll(stopAccessServers);

describe('API keys', () => {
  it('are their own principal for ownership: an editor key of an admin changes only what it uploaded (issue 7)', async () => {
    const key = await createKey('script', 'editor');
    const upload = async (credential: string, name: string) => {
      const res = await fetch(`${s.url}/api/v1/files`, {
        method: 'POST',
        headers: bearer(credential),
        body: uploadForm(name, `content of ${name}`),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { files: { id: string; apiKeyId: string | null }[] }).files[0]!;
    };
    const remove = (credential: string, id: string) =>
      fetch(`${s.url}/api/v1/files/${id}`, { method: 'DELETE', headers: bearer(credential) });

    const adminsOwn = await upload(adminToken, 'admins-own.txt');
    expect(adminsOwn.apiKeyId).toBeNull();
    const viaKey = await upload(key.key, 'via-key.txt');
    expect(viaKey.apiKeyId).toBe(key.id);

    const refused = await remove(key.key, adminsOwn.id);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorBody).error.code).toBe('FORBIDDEN');
    expect(
      (await fetch(`${s.url}/api/v1/files/${adminsOwn.id}`, { headers: bearer(adminToken) })).status,
    ).toBe(200);
    expect((await remove(key.key, viaKey.id)).status).toBe(204);

    // An admin key does what its admin may.
    const adminKey = await createKey('admin-script', 'admin');
    expect((await remove(adminKey.key, adminsOwn.id)).status).toBe(204);
  });

  it('are created by an admin, shown once in the ff_<id>_<secret> shape, and work as Bearer and X-API-Key', async () => {
    const created = await createKey('ci uploads');
    expect(created.key).toMatch(KEY_SHAPE);
    expect(created).toMatchObject({ name: 'ci uploads', role: 'editor', lastUsedAt: null });
    expect(created.key.split('_')[1]).toBe(created.id);

    expect((await listFiles(bearer(created.key))).status).toBe(200);
    expect((await listFiles({ 'X-API-Key': created.key })).status).toBe(200);
    const me = await fetch(`${s.url}/api/v1/auth/me`, { headers: { 'X-API-Key': created.key } });
    expect(await me.json()).toMatchObject({ kind: 'api_key', role: 'editor', tenant: 'default' });
  });

  it('refuse a wrong secret, an unknown id and a revoked key with 401', async () => {
    const created = await createKey('to be revoked');
    const [, id, secret] = KEY_SHAPE.exec(created.key)!;
    const otherSecret = `${secret!.slice(0, 42)}${secret!.endsWith('A') ? 'B' : 'A'}`;
    await expectRefused(await listFiles(bearer(`ff_${id}_${otherSecret}`)));
    await expectRefused(await listFiles({ 'X-API-Key': `ff_${id}_${otherSecret}` }));
    await expectRefused(await listFiles(bearer(`ff_${'a'.repeat(16)}_${secret}`)));
    expect((await listFiles(bearer(created.key))).status).toBe(200);

    const revoke = await fetch(`${s.url}/api/v1/api-keys/${created.id}`, {
      method: 'DELETE',
      headers: bearer(adminToken),
    });
    expect(revoke.status).toBe(204);
    await expectRefused(await listFiles(bearer(created.key)));
    await expectRefused(await listFiles({ 'X-API-Key': created.key }));
    const listed = (await listKeys()).items.find((k) => k.id === created.id);
    expect(listed?.revokedAt).toEqual(expect.any(String));
  });

  it('of a deleted user stop working and are listed as revoked', async () => {
    const other = await s.server.auth.createUser({
      email: 'leaving@default.example',
      password: PASSWORD,
      role: 'admin',
      tenant: 'default',
    });
    const { accessToken } = await login(s.url, 'leaving@default.example', PASSWORD);
    const res = await fetch(
      `${s.url}/api/v1/api-keys`,
      jsonBody('POST', { name: 'theirs', role: 'editor' }, bearer(accessToken)),
    );
    expect(res.status).toBe(201);
    const theirs = (await res.json()) as CreatedKey;
    expect((await listFiles(bearer(theirs.key))).status).toBe(200);

    const removed = await fetch(`${s.url}/api/v1/users/${other.id}`, {
      method: 'DELETE',
      headers: bearer(adminToken),
    });
    expect(removed.status).toBe(204);
    await expectRefused(await listFiles(bearer(theirs.key)));
    // An admin reading the list sees the key is no longer in use, not an active key of nobody.
    const listed = (await listKeys()).items.find((k) => k.id === theirs.id);
    expect(listed?.revokedAt).toEqual(expect.any(String));
  });

  it('are listed without their secret, with the time they were last used', async () => {
    const created = await createKey('listed');
    const secret = KEY_SHAPE.exec(created.key)![2]!;
    const before = await listKeys();
    expect(before.items.find((k) => k.id === created.id)).toMatchObject({ name: 'listed', lastUsedAt: null });

    const usedFrom = Date.now();
    expect((await listFiles(bearer(created.key))).status).toBe(200);
    const after = await listKeys();
    const listed = after.items.find((k) => k.id === created.id)!;
    expect(Date.parse(String(listed.lastUsedAt))).toBeGreaterThanOrEqual(usedFrom - 1000);

    for (const { text, items } of [before, after]) {
      expect(text).not.toContain(secret);
      for (const item of items) {
        expect(item).not.toHaveProperty('key');
        expect(Object.keys(item).filter((k) => /secret|hash/i.test(k))).toEqual([]);
      }
    }
  });

  it('never write secrets, keys or tokens to the logs', async () => {
    const created = await createKey('logged');
    const secret = KEY_SHAPE.exec(created.key)![2]!;
    const [, id] = KEY_SHAPE.exec(created.key)!;
    const wrongKey = `ff_${id}_${'Z'.repeat(43)}`;
    logLines.length = 0;

    expect((await listFiles(bearer(created.key))).status).toBe(200);
    expect((await listFiles({ 'X-API-Key': created.key })).status).toBe(200);
    expect((await listFiles(bearer(wrongKey))).status).toBe(401);
    const upload = new FormData();
    upload.append('file', new File(['logged upload'], 'logged.txt'));
    expect(
      (await fetch(`${s.url}/api/v1/files`, { method: 'POST', headers: bearer(created.key), body: upload }))
        .status,
    ).toBe(201);
    expect((await listFiles(bearer(adminToken))).status).toBe(200);
    expect((await fetch(`${s.url}/api/v1/files?limit=abc`, { headers: bearer(created.key) })).status).toBe(
      400,
    );
    const refreshed = await fetch(
      `${s.url}/api/v1/auth/refresh`,
      jsonBody('POST', { refreshToken: adminRefreshToken }),
    );
    expect(refreshed.status).toBe(200);
    const failedLogin = await fetch(
      `${s.url}/api/v1/auth/login`,
      jsonBody('POST', { email: 'admin@default.example', password: 'wrong password' }),
    );
    expect(failedLogin.status).toBe(401);

    const logs = logLines.join('');
    // The requests were logged (so the capture works) …
    expect(logs).toMatch(/"status":200/);
    expect(logs).toMatch(/"status":401/);
    // … and nothing secret was.
    for (const leak of [
      created.key,
      secret,
      wrongKey,
      adminToken,
      adminRefreshToken,
      PASSWORD,
      'wrong password',
    ]) {
      expect(logs).not.toContain(leak);
    }
  });
});
