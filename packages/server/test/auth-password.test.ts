import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AccessServer,
  bearer,
  type ErrorBody,
  jsonBody,
  login,
  startAccessServer,
  stopAccessServers,
} from './support/access-server.js';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a brand new passphrase';

let s: AccessServer;
beforeAll(async () => {
  s = await startAccessServer();
  await s.server.auth.createUser({
    email: 'admin@default.example',
    password: PASSWORD,
    role: 'admin',
    tenant: 'default',
  });
  await s.server.auth.createUser({
    email: 'viewer@default.example',
    password: PASSWORD,
    role: 'viewer',
    tenant: 'default',
  });
});
afterAll(stopAccessServers);

const change = (token: string, body: Record<string, unknown>) =>
  fetch(`${s.url}/api/v1/auth/password`, jsonBody('POST', body, bearer(token)));

describe('POST /api/v1/auth/password', () => {
  it('lets a viewer change their own password with the current one; old sessions end, the new one works', async () => {
    const before = await login(s.url, 'viewer@default.example', PASSWORD);

    const wrong = await change(before.accessToken, {
      currentPassword: 'not it at all',
      newPassword: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(400);
    const refusal = (await wrong.json()) as ErrorBody;
    expect(refusal.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(refusal.error.details)).toContain('currentPassword');
    // Nothing changed: the old password still logs in.
    await login(s.url, 'viewer@default.example', PASSWORD);

    const short = await change(before.accessToken, { currentPassword: PASSWORD, newPassword: 'short' });
    expect(short.status).toBe(400);

    const res = await change(before.accessToken, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(200);
    const session = (await res.json()) as { accessToken: string; refreshToken: string };

    // The session that made the change ended with every other one; the returned one works.
    expect((await fetch(`${s.url}/api/v1/auth/me`, { headers: bearer(before.accessToken) })).status).toBe(
      401,
    );
    const refreshed = await fetch(
      `${s.url}/api/v1/auth/refresh`,
      jsonBody('POST', { refreshToken: before.refreshToken }),
    );
    expect(refreshed.status).toBe(401);
    const me = await fetch(`${s.url}/api/v1/auth/me`, { headers: bearer(session.accessToken) });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { role: string }).role).toBe('viewer');

    // The new password logs in, the old one no longer does.
    await login(s.url, 'viewer@default.example', NEW_PASSWORD);
    const old = await fetch(
      `${s.url}/api/v1/auth/login`,
      jsonBody('POST', { email: 'viewer@default.example', password: PASSWORD }),
    );
    expect(old.status).toBe(401);

    // The change is in the audit trail.
    const admin = await login(s.url, 'admin@default.example', PASSWORD);
    const audit = await fetch(`${s.url}/api/v1/audit?action=user.password`, {
      headers: bearer(admin.accessToken),
    });
    const { items } = (await audit.json()) as { items: { action: string; target: { id?: string } | null }[] };
    expect(items.map((entry) => entry.action)).toEqual(['user.password']);
  });

  it('refuses an API key (even one with the admin role): it must not open a session of its owner', async () => {
    await s.server.auth.createUser({
      email: 'keyowner@default.example',
      password: PASSWORD,
      role: 'admin',
      tenant: 'default',
    });
    const owner = await login(s.url, 'keyowner@default.example', PASSWORD);
    const me = (await (
      await fetch(`${s.url}/api/v1/auth/me`, { headers: bearer(owner.accessToken) })
    ).json()) as {
      user: { id: string };
    };
    const key = await s.server.auth.createApiKey(
      { kind: 'user', id: me.user.id, userId: me.user.id, tenant: 'default', role: 'admin' },
      { name: 'automation', role: 'viewer' },
    );
    const res = await change(key.key, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).error.code).toBe('FORBIDDEN');
    // Nothing changed: the owner's session and password stand.
    expect((await fetch(`${s.url}/api/v1/auth/me`, { headers: bearer(owner.accessToken) })).status).toBe(200);
    await login(s.url, 'keyowner@default.example', PASSWORD);
  });

  it('is the only way to change one’s own password: PATCH /api/v1/users/{own id} answers 409, by session or by key', async () => {
    await s.server.auth.createUser({
      email: 'selfadmin@default.example',
      password: PASSWORD,
      role: 'admin',
      tenant: 'default',
    });
    const session = await login(s.url, 'selfadmin@default.example', PASSWORD);
    const key = await s.server.auth.createApiKey(
      { kind: 'user', id: session.user.id, userId: session.user.id, tenant: 'default', role: 'admin' },
      { name: 'automation', role: 'admin' },
    );
    // Neither a stolen access token nor the admin's key may set the password without the
    // current one (no check, no lock-out) and so take the account over.
    for (const credential of [session.accessToken, key.key]) {
      const res = await fetch(
        `${s.url}/api/v1/users/${session.user.id}`,
        jsonBody('PATCH', { password: NEW_PASSWORD }, bearer(credential)),
      );
      expect(res.status).toBe(409);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe('CONFLICT');
      expect(body.error.message).toContain('/api/v1/auth/password');
    }
    // Nothing changed: the password and the session stand.
    expect((await fetch(`${s.url}/api/v1/auth/me`, { headers: bearer(session.accessToken) })).status).toBe(
      200,
    );
    await login(s.url, 'selfadmin@default.example', PASSWORD);
    // An admin still sets another user's password there.
    const other = await s.server.auth.createUser({
      email: 'reset-me@default.example',
      password: PASSWORD,
      role: 'viewer',
      tenant: 'default',
    });
    const reset = await fetch(
      `${s.url}/api/v1/users/${other.id}`,
      jsonBody('PATCH', { password: NEW_PASSWORD }, bearer(session.accessToken)),
    );
    expect(reset.status).toBe(200);
    await login(s.url, 'reset-me@default.example', NEW_PASSWORD);
  });

  it('counts wrong current passwords as wrong logins: the account locks out here as at login', async () => {
    // A first lock-out of a minute: far longer than this test takes, however slow the machine.
    const locking = await startAccessServer({ server: { loginThrottle: { baseLockSeconds: 60 } } });
    await locking.server.auth.createUser({
      email: 'guessed@default.example',
      password: PASSWORD,
      role: 'editor',
      tenant: 'default',
    });
    const session = await login(locking.url, 'guessed@default.example', PASSWORD);
    const changeThere = (body: Record<string, unknown>) =>
      fetch(`${locking.url}/api/v1/auth/password`, jsonBody('POST', body, bearer(session.accessToken)));
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await changeThere({ currentPassword: `guess ${i}`, newPassword: NEW_PASSWORD })).status);
    // Five free failures (the default) and the one that locks; then the lock-out answers before
    // any password is checked.
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 429, 429]);
    const locked = await changeThere({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as ErrorBody).error.code).toBe('RATE_LIMITED');
    // ...and the login of the same account is locked as well.
    const loginNow = await fetch(
      `${locking.url}/api/v1/auth/login`,
      jsonBody('POST', { email: 'guessed@default.example', password: PASSWORD }),
    );
    expect(loginNow.status).toBe(429);
  });
});
