import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AccessServer,
  bearer,
  type ErrorBody,
  jsonBody,
  loggedInAdmin,
  login,
  startAccessServer,
  stopAccessServers,
} from './support/access-server.js';

const PASSWORD = 'correct horse battery staple';

let s: AccessServer;
let adminToken: string;
let n = 0;

beforeAll(async () => {
  s = await startAccessServer();
  adminToken = (await loggedInAdmin(s, PASSWORD)).accessToken;
});
afterAll(stopAccessServers);

/** A fresh editor and an access token minted for them over HTTP. */
async function editorWithToken() {
  const email = `editor-${++n}@default.example`;
  const user = await s.server.auth.createUser({
    email,
    password: PASSWORD,
    role: 'editor',
    tenant: 'default',
  });
  const { accessToken } = await login(s.url, email, PASSWORD);
  return { id: user.id, email, accessToken };
}

const me = (token: string) => fetch(`${s.url}/api/v1/auth/me`, { headers: bearer(token) });
const patchUser = (id: string, body: Record<string, unknown>) =>
  fetch(`${s.url}/api/v1/users/${id}`, jsonBody('PATCH', body, bearer(adminToken)));

async function expectRevoked(token: string) {
  const res = await me(token);
  expect(res.status).toBe(401);
  expect(res.headers.get('WWW-Authenticate')).toContain('invalid_token');
  expect(((await res.json()) as ErrorBody).error.code).toBe('UNAUTHENTICATED');
}

describe('access tokens end with the account change that should end them (issue 7)', () => {
  it('refuses a token minted before a password change, at once; a new login works', async () => {
    const editor = await editorWithToken();
    expect((await me(editor.accessToken)).status).toBe(200);
    expect((await patchUser(editor.id, { password: 'a brand new password' })).status).toBe(200);
    await expectRevoked(editor.accessToken);
    const fresh = await login(s.url, editor.email, 'a brand new password');
    expect((await me(fresh.accessToken)).status).toBe(200);
  });

  it('refuses a token minted before the account was disabled', async () => {
    const editor = await editorWithToken();
    expect((await patchUser(editor.id, { disabled: true })).status).toBe(200);
    await expectRevoked(editor.accessToken);
    // Enabling the account again does not bring the old token back.
    expect((await patchUser(editor.id, { disabled: false })).status).toBe(200);
    await expectRevoked(editor.accessToken);
  });

  it('refuses a token minted before a role change; the refresh token gives one with the new role', async () => {
    const email = `editor-${++n}@default.example`;
    const user = await s.server.auth.createUser({
      email,
      password: PASSWORD,
      role: 'editor',
      tenant: 'default',
    });
    const session = await login(s.url, email, PASSWORD);
    expect((await patchUser(user.id, { role: 'viewer' })).status).toBe(200);
    await expectRevoked(session.accessToken);
    const refreshed = await fetch(
      `${s.url}/api/v1/auth/refresh`,
      jsonBody('POST', { refreshToken: session.refreshToken }),
    );
    expect(refreshed.status).toBe(200);
    const { accessToken } = (await refreshed.json()) as { accessToken: string };
    expect(await (await me(accessToken)).json()).toMatchObject({ role: 'viewer' });
  });

  it('refuses a token of a deleted user', async () => {
    const editor = await editorWithToken();
    const res = await fetch(`${s.url}/api/v1/users/${editor.id}`, {
      method: 'DELETE',
      headers: bearer(adminToken),
    });
    expect(res.status).toBe(204);
    await expectRevoked(editor.accessToken);
  });

  it('leaves the tokens of other users alone', async () => {
    const changed = await editorWithToken();
    const untouched = await editorWithToken();
    expect((await patchUser(changed.id, { password: 'another new password' })).status).toBe(200);
    expect((await me(untouched.accessToken)).status).toBe(200);
  });
});
