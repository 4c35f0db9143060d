import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { createOracleConnector } from '../src/connectors/index.js';
import { createOracleFake, IDCS_AUDIENCE } from './fakes/oracle.js';
import { createRsaKeyPair, sharedTestKeyPair } from './fakes/signing-keys.js';
import { connectorMaker, quickHa, useFakes } from './support/connectors.js';

const fake = createOracleFake({ users: ['casey.brown'] });
const http = useFakes([fake]);

const credentials = () => ({
  authMode: 'jwt_user_assertion' as const,
  baseUrl: fake.url,
  identityDomainUrl: fake.url,
  clientId: fake.credentials.clientId,
  clientSecret: fake.credentials.clientSecret,
  scope: fake.credentials.scope,
  username: 'casey.brown',
  privateKey: sharedTestKeyPair().privateKeyPem,
  certificateAlias: 'fileforge-test',
});

const oracle = connectorMaker(createOracleConnector, () => ({
  credentials: credentials(),
  http,
  ha: quickHa,
}));

const tokenRequests = () => fake.service.requestsTo('POST', '/oauth2/v1/token');
const suppliersPosted = () => fake.service.requestsTo('POST', '/fscmRestApi/resources/11.13.18.05/suppliers');
let sequence = 0;
const unique = (prefix: string) => `${prefix} ${process.pid}-${++sequence}`;

describe('Oracle ERP Cloud connector: JWT user assertion', () => {
  it('gets a token for the Fusion user with a signed assertion (kid, iss, sub, aud), and Fusion creates as that user', async () => {
    const name = unique('Assertion Supplies');
    const result = await oracle().action('createSupplier', { supplier: name });
    expect(result).toMatchObject({ success: true, attempt: 1, data: { supplier: name } });
    const { supplierId } = result.data as { supplierId: number };
    expect(fake.suppliers.get(supplierId)).toMatchObject({ Supplier: name, CreatedBy: 'casey.brown' });

    const [token] = tokenRequests();
    const basic = Buffer.from(`${fake.credentials.clientId}:${fake.credentials.clientSecret}`).toString(
      'base64',
    );
    expect(token?.headers.authorization).toBe(`Basic ${basic}`);
    expect(token?.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    const form = Object.fromEntries(new URLSearchParams(token!.body.toString('utf8')));
    expect(form).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: expect.any(String),
      scope: 'urn:opc:resource:consumer::all',
    });
    expect(decodeProtectedHeader(form.assertion!)).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      kid: 'fileforge-test',
    });
    const claims = decodeJwt(form.assertion!);
    expect(claims).toMatchObject({ iss: fake.credentials.clientId, sub: 'casey.brown', aud: IDCS_AUDIENCE });
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(suppliersPosted().at(-1)?.headers.authorization).toMatch(/^Bearer user:casey\.brown\./);
  });

  it('mints a new assertion for the one re-auth after the token expired', async () => {
    const connector = oracle();
    expect((await connector.action('createSupplier', { supplier: unique('Before') })).success).toBe(true);
    const before = tokenRequests().length;
    fake.service.tokens.expireAll();
    const result = await connector.action('createSupplier', { supplier: unique('After') });
    expect(result).toMatchObject({ success: true, attempt: 1 });
    const after = tokenRequests().slice(before);
    expect(after).toHaveLength(1);
    expect(new URLSearchParams(after[0]!.body.toString('utf8')).get('grant_type')).toBe(
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
    );
  });

  it('is refused (invalid_grant, no API call, no retry) when signed by a key the identity domain does not trust', async () => {
    const posted = suppliersPosted().length;
    const before = tokenRequests().length;
    const forged = createRsaKeyPair().privateKeyPem;
    const result = await oracle({ credentials: { ...credentials(), privateKey: forged } }).action(
      'createSupplier',
      { supplier: unique('Forged') },
    );
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: { code: 'INTEGRATION_REJECTED', details: { status: 400, vendorCode: 'invalid_grant' } },
    });
    expect(tokenRequests().length - before).toBe(1);
    expect(suppliersPosted()).toHaveLength(posted);
  });

  it('is refused for a certificate alias or a user the identity domain does not know', async () => {
    for (const change of [{ certificateAlias: 'someone-else' }, { username: 'nobody' }]) {
      const result = await oracle({ credentials: { ...credentials(), ...change } }).testConnection();
      expect(result).toMatchObject({
        success: false,
        error: { code: 'INTEGRATION_REJECTED', details: { vendorCode: 'invalid_grant' } },
      });
    }
  });

  it('fails at construction without the fields the assertion needs, naming them only', () => {
    const { certificateAlias: _alias, privateKey: _key, ...partial } = credentials();
    expect(() => oracle({ credentials: partial })).toThrow(
      /Invalid credentials: privateKey, certificateAlias$/,
    );
  });
});
