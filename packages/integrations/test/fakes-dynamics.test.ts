/**
 * Issue 11: the Dataverse fake answers the requests documented in specs/connectors.md §2
 * (replayed as written: method, path, headers, body) with the documented answers, so it is
 * checked against the documentation rather than against FileForge's connector.
 */
import { randomUUID } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDynamicsFake, type DynamicsFake, dynamicsFaults } from './fakes/dynamics.js';

/** The documented request headers (§2 "Base URL and headers"). */
const DOC_HEADERS = {
  Accept: 'application/json',
  'Content-Type': 'application/json; charset=utf-8',
  'OData-MaxVersion': '4.0',
  'OData-Version': '4.0',
};
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Dynamics 365 (Dataverse) fake, replaying the documented wire examples', () => {
  let crm: DynamicsFake;
  let now: number;
  let token: string;

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${crm.apiUrl}${path}`, {
      ...init,
      headers: {
        ...DOC_HEADERS,
        Authorization: `Bearer ${token}`,
        ...(init.headers as Record<string, string>),
      },
    });

  async function getToken(): Promise<string> {
    const res = await fetch(crm.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `client_id=${crm.clientId}&client_secret=${encodeURIComponent(crm.clientSecret)}&grant_type=client_credentials&scope=${crm.url}/.default`,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'ext_expires_in', 'token_type']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    return String(body.access_token);
  }

  beforeEach(async () => {
    now = Date.parse('2025-01-15T10:00:00Z');
    crm = createDynamicsFake({ clock: () => now, requestLimit: { max: 50, windowSec: 300 } });
    await crm.start();
    token = await getToken();
  });
  afterEach(() => crm.close());

  /** A certificate `client_assertion` as Microsoft documents it: x5t header, iss = sub, aud, jti, nbf, exp. */
  async function certificateAssertion(thumbprint: string): Promise<string> {
    const seconds = Math.floor(Date.now() / 1000); // the identity endpoint keeps real time
    return new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({
        alg: 'RS256',
        typ: 'JWT',
        x5t: Buffer.from(thumbprint, 'hex').toString('base64url'),
      })
      .setIssuer(crm.clientId)
      .setSubject(crm.clientId)
      .setAudience(crm.tokenUrl)
      .setNotBefore(seconds)
      .setExpirationTime(seconds + 300)
      .sign(await importPKCS8(crm.identity.certificatePrivateKeyPem!, 'RS256'));
  }

  it('issues a client-credentials token for scope <org>/.default, and refuses the documented mistakes', async () => {
    const form = (fields: Record<string, string>) =>
      fetch(crm.tokenUrl, { method: 'POST', body: new URLSearchParams(fields) });
    const base = { client_id: crm.clientId, grant_type: 'client_credentials', scope: crm.scope };

    const badSecret = await form({ ...base, client_secret: 'wrong' });
    expect(badSecret.status).toBe(401);
    const badSecretBody = (await badSecret.json()) as Record<string, unknown>;
    expect(badSecretBody).toMatchObject({
      error: 'invalid_client',
      error_codes: [7000215],
      error_uri: 'https://login.microsoftonline.com/error?code=7000215',
    });
    expect(badSecretBody.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided/);
    expect(Object.keys(badSecretBody)).toEqual(
      expect.arrayContaining(['timestamp', 'trace_id', 'correlation_id']),
    );

    const noDefault = await form({
      ...base,
      client_secret: crm.clientSecret,
      scope: `${crm.url}/user_impersonation`,
    });
    expect(noDefault.status).toBe(400);
    expect(await noDefault.json()).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });

    const viaCertificate = await form({
      client_id: crm.clientId,
      grant_type: 'client_credentials',
      scope: crm.scope,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await certificateAssertion(crm.identity.certificateThumbprint),
    });
    expect(viaCertificate.status).toBe(200);
    // The certificate is found by its thumbprint (x5t): another one is not registered.
    const unknown = await form({
      client_id: crm.clientId,
      grant_type: 'client_credentials',
      scope: crm.scope,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await certificateAssertion('00'.repeat(20)),
    });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ error: 'invalid_client', error_codes: [700027] });
  });

  it('creates an account: 204 No Content with the new GUID in OData-EntityId', async () => {
    const res = await api('/accounts', {
      method: 'POST',
      body: '{"name":"Contoso","telephone1":"555-0100","websiteurl":"https://contoso.example"}',
    });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    const entityId = res.headers.get('OData-EntityId') ?? '';
    const id = /\/accounts\(([^)]+)\)$/.exec(entityId)?.[1] ?? '';
    expect(entityId).toBe(`${crm.apiUrl}/accounts(${id})`);
    expect(id).toMatch(GUID);
    expect(crm.records.get('accounts', id)).toMatchObject({ name: 'Contoso', telephone1: '555-0100' });
  });

  it('binds lookups with @odata.bind, and returns the row with Prefer: return=representation', async () => {
    const accountId = crm.records.insert('accounts', { name: 'Contoso' });
    const contact = await api('/contacts', {
      method: 'POST',
      body: `{"firstname":"Ada","lastname":"Lovelace","emailaddress1":"ada@example.com","parentcustomerid_account@odata.bind":"/accounts(${accountId})"}`,
    });
    expect(contact.status).toBe(204);
    expect(crm.records.all('contacts')[0]).toMatchObject({
      lastname: 'Lovelace',
      _parentcustomerid_value: accountId,
    });

    const opportunity = await api('/opportunities', {
      method: 'POST',
      headers: { Prefer: 'return=representation' },
      body: `{"name":"FileForge deal","customerid_account@odata.bind":"/accounts(${accountId})","estimatedvalue":5000,"estimatedclosedate":"2025-12-31"}`,
    });
    expect(opportunity.status).toBe(201);
    expect(opportunity.headers.get('Preference-Applied')).toBe('return=representation');
    const body = (await opportunity.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      '@odata.context': `${crm.apiUrl}/$metadata#opportunities/$entity`,
      '@odata.etag': expect.stringMatching(/^W\/"\d+"$/),
      opportunityid: expect.stringMatching(GUID),
      name: 'FileForge deal',
      estimatedvalue: 5000,
      _customerid_value: accountId,
    });
  });

  it('answers the documented errors as {error:{code,message}}', async () => {
    const post = async (path: string, body: string) => {
      const res = await api(path, { method: 'POST', body });
      return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
    };
    expect(await post('/Account', '{"name":"Contoso"}')).toEqual({
      status: 404,
      body: { error: { code: '0x8006088a', message: "Resource not found for the segment 'Account'." } },
    });
    const undeclared = await post('/accounts', '{"name":"Contoso","x":1}');
    expect(undeclared.status).toBe(400);
    expect(undeclared.body.error.code).toBe('0x80048d19');
    expect(undeclared.body.error.message).toContain(
      "Error identified in Payload provided by the user for Entity :'accounts'",
    );
    const casing = await post(
      '/contacts',
      '{"lastname":"L","ParentCustomerId_account@odata.bind":"/accounts(00aa00aa-0000-4000-8000-000000000000)"}',
    );
    expect(casing.body.error.message).toContain("An undeclared property 'ParentCustomerId_account'");
    const missing = await post(
      '/contacts',
      '{"lastname":"L","parentcustomerid_account@odata.bind":"/accounts(00aa00aa-0000-4000-8000-000000000000)"}',
    );
    expect(missing).toEqual({
      status: 404,
      body: {
        error: {
          code: '0x80040217',
          message: 'account With Id = 00aa00aa-0000-4000-8000-000000000000 Does Not Exist',
        },
      },
    });
  });

  it('refuses an app that is not an Application User with 403 0x80072560', async () => {
    const stranger = createDynamicsFake({ applicationUsers: [] });
    await stranger.start();
    try {
      const res = await fetch(`${stranger.apiUrl}/accounts`, {
        headers: { ...DOC_HEADERS, Authorization: `Bearer ${stranger.identity.issueToken()}` },
      });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({
        error: { code: '0x80072560', message: 'The user is not a member of the organization.' },
      });
    } finally {
      await stranger.close();
    }
  });

  it('answers 401 with an empty body once the token expires, and a fresh token works', async () => {
    crm.service.tokens.expireAll();
    const expired = await api('/accounts');
    expect(expired.status).toBe(401);
    expect(await expired.text()).toBe('');
    expect(expired.headers.get('WWW-Authenticate')).toMatch(/^Bearer authorization_uri=/);
    token = await getToken();
    expect((await api('/accounts')).status).toBe(200);
  });

  it('throttles past the request limit with 429 + Retry-After, until the window passes', async () => {
    const limited = createDynamicsFake({ clock: () => now, requestLimit: { max: 2, windowSec: 300 } });
    await limited.start();
    try {
      const call = () =>
        fetch(`${limited.apiUrl}/accounts`, {
          headers: { ...DOC_HEADERS, Authorization: `Bearer ${limited.identity.issueToken()}` },
        });
      expect((await call()).status).toBe(200);
      expect((await call()).status).toBe(200);
      now += 100_000;
      const throttled = await call();
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('Retry-After')).toBe('200');
      expect(((await throttled.json()) as { error: { code: string } }).error.code).toBe('0x80072322');
      now += 200_000;
      expect((await call()).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('injects service-protection and server faults', async () => {
    crm.service.inject(dynamicsFaults.serviceProtection(7, 'concurrency'));
    crm.service.inject(dynamicsFaults.serverError());
    const first = await api('/accounts');
    expect(first.status).toBe(429);
    expect(first.headers.get('Retry-After')).toBe('7');
    expect(await first.json()).toEqual({
      error: { code: '0x80072326', message: 'Number of concurrent requests exceeded the limit of 52.' },
    });
    expect((await api('/accounts')).status).toBe(500);
    expect((await api('/accounts')).status).toBe(200);
  });

  it('pages with Prefer: odata.maxpagesize and @odata.nextLink, followed verbatim; $skip is refused', async () => {
    for (let i = 0; i < 5; i += 1) crm.records.insert('accounts', { name: `Account ${i}` });
    const names: string[] = [];
    let next: string | undefined = `${crm.apiUrl}/accounts?$select=name`;
    let pages = 0;
    while (next) {
      const res: Response = await fetch(next, {
        headers: { ...DOC_HEADERS, Authorization: `Bearer ${token}`, Prefer: 'odata.maxpagesize=2' },
      });
      expect(res.headers.get('Preference-Applied')).toBe('odata.maxpagesize=2');
      const body = (await res.json()) as { value: Array<{ name: string }>; '@odata.nextLink'?: string };
      names.push(...body.value.map((v) => v.name));
      next = body['@odata.nextLink'];
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(names).toEqual(['Account 0', 'Account 1', 'Account 2', 'Account 3', 'Account 4']);
    const skip = await api('/accounts?$skip=2');
    expect(skip.status).toBe(400);
  });

  it('requires the OData headers the spec lists (strictHeaders), and can relax to Dataverse leniency', async () => {
    const bare = await fetch(`${crm.apiUrl}/accounts`, { headers: { Authorization: `Bearer ${token}` } });
    expect(bare.status).toBe(400);
    const lenient = createDynamicsFake({ strictHeaders: false });
    await lenient.start();
    try {
      const res = await fetch(`${lenient.apiUrl}/accounts`, {
        headers: { Authorization: `Bearer ${lenient.identity.issueToken()}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('OData-Version')).toBe('4.0');
    } finally {
      await lenient.close();
    }
  });
});
