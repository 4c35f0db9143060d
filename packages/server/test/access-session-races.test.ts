/**
 * A logout, a password reset or a disabling that lands while a login or a refresh is running
 * must end that session too: it revokes every refresh token that exists, and the running one
 * mints its successor a moment later. Each test holds the login or refresh at the point
 * between checking and minting (by wrapping the catalog's account store) and runs the change
 * there, so the interleaving is exact rather than left to timing.
 */
import type { AccountStore } from '@fileforge/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
const restore: (() => void)[] = [];

beforeAll(async () => {
  s = await startAccessServer();
  adminToken = (await loggedInAdmin(s, PASSWORD)).accessToken;
});
afterEach(() => {
  for (const undo of restore.splice(0)) undo();
});
afterAll(stopAccessServers);

/** Runs `step` once, inside the next call of `method`: before it (`'before'`) or after it answered. */
function interleave<K extends 'markRefreshTokenUsed' | 'createRefreshToken'>(
  method: K,
  when: 'before' | 'after',
  step: () => Promise<void>,
) {
  const accounts = s.forge.catalog.accounts;
  const original = accounts[method] as (...args: unknown[]) => Promise<unknown>;
  let pending: (() => Promise<void>) | undefined = step;
  const wrapped = async (...args: unknown[]) => {
    const run = pending;
    pending = undefined;
    if (run && when === 'before') await run();
    const result = await original(...args);
    if (run && when === 'after') await run();
    return result;
  };
  (accounts as unknown as Record<string, unknown>)[method] = wrapped as AccountStore[K];
  restore.push(() => {
    (accounts as unknown as Record<string, unknown>)[method] = original;
  });
}

async function editor() {
  const email = `editor-${++n}@default.example`;
  const user = await s.server.auth.createUser({
    email,
    password: PASSWORD,
    role: 'editor',
    tenant: 'default',
  });
  return { id: user.id, email };
}

const refresh = (refreshToken: string) =>
  fetch(`${s.url}/api/v1/auth/refresh`, jsonBody('POST', { refreshToken }));
const resetPassword = async (id: string) => {
  const res = await fetch(
    `${s.url}/api/v1/users/${id}`,
    jsonBody('PATCH', { password: 'reset by the admin' }, bearer(adminToken)),
  );
  expect(res.status).toBe(200);
};

async function expectNoSession(res: Response) {
  const body = (await res.json()) as ErrorBody & { refreshToken?: string };
  // Before the fix the answer was 200, with a refresh token the change had not revoked.
  if (body.refreshToken) expect((await refresh(body.refreshToken)).status).toBe(401);
  expect(res.status).toBe(401);
  expect(body.error.code).toBe('UNAUTHENTICATED');
}

describe('sessions ended while a refresh or login is running stay ended', () => {
  it('a refresh overtaken by a logout of its login gives no session', async () => {
    const user = await editor();
    const session = await login(s.url, user.email, PASSWORD);
    interleave('markRefreshTokenUsed', 'after', async () => {
      const out = await fetch(
        `${s.url}/api/v1/auth/logout`,
        jsonBody('POST', { refreshToken: session.refreshToken }),
      );
      expect(out.status).toBe(204);
    });
    await expectNoSession(await refresh(session.refreshToken));
  });

  it('a refresh overtaken by a password reset gives no session', async () => {
    const user = await editor();
    const session = await login(s.url, user.email, PASSWORD);
    interleave('markRefreshTokenUsed', 'after', () => resetPassword(user.id));
    await expectNoSession(await refresh(session.refreshToken));
  });

  it('a refresh overtaken by disabling the account gives no session', async () => {
    const user = await editor();
    const session = await login(s.url, user.email, PASSWORD);
    // Disabled between the refresh's account check and the new token: the token must not survive.
    interleave('createRefreshToken', 'before', async () => {
      const res = await fetch(
        `${s.url}/api/v1/users/${user.id}`,
        jsonBody('PATCH', { disabled: true }, bearer(adminToken)),
      );
      expect(res.status).toBe(200);
    });
    await expectNoSession(await refresh(session.refreshToken));
  });

  it('a login with the old password overtaken by a password reset gives no session', async () => {
    const user = await editor();
    interleave('createRefreshToken', 'before', () => resetPassword(user.id));
    const res = await fetch(
      `${s.url}/api/v1/auth/login`,
      jsonBody('POST', { email: user.email, password: PASSWORD }),
    );
    await expectNoSession(res);
  });

  it('leaves refreshes and logins that nothing overtakes alone', async () => {
    const user = await editor();
    const session = await login(s.url, user.email, PASSWORD);
    const res = await refresh(session.refreshToken);
    expect(res.status).toBe(200);
    const next = (await res.json()) as { accessToken: string; refreshToken: string };
    expect((await fetch(`${s.url}/api/v1/auth/me`, { headers: bearer(next.accessToken) })).status).toBe(200);
    expect((await refresh(next.refreshToken)).status).toBe(200);
  });
});
