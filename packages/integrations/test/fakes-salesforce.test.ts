/**
 * Issue 11: the Salesforce fake answers the requests documented in specs/connectors.md §1
 * (token flows, sObject creates, ContentVersion uploads, errors, limits) as documented.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSalesforceFake,
  SALESFORCE_API_VERSION,
  type SalesforceFake,
  salesforceFaults,
} from './fakes/salesforce.js';
import { signRs256 } from './fakes/signing-keys.js';

const V = `v${SALESFORCE_API_VERSION}`;

describe('Salesforce fake, replaying the documented wire examples', () => {
  let sf: SalesforceFake;
  let token: string;

  const form = (url: string, body: string, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${sf.url}/services/data/${V}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        ...(init.headers as Record<string, string>),
      },
    });
  const jwt = (claims: Record<string, unknown> = {}) =>
    signRs256(
      {
        iss: sf.clientId,
        sub: sf.username,
        aud: 'https://login.salesforce.com',
        exp: Math.floor(Date.now() / 1000) + 120,
        ...claims,
      },
      sf.privateKeyPem!,
    );

  beforeEach(async () => {
    sf = createSalesforceFake({ maxBase64Chars: 64 });
    await sf.start();
    const res = await form(
      sf.tokenUrl,
      `grant_type=client_credentials&client_id=${sf.clientId}&client_secret=${sf.clientSecret}`,
    );
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  afterEach(() => sf.close());

  it('answers client credentials on My Domain with the documented fields, and refuses it on the login host', async () => {
    const res = await form(
      sf.tokenUrl,
      `grant_type=client_credentials&client_id=${sf.clientId}&client_secret=${sf.clientSecret}`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      [
        'access_token',
        'id',
        'instance_url',
        'issued_at',
        'scope',
        'signature',
        'token_format',
        'token_type',
      ].sort(),
    );
    expect(body).toMatchObject({ instance_url: sf.url, token_type: 'Bearer', scope: 'api' });
    expect(body).not.toHaveProperty('expires_in');

    const basic = Buffer.from(`${sf.clientId}:${sf.clientSecret}`).toString('base64');
    expect(
      (await form(sf.tokenUrl, 'grant_type=client_credentials', { Authorization: `Basic ${basic}` })).status,
    ).toBe(200);

    const onLogin = await form(
      `${sf.loginUrl}/services/oauth2/token`,
      `grant_type=client_credentials&client_id=${sf.clientId}&client_secret=${sf.clientSecret}`,
    );
    expect(onLogin.status).toBe(400);
    expect(await onLogin.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'request not supported on this domain',
    });

    const wrong = await form(
      sf.tokenUrl,
      `grant_type=client_credentials&client_id=${sf.clientId}&client_secret=nope`,
    );
    expect(await wrong.json()).toEqual({
      error: 'invalid_client',
      error_description: 'invalid client credentials',
    });
  });

  it('answers the JWT bearer flow on the login host, verifying the RS256 assertion', async () => {
    const ok = await form(
      `${sf.loginUrl}/services/oauth2/token`,
      `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=${await jwt()}`,
    );
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { access_token: string; instance_url: string };
    expect(body.instance_url).toBe(sf.url);
    expect(body).not.toHaveProperty('refresh_token');
    const bad = async (claims: Record<string, unknown>) =>
      (
        await form(
          sf.tokenUrl,
          `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=${await jwt(claims)}`,
        )
      ).json();
    expect(await bad({ exp: Math.floor(Date.now() / 1000) + 3600 })).toEqual({
      error: 'invalid_grant',
      error_description: 'invalid assertion',
    });
    expect(await bad({ sub: 'someone@else.example' })).toEqual({
      error: 'invalid_grant',
      error_description: "user hasn't approved this consumer",
    });
    expect(await bad({ iss: 'other' })).toEqual({
      error: 'invalid_client_id',
      error_description: 'client identifier invalid',
    });
  });

  it('creates the documented Lead, Contact and Opportunity: 201 {id, success, errors} with Sforce-Limit-Info', async () => {
    const lead = await api('/sobjects/Lead/', {
      method: 'POST',
      body: '{"FirstName":"Ada","LastName":"Lovelace","Company":"Analytical Engines","Email":"ada@example.com","LeadSource":"Web"}',
    });
    expect(lead.status).toBe(201);
    expect(await lead.json()).toEqual({
      id: expect.stringMatching(/^00Q\w{15}$/),
      success: true,
      errors: [],
    });
    expect(lead.headers.get('Sforce-Limit-Info')).toMatch(/^api-usage=\d+\/15000$/);
    const account = sf.records.insert('Account', { Name: 'Analytical Engines' });
    const contact = await api('/sobjects/Contact/', {
      method: 'POST',
      body: `{"FirstName":"Ada","LastName":"Lovelace","Email":"ada@example.com","AccountId":"${account.Id}"}`,
    });
    expect(contact.status).toBe(201);
    const opportunity = await api('/sobjects/Opportunity/', {
      method: 'POST',
      body: `{"Name":"FileForge deal","StageName":"Prospecting","CloseDate":"2025-12-31","AccountId":"${account.Id}","Amount":5000}`,
    });
    expect(opportunity.status).toBe(201);
    expect(sf.records.all('Opportunity')[0]).toMatchObject({ Amount: 5000, AccountId: account.Id });
  });

  it('answers field errors as a JSON array [{message, errorCode, fields}]', async () => {
    const post = async (type: string, body: string) => {
      const res = await api(`/sobjects/${type}/`, { method: 'POST', body });
      return { status: res.status, body: await res.json() };
    };
    expect(await post('Lead', '{"FirstName":"Ada","Company":"AE"}')).toEqual({
      status: 400,
      body: [
        {
          message: 'Required fields are missing: [LastName]',
          errorCode: 'REQUIRED_FIELD_MISSING',
          fields: ['LastName'],
        },
      ],
    });
    expect((await post('Lead', '{"LastName":"L","Company":"C","Shoe":"x"}')).body).toEqual([
      {
        message: "No such column 'Shoe' on sobject of type Lead",
        errorCode: 'INVALID_FIELD',
        fields: ['Shoe'],
      },
    ]);
    expect((await post('Contact', '{"LastName":"L","AccountId":"nope"}')).body).toMatchObject([
      { errorCode: 'MALFORMED_ID' },
    ]);
    expect((await post('Lead', '{not json')).body).toMatchObject([{ errorCode: 'JSON_PARSER_ERROR' }]);
    expect((await post('Widget', '{}')).status).toBe(404);
    const xml = await api('/sobjects/Lead/', {
      method: 'POST',
      headers: { 'Content-Type': 'application/xml' },
      body: '<x/>',
    });
    expect(xml.status).toBe(415);
  });

  it('uploads a ContentVersion as JSON with base64 VersionData, linked by FirstPublishLocationId', async () => {
    const opportunity = sf.records.insert('Opportunity', {
      Name: 'Deal',
      StageName: 'Prospecting',
      CloseDate: '2025-12-31',
    });
    const res = await api('/sobjects/ContentVersion/', {
      method: 'POST',
      body: `{"Title":"invoice-42","PathOnClient":"invoice-42.pdf","VersionData":"JVBERi0xLjcK","FirstPublishLocationId":"${opportunity.Id}"}`,
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(id).toMatch(/^068/);
    expect(sf.records.versionData.get(id)?.toString()).toBe('%PDF-1.7\n');
    const read = await api(`/sobjects/ContentVersion/${id}?fields=ContentDocumentId`);
    const version = (await read.json()) as Record<string, unknown>;
    expect(Object.keys(version).sort()).toEqual(['ContentDocumentId', 'Id', 'attributes']);
    expect(version.ContentDocumentId).toMatch(/^069/);
    expect(sf.records.all('ContentDocumentLink')).toEqual([
      expect.objectContaining({
        ContentDocumentId: version.ContentDocumentId,
        LinkedEntityId: opportunity.Id,
      }),
    ]);
    const tooBig = await api('/sobjects/ContentVersion/', {
      method: 'POST',
      body: JSON.stringify({ PathOnClient: 'big.bin', VersionData: Buffer.alloc(100).toString('base64') }),
    });
    expect(tooBig.status).toBe(400);
    const noPath = await api('/sobjects/ContentVersion/', {
      method: 'POST',
      body: '{"VersionData":"JVBERi0xLjcK"}',
    });
    expect(await noPath.json()).toMatchObject([
      { errorCode: 'REQUIRED_FIELD_MISSING', fields: ['PathOnClient'] },
    ]);
  });

  it('uploads a ContentVersion as multipart (entity_content + VersionData), then links it with ContentDocumentLink', async () => {
    const lead = sf.records.insert('Lead', { LastName: 'L', Company: 'C' });
    const multipart = new FormData();
    multipart.set(
      'entity_content',
      new Blob(['{"Title":"scan","PathOnClient":"scan.png"}'], { type: 'application/json' }),
    );
    multipart.set(
      'VersionData',
      new Blob([Buffer.alloc(200, 7)], { type: 'application/octet-stream' }),
      'scan.png',
    );
    const res = await fetch(`${sf.url}/services/data/${V}/sobjects/ContentVersion`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: multipart,
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(sf.records.versionData.get(id)?.length).toBe(200);
    const documentId = sf.records.find(id)?.record.ContentDocumentId;
    const link = await api('/sobjects/ContentDocumentLink/', {
      method: 'POST',
      body: `{"ContentDocumentId":"${documentId}","LinkedEntityId":"${lead.Id}","ShareType":"V","Visibility":"AllUsers"}`,
    });
    expect(link.status).toBe(201);
    const wrongParts = new FormData();
    wrongParts.set('json', '{}');
    const refused = await fetch(`${sf.url}/services/data/${V}/sobjects/ContentVersion`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: wrongParts,
    });
    expect(refused.status).toBe(400);
  });

  it('answers 401 INVALID_SESSION_ID with WWW-Authenticate: Token once the session expires', async () => {
    sf.service.tokens.expireAll();
    const res = await api('/query?q=SELECT+Id+FROM+Lead');
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toBe('Token');
    expect(await res.json()).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED without Retry-After past the daily allocation, and injects faults', async () => {
    sf.setApiUsage(15000);
    const limited = await api('/query?q=SELECT+Id+FROM+Lead');
    expect(limited.status).toBe(403);
    expect(limited.headers.get('Retry-After')).toBeNull();
    expect(await limited.json()).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    sf.setApiUsage(0);
    sf.service.inject(salesforceFaults.requestLimitExceeded());
    sf.service.inject(salesforceFaults.unavailable());
    sf.service.inject(salesforceFaults.duplicatesDetected('Lead'));
    expect((await api('/query?q=SELECT+Id+FROM+Lead')).status).toBe(403);
    expect((await api('/query?q=SELECT+Id+FROM+Lead')).status).toBe(503);
    const duplicate = await api('/sobjects/Lead/', {
      method: 'POST',
      body: '{"LastName":"L","Company":"C"}',
    });
    expect(await duplicate.json()).toMatchObject([{ errorCode: 'DUPLICATES_DETECTED' }]);
  });

  it('pages a lookup by nextRecordsUrl until done, and lists API versions without a token', async () => {
    for (let i = 0; i < 5; i += 1)
      sf.records.insert('Lead', { LastName: `L${i}`, Company: 'C', Email: 'a@b.c' });
    const paged = createSalesforceFake({ queryBatchSize: 2 });
    await paged.start();
    try {
      for (const lead of sf.records.all('Lead')) paged.records.insert('Lead', lead);
      const headers = { Authorization: `Bearer ${paged.issueToken()}` };
      let next: string | undefined =
        `/services/data/${V}/query?q=${encodeURIComponent("SELECT Id FROM Lead WHERE Email='a@b.c'")}`;
      const ids: string[] = [];
      while (next) {
        const body = (await (await fetch(`${paged.url}${next}`, { headers })).json()) as {
          totalSize: number;
          done: boolean;
          nextRecordsUrl?: string;
          records: Array<{ Id: string; attributes: { type: string } }>;
        };
        expect(body.totalSize).toBe(5);
        ids.push(...body.records.map((r) => r.Id));
        next = body.done ? undefined : body.nextRecordsUrl;
      }
      expect(ids.length).toBe(5);
      const versions = (await (await fetch(`${paged.url}/services/data/`)).json()) as Array<{
        version: string;
      }>;
      expect(versions.map((v) => v.version)).toContain(SALESFORCE_API_VERSION);
    } finally {
      await paged.close();
    }
  });
});
