/**
 * OAuth2 token handling, against a small OAuth2 service in the test (token endpoint + one API
 * route): single-flight acquisition, refresh before expiry, one re-auth per 401, and the
 * JWT-bearer helper. The vendor connectors (Salesforce, Dynamics, DocuSign, Teams, Oracle)
 * build on exactly this.
 */
import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createJwtAssertion, createOAuth2Auth, JWT_BEARER_GRANT } from '../src/auth/index.js';
import { createConnector, defineAction, defineConnector, secret } from '../src/connectors/index.js';
import { bearerOf, FakeService } from './fakes/fake-service.js';
import { manualClock, quickHa, useFakes } from './support/connectors.js';

let tokenTtlSec = 3600;

const vendor = new FakeService();
vendor.app.post('/oauth2/token', async (c) => {
  const form = new URLSearchParams(await c.req.text());
  if (form.get('grant_type') === JWT_BEARER_GRANT) {
    return c.json({
      access_token: vendor.tokens.issue('jwt-user', tokenTtlSec),
      token_type: 'Bearer',
      expires_in: tokenTtlSec,
    });
  }
  if (form.get('grant_type') !== 'client_credentials')
    return c.json({ error: 'unsupported_grant_type' }, 400);
  if (form.get('client_id') !== 'app' || form.get('client_secret') !== 's3cret') {
    return c.json({ error: 'invalid_client', error_description: 'Client authentication failed.' }, 401);
  }
  await new Promise((r) => setTimeout(r, 20)); // slow enough for concurrent callers to pile up
  return c.json({
    access_token: vendor.tokens.issue('app', tokenTtlSec),
    token_type: 'Bearer',
    expires_in: tokenTtlSec,
  });
});
vendor.app.get('/api/me', (c) =>
  vendor.tokens.check(bearerOf(c))
    ? c.json({ id: 'me' })
    : c.json({ error: { code: 'InvalidAuthenticationToken', message: 'expired' } }, 401),
);
const http = useFakes([vendor], {
  beforeEach: () => {
    tokenTtlSec = 3600;
  },
});

/** A minimal OAuth2 connector, as Dynamics or Oracle would declare theirs. */
const demoConnector = defineConnector({
  slug: 'demo',
  name: 'Demo',
  credentials: z.object({ clientId: z.string(), clientSecret: secret(z.string()) }),
  endpoints: () => 'http://127.0.0.1:1/',
  auth: (c, { http, now }) =>
    createOAuth2Auth({
      integration: 'demo',
      tokenUrl: `${vendor.url}/oauth2/token`,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      params: { grant_type: 'client_credentials', scope: 'api/.default' },
      http,
      now,
    }),
  testConnection: async (client) => (await client.request({ path: 'api/me' })).data,
  actions: {
    me: defineAction({
      description: 'Reads the caller.',
      input: z.object({}),
      run: async (client) => (await client.request({ path: 'api/me' })).data,
    }),
  },
});

const demo = (clientSecret = 's3cret') =>
  createConnector(demoConnector, {
    credentials: { clientId: 'app', clientSecret },
    endpoints: vendor.url,
    http,
    ha: quickHa,
  });

const paths = () => vendor.requests.map((r) => `${r.method} ${r.path}`);

describe('OAuth2 token handling', () => {
  it('gets a token once and reuses it', async () => {
    const connector = demo();
    expect((await connector.action('me', {})).data).toEqual({ id: 'me' });
    expect((await connector.action('me', {})).success).toBe(true);
    expect(paths()).toEqual(['POST /oauth2/token', 'GET /api/me', 'GET /api/me']);
    const [token] = vendor.requestsTo('POST', '/oauth2/token');
    expect(token?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(token!.body.toString()))).toEqual({
      grant_type: 'client_credentials',
      scope: 'api/.default',
      client_id: 'app',
      client_secret: 's3cret',
    });
  });

  it('shares one token request among concurrent calls (single flight)', async () => {
    const connector = demo();
    const results = await Promise.all(Array.from({ length: 10 }, () => connector.action('me', {})));
    expect(results.every((r) => r.success)).toBe(true);
    expect(vendor.requestsTo('POST', '/oauth2/token')).toHaveLength(1);
  });

  it('re-authenticates exactly once when the token expired, and the call succeeds', async () => {
    const connector = demo();
    await connector.action('me', {});
    vendor.tokens.expireAll();
    vendor.requests.length = 0;
    const result = await connector.action('me', {});
    expect(result).toMatchObject({ success: true, attempt: 1 });
    expect(paths()).toEqual(['GET /api/me', 'POST /oauth2/token', 'GET /api/me']);
  });

  it('does not loop on a 401 that a fresh token does not cure', async () => {
    const connector = demo();
    vendor.inject({
      status: 401,
      body: { error: { code: 'Unauthorized', message: 'no' } },
      match: (r) => r.path === '/api/me',
      times: 5,
    });
    const result = await connector.action('me', {});
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: { code: 'INTEGRATION_REJECTED', details: { status: 401, vendorCode: 'Unauthorized' } },
    });
    expect(paths()).toEqual(['POST /oauth2/token', 'GET /api/me', 'POST /oauth2/token', 'GET /api/me']);
  });

  it('refreshes a token before it expires instead of waiting for a 401', async () => {
    tokenTtlSec = 120;
    const clock = manualClock();
    const auth = createOAuth2Auth({
      integration: 'demo',
      tokenUrl: `${vendor.url}/oauth2/token`,
      clientId: 'app',
      clientSecret: 's3cret',
      params: { grant_type: 'client_credentials' },
      http,
      now: clock.now,
      refreshSkewMs: 60_000,
    });
    const first = await auth.token();
    clock.advance(59_000);
    expect((await auth.token()).accessToken).toBe(first.accessToken);
    clock.advance(1_000); // 60 s left: inside the skew
    expect((await auth.token()).accessToken).not.toBe(first.accessToken);
    expect(auth.tokenRequests).toBe(2);
  });

  it('keeps a token that lives less than twice the skew until halfway, instead of fetching one per call', async () => {
    tokenTtlSec = 30;
    const clock = manualClock();
    const auth = createOAuth2Auth({
      integration: 'demo',
      tokenUrl: `${vendor.url}/oauth2/token`,
      clientId: 'app',
      clientSecret: 's3cret',
      params: { grant_type: 'client_credentials' },
      http,
      now: clock.now,
    });
    const first = await auth.token();
    clock.advance(14_000);
    expect((await auth.token()).accessToken).toBe(first.accessToken);
    expect(auth.tokenRequests).toBe(1);
    clock.advance(1_000); // halfway through its 30 s
    expect((await auth.token()).accessToken).not.toBe(first.accessToken);
    expect(auth.tokenRequests).toBe(2);
  });

  it('reports refused client credentials as INTEGRATION_REJECTED with the OAuth error', async () => {
    const result = await demo('wrong').testConnection();
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: { code: 'INTEGRATION_REJECTED', details: { status: 401, vendorCode: 'invalid_client' } },
    });
  });

  it('sends client credentials as HTTP Basic when asked (Oracle IDCS)', async () => {
    const auth = createOAuth2Auth({
      integration: 'oracle',
      tokenUrl: `${vendor.url}/oauth2/token`,
      clientId: 'app',
      clientSecret: 's3cret',
      clientAuthentication: 'basic',
      params: { grant_type: 'client_credentials' },
      http,
    });
    await auth.token().catch(() => undefined);
    const [request] = vendor.requestsTo('POST', '/oauth2/token');
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from('app:s3cret').toString('base64')}`);
    expect(new URLSearchParams(request!.body.toString()).has('client_secret')).toBe(false);
  });

  it('mints a fresh JWT-bearer assertion for each token request', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const auth = createOAuth2Auth({
      integration: 'docusign',
      tokenUrl: `${vendor.url}/oauth2/token`,
      http,
      params: async () => ({
        grant_type: JWT_BEARER_GRANT,
        assertion: await createJwtAssertion({
          privateKey: pem,
          issuer: 'integration-key',
          subject: 'user-guid',
          audience: 'account-d.docusign.com',
          scope: 'signature impersonation',
          ttlSeconds: 3600,
          now: () => 1_700_000_000_000,
        }),
      }),
    });
    await auth.token();
    const form = new URLSearchParams(vendor.requestsTo('POST', '/oauth2/token')[0]!.body.toString());
    const assertion = form.get('assertion')!;
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(decodeJwt(assertion)).toEqual({
      iss: 'integration-key',
      sub: 'user-guid',
      aud: 'account-d.docusign.com',
      scope: 'signature impersonation',
      iat: 1_700_000_000,
      exp: 1_700_003_600,
    });
  });
});
