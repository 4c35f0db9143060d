/**
 * Issue 11: the Salesforce connector against the faithful Salesforce fake — both OAuth2
 * flows, every action's request as Salesforce documents it (specs/connectors.md §1), the
 * session re-auth, the daily allocation, and a stored file uploaded through the forge.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { createSalesforceConnector, SALESFORCE_MULTIPART_ABOVE_BYTES } from '../src/connectors/index.js';
import { jwtAudience } from '../src/connectors/salesforce-session.js';
import { createSalesforceFake, SALESFORCE_API_VERSION, salesforceFaults } from './fakes/salesforce.js';
import {
  connectorMaker,
  memoryFile,
  openConnectorForge,
  quickHa,
  recordingSleep,
  useFakes,
} from './support/connectors.js';

const API = `/services/data/v${SALESFORCE_API_VERSION}`;
const fake = createSalesforceFake();
const http = useFakes([fake], {
  beforeEach: () => {
    fake.login.requests.length = 0;
    fake.setApiUsage(0);
  },
});

const clientCredentials = () => ({
  clientId: fake.clientId,
  clientSecret: fake.clientSecret,
  instanceUrl: fake.url,
});
const jwtBearer = () => ({
  authMode: 'jwt_bearer' as const,
  clientId: fake.clientId,
  username: fake.username,
  privateKey: fake.privateKeyPem!,
  loginUrl: fake.loginUrl,
});

const salesforce = connectorMaker(createSalesforceConnector, () => ({
  credentials: clientCredentials(),
  http,
  ha: quickHa,
}));

const tokenCalls = (host = fake.service) => host.requestsTo('POST', '/services/oauth2/token');

describe('Salesforce connector', () => {
  it('signs in with client credentials on My Domain (form body) and tests the connection with the versions list', async () => {
    const result = await salesforce().testConnection();
    expect(result).toMatchObject({
      success: true,
      data: { instanceUrl: fake.url, orgId: fake.orgId, apiVersion: SALESFORCE_API_VERSION },
    });
    const [token] = tokenCalls();
    expect(token?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(token?.body.toString()))).toEqual({
      grant_type: 'client_credentials',
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
    });
    expect(fake.service.requestsTo('GET', '/services/data/')).toHaveLength(1);
  });

  it('signs in with a JWT bearer assertion on the login host and calls the API on the instance_url', async () => {
    const result = await salesforce({ credentials: jwtBearer() }).action('createLead', {
      lastName: 'Lovelace',
      company: 'Analytical Engines',
    });
    expect(result).toMatchObject({
      success: true,
      data: { sObject: 'Lead', id: expect.stringMatching(/^00Q/) },
    });
    const [token] = tokenCalls(fake.login);
    const form = new URLSearchParams(token?.body.toString());
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const assertion = form.get('assertion')!;
    expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: 'RS256' });
    const claims = decodeJwt(assertion);
    expect(claims).toMatchObject({ iss: fake.clientId, sub: fake.username, aud: fake.loginUrl });
    expect(claims.exp! - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(180);
    // the login host only signs in; the record goes to the org's instance_url
    expect(fake.login.requests.map((r) => r.path)).toEqual(['/services/oauth2/token']);
    expect(fake.service.requestsTo('POST', `${API}/sobjects/Lead/`)).toHaveLength(1);
  });

  it('signs in with a JWT on a My Domain token URL with the login host, never the My Domain, as aud', async () => {
    const myDomain = { ...jwtBearer(), loginUrl: fake.url };
    // The fake's My Domain stands at 127.0.0.1, so the default (its own URL) is what Salesforce refuses.
    const refused = await salesforce({ credentials: myDomain }).action('createLead', {
      lastName: 'Lovelace',
      company: 'Analytical Engines',
    });
    expect(refused.success).toBe(false);
    const accepted = await salesforce({ credentials: { ...myDomain, audience: fake.loginUrl } }).action(
      'createLead',
      { lastName: 'Lovelace', company: 'Analytical Engines' },
    );
    expect(accepted).toMatchObject({ success: true, data: { sObject: 'Lead' } });
    const [, token] = tokenCalls();
    const claims = decodeJwt(new URLSearchParams(token?.body.toString()).get('assertion')!);
    expect(claims.aud).toBe(fake.loginUrl);
    expect(fake.login.requests).toHaveLength(0);
  });

  it('derives the JWT aud from the login URL: My Domain hosts map to login or test.salesforce.com', () => {
    const aud = (loginUrl: string, audience?: string) => jwtAudience({ loginUrl, audience });
    expect(aud('https://login.salesforce.com/')).toBe('https://login.salesforce.com');
    expect(aud('https://test.salesforce.com')).toBe('https://test.salesforce.com');
    expect(aud('https://acme.my.salesforce.com')).toBe('https://login.salesforce.com');
    expect(aud('https://acme--uat.sandbox.my.salesforce.com')).toBe('https://test.salesforce.com');
    expect(aud('https://acme.my.site.com/partners')).toBe('https://acme.my.site.com/partners');
    expect(aud('https://acme.my.salesforce.com', 'https://test.salesforce.com')).toBe(
      'https://test.salesforce.com',
    );
  });

  it('creates a Lead: POST sobjects/Lead/ with Bearer and JSON, and the record lands in the org', async () => {
    const result = await salesforce().action('createLead', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: 'Analytical Engines',
      email: 'ada@example.com',
      leadSource: 'Web',
    });
    expect(result).toMatchObject({ success: true, attempt: 1 });
    const id = (result.data as { id: string }).id;
    const [call] = fake.service.requestsTo('POST', `${API}/sobjects/Lead/`);
    expect(call?.headers.authorization).toMatch(/^Bearer 00D/);
    expect(call?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(call?.json).toEqual({
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Company: 'Analytical Engines',
      Email: 'ada@example.com',
      LeadSource: 'Web',
    });
    expect(fake.records.all('Lead').find((l) => l.Id === id)).toMatchObject({
      LastName: 'Lovelace',
      Company: 'Analytical Engines',
    });
  });

  it('creates a Contact under an Account and an Opportunity for it', async () => {
    const account = fake.records.insert('Account', { Name: 'Analytical Engines' });
    const connector = salesforce();
    const contact = await connector.action('createContact', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      accountId: account.Id,
    });
    expect(contact).toMatchObject({
      success: true,
      data: { sObject: 'Contact', id: expect.stringMatching(/^003/) },
    });
    expect(fake.service.requestsTo('POST', `${API}/sobjects/Contact/`)[0]?.json).toEqual({
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Email: 'ada@example.com',
      AccountId: account.Id,
    });
    const deal = await connector.action('createOpportunity', {
      name: 'FileForge deal',
      stageName: 'Prospecting',
      closeDate: '2025-12-31',
      accountId: account.Id,
      amount: 5000,
      fields: { Description: 'from a workflow' },
    });
    expect(deal).toMatchObject({
      success: true,
      data: { sObject: 'Opportunity', id: expect.stringMatching(/^006/) },
    });
    expect(fake.service.requestsTo('POST', `${API}/sobjects/Opportunity/`)[0]?.json).toEqual({
      Description: 'from a workflow',
      Name: 'FileForge deal',
      StageName: 'Prospecting',
      CloseDate: '2025-12-31',
      AccountId: account.Id,
      Amount: 5000,
    });
    expect(fake.records.find((deal.data as { id: string }).id)?.record).toMatchObject({
      AccountId: account.Id,
    });
    // one sign-in for all three calls
    expect(tokenCalls()).toHaveLength(1);
  });

  it('finds Leads by email with an escaped SOQL literal, following nextRecordsUrl', async () => {
    const paged = createSalesforceFake({ queryBatchSize: 2 });
    await paged.start();
    try {
      const email = "o'brien@example.com";
      for (const last of ['One', 'Two', 'Three'])
        paged.records.insert('Lead', { LastName: last, Company: 'X', Email: email });
      paged.records.insert('Lead', { LastName: 'Other', Company: 'X', Email: 'other@example.com' });
      const result = await createSalesforceConnector({
        credentials: { clientId: paged.clientId, clientSecret: paged.clientSecret, instanceUrl: paged.url },
        http,
        ha: quickHa,
      }).action('findByEmail', { email });
      expect(result).toMatchObject({ success: true, data: { totalSize: 3 } });
      expect(
        (result.data as { records: Array<{ lastName: string }> }).records.map((r) => r.lastName),
      ).toEqual(['One', 'Two', 'Three']);
      const [first, next] = paged.service.requests.filter((r) => r.path.startsWith(`${API}/query`));
      expect(first?.query.get('q')).toBe(
        "SELECT Id, FirstName, LastName, Email FROM Lead WHERE Email = 'o\\'brien@example.com' LIMIT 200",
      );
      expect(next?.path).toMatch(new RegExp(`^${API}/query/01g`));
    } finally {
      await paged.close();
    }
  });

  it('uploads a small file as ContentVersion JSON with base64 VersionData, published to the record', async () => {
    const lead = fake.records.insert('Lead', { LastName: 'Lovelace', Company: 'Analytical Engines' });
    const bytes = Buffer.from('%PDF-1.7\n fileforge test document\n');
    const result = await salesforce().action(
      'uploadDocument',
      { recordId: lead.Id },
      { file: memoryFile(bytes) },
    );
    expect(result).toMatchObject({
      success: true,
      data: {
        contentVersionId: expect.stringMatching(/^068/),
        contentDocumentId: expect.stringMatching(/^069/),
        recordId: lead.Id,
        transfer: 'json',
      },
    });
    const [call] = fake.service.requestsTo('POST', `${API}/sobjects/ContentVersion/`);
    expect(call?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(call?.json).toEqual({
      Title: 'invoice-42',
      PathOnClient: 'invoice-42.pdf',
      FirstPublishLocationId: lead.Id,
      VersionData: bytes.toString('base64'),
    });
  });

  it('fails a multipart upload whose stored file errors before the request reads it, and stays up', async () => {
    const lead = fake.records.insert('Lead', { LastName: 'Lovelace', Company: 'Analytical Engines' });
    const versions = fake.records.all('ContentVersion').length;
    // A storage stream that fails at once (EIO, a reset S3 socket), before any byte is pulled.
    const file = {
      name: 'scan.pdf',
      size: 10,
      mime: 'application/pdf',
      open: async () => {
        const stream = new Readable({ read() {} });
        setImmediate(() => stream.destroy(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' })));
        return stream;
      },
    };
    const result = await salesforce().action(
      'uploadDocument',
      { recordId: lead.Id, transfer: 'multipart' },
      { file },
    );
    expect(result.success).toBe(false);
    expect(fake.records.all('ContentVersion')).toHaveLength(versions);
  });

  it('streams a file as multipart (entity_content + VersionData) and re-signs once when the session expired', async () => {
    const lead = fake.records.insert('Lead', { LastName: 'Babbage', Company: 'Analytical Engines' });
    const connector = salesforce();
    await connector.testConnection();
    fake.service.tokens.expireAll();
    const bytes = Buffer.from('binary \x00\x01\x02 data'.repeat(100));
    const file = memoryFile(bytes, 'scan.pdf');
    const result = await connector.action(
      'uploadDocument',
      { recordId: lead.Id, title: 'Signed scan', transfer: 'multipart' },
      { file },
    );
    expect(result).toMatchObject({ success: true, attempt: 1, data: { transfer: 'multipart' } });
    const calls = fake.service.requestsTo('POST', `${API}/sobjects/ContentVersion/`);
    expect(calls).toHaveLength(2); // 401 INVALID_SESSION_ID, then with the new token
    expect(tokenCalls()).toHaveLength(2);
    expect(file.opened).toBe(2);
    const sent = calls[1]!;
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(sent.headers['content-type'] ?? '')?.[1];
    expect(boundary).toBeTruthy();
    expect(Number(sent.headers['content-length'])).toBe(sent.body.length);
    const form = await new Response(sent.body, {
      headers: { 'content-type': sent.headers['content-type']! },
    }).formData();
    expect(JSON.parse(String(form.get('entity_content')))).toEqual({
      Title: 'Signed scan',
      PathOnClient: 'scan.pdf',
      FirstPublishLocationId: lead.Id,
    });
    const part = form.get('VersionData') as File;
    expect(part.name).toBe('scan.pdf');
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes)).toBe(true);
    const versionId = (result.data as { contentVersionId: string }).contentVersionId;
    expect(fake.records.versionData.get(versionId)?.equals(bytes)).toBe(true);
  });

  it('streams multipart by itself above 5 MB and sends JSON below, never reading a large file whole', async () => {
    const lead = fake.records.insert('Lead', { LastName: 'Lovelace', Company: 'Analytical Engines' });
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(SALESFORCE_MULTIPART_ABOVE_BYTES)]);
    const large = await salesforce().action(
      'uploadDocument',
      { recordId: lead.Id },
      { file: memoryFile(big, 'scan.pdf') },
    );
    expect(large).toMatchObject({ success: true, data: { transfer: 'multipart' } });
    const [sent] = fake.service.requestsTo('POST', `${API}/sobjects/ContentVersion/`);
    expect(sent?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const versionId = (large.data as { contentVersionId: string }).contentVersionId;
    expect(fake.records.versionData.get(versionId)?.equals(big)).toBe(true);

    const small = await salesforce().action(
      'uploadDocument',
      { recordId: lead.Id },
      { file: memoryFile(big.subarray(0, SALESFORCE_MULTIPART_ABOVE_BYTES)) },
    );
    expect(small).toMatchObject({ success: true, data: { transfer: 'json' } });
  });

  it('refuses a JSON upload whose base64 would pass 37.5 MB before opening the file', async () => {
    const lead = fake.records.insert('Lead', { LastName: 'Lovelace', Company: 'Analytical Engines' });
    let opened = 0;
    const file = {
      name: 'huge.pdf',
      size: 30 * 1024 * 1024,
      mime: 'application/pdf',
      open: async () => {
        opened++;
        return Readable.from([Buffer.alloc(16)]);
      },
    };
    const result = await salesforce().action(
      'uploadDocument',
      { recordId: lead.Id, transfer: 'json' },
      { file },
    );
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: { code: 'INTEGRATION_REJECTED', message: expect.stringContaining('37.5 MB') },
    });
    expect(opened).toBe(0);
    expect(fake.service.requestsTo('POST', `${API}/sobjects/ContentVersion/`)).toHaveLength(0);
  });

  it('re-authenticates exactly once when the session expired, then succeeds', async () => {
    const connector = salesforce();
    await connector.action('createLead', { lastName: 'First', company: 'X' });
    fake.service.tokens.expireAll();
    const result = await connector.action('createLead', { lastName: 'Second', company: 'X' });
    expect(result).toMatchObject({ success: true, attempt: 1 });
    expect(tokenCalls()).toHaveLength(2);
    const creates = fake.service.requestsTo('POST', `${API}/sobjects/Lead/`);
    expect(creates).toHaveLength(3);
    expect(creates[1]?.headers.authorization).not.toBe(creates[2]?.headers.authorization);
  });

  it('maps a field error array to INTEGRATION_REJECTED with the vendor code and fields, without retrying', async () => {
    const result = await salesforce().action('createLead', {
      lastName: 'Lovelace',
      company: 'X',
      fields: { Shoe_Size__c: 42 },
    });
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: {
        code: 'INTEGRATION_REJECTED',
        details: { integration: 'salesforce', status: 400, vendorCode: 'INVALID_FIELD' },
      },
    });
    expect(fake.service.requestsTo('POST', `${API}/sobjects/Lead/`)).toHaveLength(1);

    fake.service.inject(salesforceFaults.duplicatesDetected('Lead'));
    const duplicate = await salesforce().action('createLead', { lastName: 'Lovelace', company: 'X' });
    expect(duplicate.error).toMatchObject({
      code: 'INTEGRATION_REJECTED',
      details: { vendorCode: 'DUPLICATES_DETECTED' },
    });
    expect(duplicate.attempt).toBe(1);
  });

  it('treats 403 REQUEST_LIMIT_EXCEEDED as an upstream error: not retried, but counted by the circuit', async () => {
    fake.setApiUsage(15_000);
    const { waits, sleep } = recordingSleep();
    const connector = salesforce({ ha: { ...quickHa, circuitOpenAfterFailures: 2 }, clock: { sleep } });
    const first = await connector.action('createLead', { lastName: 'A', company: 'X' });
    expect(first).toMatchObject({
      success: false,
      attempt: 1,
      error: {
        code: 'UPSTREAM_ERROR',
        details: {
          status: 403,
          vendorCode: 'REQUEST_LIMIT_EXCEEDED',
          retryable: false,
          limitInfo: 'api-usage=15001/15000',
        },
      },
    });
    expect(waits).toEqual([]);
    await connector.action('createLead', { lastName: 'B', company: 'X' });
    expect(connector.getHaStats().circuit.state).toBe('open');
    const third = await connector.action('createLead', { lastName: 'C', company: 'X' });
    expect(third.error?.code).toBe('CIRCUIT_OPEN');
    expect(fake.service.requestsTo('POST', `${API}/sobjects/Lead/`)).toHaveLength(2);
  });

  it('retries a 503 and succeeds: any 503 on a read, a 503 with Retry-After on a create', async () => {
    const { sleep } = recordingSleep();
    fake.service.inject({ ...salesforceFaults.unavailable(1), match: (r) => r.path.endsWith('/query') });
    const read = await salesforce({ clock: { sleep } }).action('findByEmail', { email: 'retry@example.com' });
    expect(read).toMatchObject({ success: true, attempt: 2 });
    fake.service.inject({
      ...salesforceFaults.unavailable(1),
      headers: { 'retry-after': '0' },
      match: (r) => r.path.includes('/sobjects/'),
    });
    const result = await salesforce({ clock: { sleep } }).action('createLead', {
      lastName: 'Retry',
      company: 'X',
    });
    expect(result).toMatchObject({ success: true, attempt: 2 });
  });

  it('retries a create answered 503 (the service did not take it): one Lead', async () => {
    fake.service.inject({ ...salesforceFaults.unavailable(1), match: (r) => r.path.includes('/sobjects/') });
    const { sleep } = recordingSleep();
    const result = await salesforce({ clock: { sleep } }).action('createLead', {
      lastName: 'Retried',
      company: 'X',
    });
    expect(result).toMatchObject({ success: true, attempt: 2 });
    expect(fake.service.requestsTo('POST', `${API}/sobjects/Lead/`)).toHaveLength(2);
    expect(fake.records.all('Lead').filter((l) => l.LastName === 'Retried')).toHaveLength(1);
  });

  it('refuses credentials that cannot work, naming the field', () => {
    expect(() => salesforce({ credentials: { clientId: 'x', clientSecret: 'y' } })).toThrow(/instanceUrl/);
    expect(() =>
      salesforce({
        credentials: { clientId: 'x', clientSecret: 'y', instanceUrl: 'https://login.salesforce.com' },
      }),
    ).toThrow(/instanceUrl/);
    expect(() => salesforce({ credentials: { authMode: 'jwt_bearer', clientId: 'x' } })).toThrow(
      /username, privateKey/,
    );
  });
});

describe('Salesforce through the integrations service', () => {
  it('connects with client credentials and with JWT bearer, and uploads a stored file to a new Lead', async () => {
    const t = await openConnectorForge({ ha: quickHa });
    try {
      const status = await t.service.connect('salesforce', clientCredentials(), { tenant: 'acme' });
      expect(status).toMatchObject({ connected: true, available: true });
      expect(status.fields.filter((f) => f.secret).map((f) => f.name)).toEqual([
        'clientSecret',
        'privateKey',
      ]);
      expect(status.actions).toEqual([
        'createLead',
        'createContact',
        'createOpportunity',
        'updateRecord',
        'upsertRecord',
        'findByEmail',
        'uploadDocument',
      ]);

      const jwt = await t.service.connect('salesforce', jwtBearer(), { tenant: 'globex' });
      expect(jwt).toMatchObject({ connected: true });
      expect(fake.login.requestsTo('POST', '/services/oauth2/token')).toHaveLength(1);

      const lead = await t.service.action<{ id: string }>(
        'salesforce',
        'createLead',
        { lastName: 'Lovelace', company: 'Analytical Engines' },
        { tenant: 'globex' },
      );
      expect(lead.success).toBe(true);
      const bytes = Buffer.from('%PDF-1.7\n stored through the forge\n');
      const fileId = await t.store('contract.pdf', bytes);
      // stored files live per tenant: the default tenant's file, the default tenant's connection
      await t.service.connect('salesforce', jwtBearer());
      const upload = await t.service.action<{ contentVersionId: string }>(
        'salesforce',
        'uploadDocument',
        { recordId: lead.data!.id },
        { fileId },
      );
      expect(upload).toMatchObject({ success: true, data: { recordId: lead.data!.id, transfer: 'json' } });
      const version = fake.records.find(upload.data!.contentVersionId)!.record;
      expect(version).toMatchObject({
        PathOnClient: 'contract.pdf',
        Title: 'contract',
        FirstPublishLocationId: lead.data!.id,
      });
      expect(fake.records.versionData.get(version.Id)?.equals(bytes)).toBe(true);
      expect(
        fake.records
          .all('ContentDocumentLink')
          .some(
            (l) => l.ContentDocumentId === version.ContentDocumentId && l.LinkedEntityId === lead.data!.id,
          ),
      ).toBe(true);
    } finally {
      await t.close();
    }
  });
});
