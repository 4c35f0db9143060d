import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AccessServer,
  bearer,
  type ErrorBody,
  jsonBody,
  startAccessServer,
  stopAccessServers,
} from './support/access-server.js';

const PASSWORD = 'correct horse battery staple';

let s: AccessServer;
let acmeAdmin: string;

beforeAll(async () => {
  s = await startAccessServer();
  const { auth } = s.server;
  await auth.createUser({
    email: 'editor@example.com',
    password: PASSWORD,
    role: 'editor',
    tenant: 'default',
  });
  await auth.createUser({ email: 'admin@acme.example', password: PASSWORD, role: 'admin', tenant: 'acme' });
  acmeAdmin = (await auth.login('admin@acme.example', PASSWORD)).accessToken;
});
afterAll(stopAccessServers);

async function login(body: Record<string, unknown>) {
  const res = await fetch(`${s.url}/api/v1/auth/login`, jsonBody('POST', body));
  return {
    status: res.status,
    body: (await res.json()) as ErrorBody & { user?: { tenant: string; email: string; role: string } },
  };
}

describe('emails unique per tenant (issue 7)', () => {
  it('lets an admin create a user whose email exists only in another tenant (201, not 409)', async () => {
    const create = () =>
      fetch(
        `${s.url}/api/v1/users`,
        jsonBody(
          'POST',
          { email: 'Editor@Example.com', password: 'another password', role: 'viewer' },
          bearer(acmeAdmin),
        ),
      );
    const res = await create();
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ tenant: 'acme', email: 'editor@example.com', role: 'viewer' });
    // Within the tenant the email is still taken.
    const again = await create();
    expect(again.status).toBe(409);
    expect(((await again.json()) as ErrorBody).error.code).toBe('CONFLICT');
  });

  it('logs in to the account whose password matches when the passwords differ', async () => {
    const inDefault = await login({ email: 'editor@example.com', password: PASSWORD });
    expect(inDefault.status).toBe(200);
    expect(inDefault.body.user).toMatchObject({ tenant: 'default', role: 'editor' });
    const inAcme = await login({ email: 'editor@example.com', password: 'another password' });
    expect(inAcme.status).toBe(200);
    expect(inAcme.body.user).toMatchObject({ tenant: 'acme', role: 'viewer' });
    expect((await login({ email: 'editor@example.com', password: 'neither of them' })).status).toBe(401);
    // Naming a tenant restricts the check to that tenant's account.
    expect(
      (await login({ email: 'editor@example.com', password: 'another password', tenant: 'default' })).status,
    ).toBe(401);
  });

  it('answers 409 TENANT_REQUIRED listing both tenants when the same password opens both accounts', async () => {
    const { auth } = s.server;
    await auth.createUser({
      email: 'twin@example.com',
      password: PASSWORD,
      role: 'viewer',
      tenant: 'default',
    });
    await auth.createUser({ email: 'twin@example.com', password: PASSWORD, role: 'editor', tenant: 'acme' });
    await auth.createUser({
      email: 'twin@example.com',
      password: 'a third password',
      role: 'admin',
      tenant: 'zeta',
    });

    const ambiguous = await login({ email: 'twin@example.com', password: PASSWORD });
    expect(ambiguous.status).toBe(409);
    expect(ambiguous.body.error.code).toBe('TENANT_REQUIRED');
    // Only the tenants this password opens: `zeta` (another password) is not revealed.
    expect(ambiguous.body.error.details).toEqual({ tenants: ['acme', 'default'] });

    const acme = await login({ email: 'twin@example.com', password: PASSWORD, tenant: 'acme' });
    expect(acme.status).toBe(200);
    expect(acme.body.user).toMatchObject({ tenant: 'acme', role: 'editor' });
    const deflt = await login({ email: 'twin@example.com', password: PASSWORD, tenant: 'default' });
    expect(deflt.body.user).toMatchObject({ tenant: 'default', role: 'viewer' });

    // Without the password nothing about the tenants comes out.
    const wrong = await login({ email: 'twin@example.com', password: 'a guess' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.details).toEqual({ reason: 'invalid_credentials' });
    expect((await login({ email: 'twin@example.com', password: PASSWORD, tenant: 'nowhere' })).status).toBe(
      401,
    );
  });

  it('offers the web page a tenant field, hidden until a login needs it', async () => {
    const page = await (await fetch(`${s.url}/`)).text();
    expect(page).toMatch(/<label id="tenant-field" hidden="">Tenant <input name="tenant"/);
    const script = await (await fetch(`${s.url}/assets/sign-in.js`)).text();
    expect(script).toContain("answer.error.code === 'TENANT_REQUIRED'");
  });
});
