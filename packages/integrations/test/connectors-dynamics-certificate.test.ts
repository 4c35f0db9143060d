/**
 * Issue 11: Dynamics 365 signs in with a certificate (specs/connectors.md §2 "certificate
 * alternative"): a `client_assertion` the Microsoft identity fake checks as the platform does.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { createDynamicsConnector } from '../src/connectors/index.js';
import { createDynamicsFake } from './fakes/dynamics.js';
import { connectorMaker, quickHa, useFakes } from './support/connectors.js';

const fake = createDynamicsFake();
const http = useFakes([fake]);
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
