import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from './support/access-seed.js';
import {
  type AccessServer,
  type ErrorBody,
  jsonBody,
  startAccessServer,
  stopAccessServers,
  uploadForm,
} from './support/access-server.js';

const ADMIN = { email: 'first-admin@default.example', password: PASSWORD };

/** One `Set-Cookie` header: its value and its attributes (names lower-cased). */
function parseSetCookie(header: string) {
  const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
  const eq = pair.indexOf('=');
  return {
    name: pair.slice(0, eq),
    value: pair.slice(eq + 1),
    attributes: new Map(
      attributes.map((a) => {
        const [key = '', value = ''] = a.split('=');
        return [key.toLowerCase(), value] as const;
      }),
    ),
  };
}

let s: AccessServer;
/** The cookie login of the admin: what the browser was sent. */
let loginResponse: { status: number; body: Record<string, unknown>; setCookies: string[] };
/** The session cookie the browser sends back (`ff_at=…`). */
let sessionCookie: string;

beforeAll(async () => {
  s = await startAccessServer();
  await s.server.auth.createUser({ ...ADMIN, role: 'admin', tenant: 'default' });
  const res = await fetch(`${s.url}/api/v1/auth/login`, jsonBody('POST', { ...ADMIN, session: 'cookie' }));
  loginResponse = {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    setCookies: res.headers.getSetCookie(),
  };
  const access = loginResponse.setCookies.map(parseSetCookie).find((c) => c.name === 'ff_at');
  sessionCookie = `ff_at=${access?.value}`;
});
afterAll(stopAccessServers);

const page = (url: string, headers: Record<string, string> = {}) => fetch(`${url}/`, { headers });

describe('the web page on a fresh install', () => {
  it('offers the one-time setup form, creates the first admin once, then asks for a login', async () => {
    const fresh = await startAccessServer();
    const before = await page(fresh.url);
    expect(before.status).toBe(200);
    const setupHtml = await before.text();
    expect(setupHtml).toContain('<form id="setup"');
    expect(setupHtml).not.toContain('<form id="upload"');

    const first = await fetch(`${fresh.url}/api/v1/setup`, jsonBody('POST', ADMIN));
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ email: ADMIN.email, role: 'admin', tenant: 'default' });
    const again = await fetch(
      `${fresh.url}/api/v1/setup`,
      jsonBody('POST', { email: 'second@default.example', password: PASSWORD }),
    );
    expect(again.status).toBe(409);
    expect(((await again.json()) as ErrorBody).error.code).toBe('CONFLICT');

    const after = await (await page(fresh.url)).text();
    expect(after).toContain('<form id="login"');
    expect(after).not.toContain('<form id="setup"');
  });
});

describe('the web page session', () => {
  it('logs in with HttpOnly, SameSite=Strict cookies and no token in the body', () => {
    const { status, body, setCookies } = loginResponse;
    expect(status).toBe(200);
    expect(body).not.toHaveProperty('accessToken');
    expect(body).not.toHaveProperty('refreshToken');
    expect(body).toMatchObject({ user: { email: ADMIN.email } });

    const cookies = new Map(setCookies.map((h) => [parseSetCookie(h).name, parseSetCookie(h)]));
    const access = cookies.get('ff_at');
    const refresh = cookies.get('ff_rt');
    expect(access?.value).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(access?.attributes.has('httponly')).toBe(true);
    expect(access?.attributes.get('samesite')).toBe('Strict');
    expect(access?.attributes.get('path')).toBe('/');
    expect(refresh?.value).toMatch(/^rt_/);
    expect(refresh?.attributes.has('httponly')).toBe(true);
    expect(refresh?.attributes.get('samesite')).toBe('Strict');
    expect(refresh?.attributes.get('path')).toBe('/api/v1/auth');
    expect(JSON.stringify(body)).not.toContain(access!.value);
  });

  it('shows the upload form to the logged-in browser', async () => {
    const html = await (await page(s.url, { Cookie: sessionCookie })).text();
    expect(html).toContain('<form id="upload"');
    expect(html).toContain(ADMIN.email);
  });

  it('refuses a cookie-authenticated upload that does not come from the page’s origin (CSRF)', async () => {
    const upload = (headers: Record<string, string>) =>
      fetch(`${s.url}/api/v1/files`, {
        method: 'POST',
        headers: { Cookie: sessionCookie, ...headers },
        body: uploadForm('csrf.txt', 'cross-site attempt'),
      });
    const crossSite: Record<string, string>[] = [
      {},
      { Origin: 'https://evil.example' },
      { 'Sec-Fetch-Site': 'cross-site' },
    ];
    for (const headers of crossSite) {
      const res = await upload(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(((await res.json()) as ErrorBody).error.code).toBe('FORBIDDEN');
    }
    const listed = await fetch(`${s.url}/api/v1/files`, { headers: { Cookie: sessionCookie } });
    expect(((await listed.json()) as { items: unknown[] }).items).toEqual([]);

    const sameOrigin = await upload({ Origin: new URL(s.url).origin });
    expect(sameOrigin.status).toBe(201);
    const { files } = (await sameOrigin.json()) as { files: { name: string }[] };
    expect(files.map((f) => f.name)).toEqual(['csrf.txt']);
  });

  it('sends the security headers with the page', async () => {
    const res = await page(s.url, { Cookie: sessionCookie });
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
    expect(res.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
  });
});
