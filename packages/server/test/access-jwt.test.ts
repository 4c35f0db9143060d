import { generateKeyPairSync } from 'node:crypto';
import { type CryptoKey, importPKCS8, type JWTHeaderParameters, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from './support/access-seed.js';
import {
  type AccessServer,
  bearer,
  type ErrorBody,
  jsonBody,
  login,
  startAccessServer,
  stopAccessServers,
  TOKEN_SECRET,
} from './support/access-server.js';

const HEADER = { alg: 'HS256', typ: 'at+jwt', kid: 'fileforge-1' } as const;
const hmacKey = (secret: string) => new TextEncoder().encode(secret);
const nowSeconds = () => Math.floor(Date.now() / 1000);

interface Forged {
  header?: JWTHeaderParameters;
  key?: Uint8Array | CryptoKey;
  iss?: string;
  aud?: string;
  iat?: number;
  exp?: number;
}

let hs: AccessServer;
let user: { id: string; email: string };

/** A token in the server's own claims shape, with any part replaced. */
function signToken(sub: string, forged: Forged = {}): Promise<string> {
  const iat = forged.iat ?? nowSeconds();
  return new SignJWT({ tenant: 'default', role: 'editor', ver: 0 })
    .setProtectedHeader(forged.header ?? HEADER)
    .setSubject(sub)
    .setIssuer(forged.iss ?? 'fileforge')
    .setAudience(forged.aud ?? 'fileforge-api')
    .setIssuedAt(iat)
    .setExpirationTime(forged.exp ?? iat + 600)
    .sign(forged.key ?? hmacKey(TOKEN_SECRET));
}

const listFiles = (server: AccessServer, token: string) =>
  fetch(`${server.url}/api/v1/files`, { headers: bearer(token) });

async function expectInvalidToken(res: Response) {
  expect(res.status).toBe(401);
  expect(res.headers.get('WWW-Authenticate')).toContain('invalid_token');
  expect(((await res.json()) as ErrorBody).error.code).toBe('UNAUTHENTICATED');
}

beforeAll(async () => {
  hs = await startAccessServer();
  const created = await hs.server.auth.createUser({
    email: 'editor@default.example',
    password: PASSWORD,
    role: 'editor',
    tenant: 'default',
  });
  user = { id: created.id, email: created.email };
});
afterAll(stopAccessServers);

describe('access tokens (HS256)', () => {
  it('accepts a correctly signed token of the right shape', async () => {
    const res = await listFiles(hs, await signToken(user.id));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ items: [] });
  });

  it('refuses an unsigned token (alg "none")', async () => {
    const iat = nowSeconds();
    const token = new UnsecuredJWT({ tenant: 'default', role: 'admin' })
      .setSubject(user.id)
      .setIssuer('fileforge')
      .setAudience('fileforge-api')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 600)
      .encode();
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'none' });
    await expectInvalidToken(await listFiles(hs, token));
  });

  it('refuses a token that expired 31 seconds ago (beyond the 5 s clock tolerance)', async () => {
    const now = nowSeconds();
    await expectInvalidToken(
      await listFiles(hs, await signToken(user.id, { iat: now - 120, exp: now - 31 })),
    );
  });

  it('still accepts a token that expired a moment ago, inside the clock tolerance', async () => {
    // The other side of the 31 s case: the tolerance exists (4 s of margin for a slow machine).
    const now = nowSeconds();
    const res = await listFiles(hs, await signToken(user.id, { iat: now - 120, exp: now - 1 }));
    expect(res.status).toBe(200);
  });

  it('refuses a correctly signed token without exp (it would never expire)', async () => {
    const token = await new SignJWT({ tenant: 'default', role: 'editor', ver: 0 })
      .setProtectedHeader(HEADER)
      .setSubject(user.id)
      .setIssuer('fileforge')
      .setAudience('fileforge-api')
      .setIssuedAt(nowSeconds())
      .sign(hmacKey(TOKEN_SECRET));
    await expectInvalidToken(await listFiles(hs, token));
  });

  it('refuses a token for another audience', async () => {
    await expectInvalidToken(await listFiles(hs, await signToken(user.id, { aud: 'some-other-api' })));
  });

  it('refuses a token from another issuer', async () => {
    await expectInvalidToken(await listFiles(hs, await signToken(user.id, { iss: 'not-fileforge' })));
  });

  it('refuses a token signed under an unknown key id', async () => {
    await expectInvalidToken(
      await listFiles(hs, await signToken(user.id, { header: { ...HEADER, kid: 'fileforge-2' } })),
    );
  });

  it('refuses a token without the at+jwt type header', async () => {
    const header = { alg: 'HS256', kid: 'fileforge-1' };
    await expectInvalidToken(await listFiles(hs, await signToken(user.id, { header })));
  });

  it('refuses a token signed with another secret', async () => {
    await expectInvalidToken(await listFiles(hs, await signToken(user.id, { key: hmacKey('y'.repeat(48)) })));
  });
});

describe('access tokens (RS256)', () => {
  it('refuses an HS256 token whose HMAC secret is the public key (algorithm confusion)', async () => {
    const { publicKey: publicKeyPem, privateKey: privateKeyPem } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const rs = await startAccessServer({
      server: { tokens: { algorithm: 'RS256', privateKeyPem, publicKeyPem } },
    });
    const owner = await rs.server.auth.createUser({
      email: 'rs@default.example',
      password: PASSWORD,
      role: 'viewer',
      tenant: 'default',
    });

    const confused = await signToken(owner.id, { key: hmacKey(publicKeyPem) });
    await expectInvalidToken(await listFiles(rs, confused));

    // The same claims, properly signed with the private key, are accepted.
    const genuine = await signToken(owner.id, {
      header: { ...HEADER, alg: 'RS256' },
      key: await importPKCS8(privateKeyPem, 'RS256'),
    });
    expect((await listFiles(rs, genuine)).status).toBe(200);
  });
});

describe('refresh tokens', () => {
  const refresh = (refreshToken: string) =>
    fetch(`${hs.url}/api/v1/auth/refresh`, jsonBody('POST', { refreshToken }));

  it('lets two tabs refresh with the same token at once: both get a session of the same login', async () => {
    const first = await login(hs.url, user.email, PASSWORD);
    const both = await Promise.all([refresh(first.refreshToken), refresh(first.refreshToken)]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    const sessions = (await Promise.all(both.map((r) => r.json()))) as Array<{
      accessToken: string;
      refreshToken: string;
    }>;
    expect(sessions[0]!.refreshToken).not.toBe(sessions[1]!.refreshToken);
    for (const session of sessions) {
      expect((await listFiles(hs, session.accessToken)).status).toBe(200);
      expect((await refresh(session.refreshToken)).status).toBe(200);
    }
  });

  it('rotates on use; reusing a spent token after the grace revokes the whole login', async () => {
    // A second of grace for tabs refreshing together; this replay comes after it.
    const strict = await startAccessServer({ server: { refreshReuseGraceSeconds: 1 } });
    await strict.server.auth.createUser({
      email: user.email,
      password: PASSWORD,
      role: 'editor',
      tenant: 'default',
    });
    const refresh = (refreshToken: string) =>
      fetch(`${strict.url}/api/v1/auth/refresh`, jsonBody('POST', { refreshToken }));
    const first = await login(strict.url, user.email, PASSWORD);
    const rotated = await refresh(first.refreshToken);
    expect(rotated.status).toBe(200);
    const second = (await rotated.json()) as { accessToken: string; refreshToken: string };
    expect(second.refreshToken).toMatch(/^rt_/);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await listFiles(strict, second.accessToken)).status).toBe(200);

    await new Promise((r) => setTimeout(r, 1_500));
    const replay = await refresh(first.refreshToken);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as ErrorBody).error.code).toBe('UNAUTHENTICATED');
    // The replay revealed a copied token: the legitimate successor is revoked as well, and so
    // are the access tokens of that login, at once rather than at their expiry.
    expect((await refresh(second.refreshToken)).status).toBe(401);
    await expectInvalidToken(await listFiles(strict, second.accessToken));
  });

  it('stops working after logout, access token included', async () => {
    const session = await login(hs.url, user.email, PASSWORD);
    expect((await listFiles(hs, session.accessToken)).status).toBe(200);
    const out = await fetch(
      `${hs.url}/api/v1/auth/logout`,
      jsonBody('POST', { refreshToken: session.refreshToken }),
    );
    expect(out.status).toBe(204);
    expect((await refresh(session.refreshToken)).status).toBe(401);
    // Not left to live out its 15 minutes.
    await expectInvalidToken(await listFiles(hs, session.accessToken));
  });

  it('ends the access tokens a refresh of the login minted too', async () => {
    const first = await login(hs.url, user.email, PASSWORD);
    const rotated = (await (await refresh(first.refreshToken)).json()) as {
      accessToken: string;
      refreshToken: string;
    };
    expect((await listFiles(hs, rotated.accessToken)).status).toBe(200);
    await fetch(`${hs.url}/api/v1/auth/logout`, jsonBody('POST', { refreshToken: rotated.refreshToken }));
    await expectInvalidToken(await listFiles(hs, first.accessToken));
    await expectInvalidToken(await listFiles(hs, rotated.accessToken));
  });

  it('leaves other logins of the same user alone', async () => {
    const kept = await login(hs.url, user.email, PASSWORD);
    const ended = await login(hs.url, user.email, PASSWORD);
    await fetch(`${hs.url}/api/v1/auth/logout`, jsonBody('POST', { refreshToken: ended.refreshToken }));
    expect((await refresh(kept.refreshToken)).status).toBe(200);
    expect((await listFiles(hs, kept.accessToken)).status).toBe(200);
    await expectInvalidToken(await listFiles(hs, ended.accessToken));
  });

  it('refuses a token naming a login that was never opened', async () => {
    const iat = nowSeconds();
    const token = await new SignJWT({ tenant: 'default', role: 'editor', ver: 0, sid: 'no-such-login' })
      .setProtectedHeader(HEADER)
      .setSubject(user.id)
      .setIssuer('fileforge')
      .setAudience('fileforge-api')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 600)
      .sign(hmacKey(TOKEN_SECRET));
    await expectInvalidToken(await listFiles(hs, token));
  });
});
