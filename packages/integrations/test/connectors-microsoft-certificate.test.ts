/**
 * Issue 11: Dynamics 365 and Teams sign in with a certificate (specs/connectors.md §2
 * "certificate alternative", §5 "client_secret or client_assertion"): a `client_assertion` the
 * Microsoft identity fake checks as the platform does.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { createDynamicsConnector, createTeamsConnector } from '../src/connectors/index.js';
import { createDynamicsFake } from './fakes/dynamics.js';
import { createTeamsFake } from './fakes/teams.js';
import { connectorMaker, memoryFile, quickHa, useFakes } from './support/connectors.js';

const fake = createDynamicsFake();
const graph = createTeamsFake();
const http = useFakes([fake, graph]);
const certificate = () => ({
  tenantId: fake.tenantId,
  clientId: fake.clientId,
  certificatePrivateKey: fake.identity.certificatePrivateKeyPem!,
  certificateThumbprint: fake.identity.certificateThumbprint,
  orgUrl: fake.url,
  authorityUrl: fake.url,
});
const dynamics = connectorMaker(createDynamicsConnector, () => ({
  credentials: certificate(),
  http,
  ha: quickHa,
}));
const tokenCalls = () => fake.service.requestsTo('POST', `/${fake.tenantId}/oauth2/v2.0/token`);

describe('Dynamics 365 connector with a certificate', () => {
  it('sends a client_assertion (x5t, iss = sub = client id, aud = token URL, jti, nbf) and no secret', async () => {
    const result = await dynamics().action('createAccount', { name: 'Contoso (certificate)' });
    expect(result).toMatchObject({ success: true, attempt: 1 });
    const [token] = tokenCalls();
    const form = Object.fromEntries(new URLSearchParams(token?.body.toString()));
    expect(form).toEqual({
      grant_type: 'client_credentials',
      scope: `${fake.url}/.default`,
      client_id: fake.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: expect.any(String),
    });
    expect(decodeProtectedHeader(form.client_assertion!)).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      x5t: Buffer.from(fake.identity.certificateThumbprint, 'hex').toString('base64url'),
    });
    const claims = decodeJwt(form.client_assertion!);
    expect(claims).toMatchObject({ iss: fake.clientId, sub: fake.clientId, aud: fake.tokenUrl });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.exp! - claims.nbf!).toBe(600);
  });

  it('is refused (AADSTS700027) when the thumbprint names a certificate the app does not have', async () => {
    const result = await dynamics({
      credentials: { ...certificate(), certificateThumbprint: 'AB'.repeat(20) },
    }).testConnection();
    expect(result).toMatchObject({
      success: false,
      error: { code: 'INTEGRATION_REJECTED', details: { status: 401, vendorCode: 'invalid_client' } },
    });
    expect(result.error?.message).toMatch(/not registered on application/);
  });

  it('needs a secret or both certificate fields, naming them', () => {
    const { certificateThumbprint: _t, ...keyOnly } = certificate();
    expect(() => dynamics({ credentials: keyOnly })).toThrow(/Invalid credentials: certificateThumbprint$/);
    const { certificatePrivateKey: _k, certificateThumbprint: _t2, ...neither } = certificate();
    expect(() => dynamics({ credentials: neither })).toThrow(/Invalid credentials: clientSecret$/);
  });
});

describe('Teams connector with a certificate', () => {
  const teams = connectorMaker(createTeamsConnector, () => ({
    credentials: {
      tenantId: graph.credentials.tenant,
      clientId: graph.credentials.clientId,
      certificatePrivateKey: graph.identity.certificatePrivateKeyPem!,
      certificateThumbprint: graph.identity.certificateThumbprint,
      authorityUrl: graph.url,
      graphUrl: graph.graphUrl,
    },
    http,
    ha: quickHa,
  }));

  it('gets an app-only Graph token with a client_assertion, and uploads with it', async () => {
    const result = await teams().action(
      'uploadFile',
      { teamId: graph.defaults.teamId, channelId: graph.defaults.channelId },
      { file: memoryFile(Buffer.from('hello'), 'cert.txt', 'text/plain') },
    );
    expect(result).toMatchObject({ success: true, data: { method: 'simple', name: 'cert.txt' } });
    const [token] = graph.service.requestsTo('POST', `/${graph.credentials.tenant}/oauth2/v2.0/token`);
    const form = Object.fromEntries(new URLSearchParams(token?.body.toString()));
    expect(form).toMatchObject({
      grant_type: 'client_credentials',
      scope: 'https://graph.microsoft.com/.default',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    });
    expect(form.client_secret).toBeUndefined();
    expect(decodeJwt(form.client_assertion!)).toMatchObject({
      aud: graph.tokenUrl,
      iss: graph.credentials.clientId,
    });
  });
});
