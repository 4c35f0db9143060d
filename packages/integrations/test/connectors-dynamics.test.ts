/**
 * Issue 11: the Dynamics 365 connector against the faithful Dataverse fake and its Microsoft
 * identity token endpoint — client credentials with the `/.default` scope, the OData headers
 * on every call, creates answered 204 + `OData-EntityId`, `@odata.bind` lookups, token
 * expiry, service protection (429 + Retry-After) and Dataverse's hex error codes
 * (specs/connectors.md §2).
 */
import { describe, expect, it } from 'vitest';
import { createDynamicsConnector } from '../src/connectors/index.js';
import { createDynamicsFake, type DynamicsFake, dynamicsFaults } from './fakes/dynamics.js';
import {
  connectorMaker,
  openConnectorForge,
  quickHa,
  recordingSleep,
  useFakes,
} from './support/connectors.js';

const API = '/api/data/v9.2';
const fake = createDynamicsFake();
const http = useFakes([fake]);

const credentialsOf = (crm: DynamicsFake) => ({
  tenantId: crm.tenantId,
  clientId: crm.clientId,
  clientSecret: crm.clientSecret,
  orgUrl: crm.url,
  authorityUrl: crm.url,
});

const dynamics = connectorMaker(createDynamicsConnector, () => ({
  credentials: credentialsOf(fake),
  http,
  ha: quickHa,
}));

const tokenCalls = () => fake.service.requestsTo('POST', `/${fake.tenantId}/oauth2/v2.0/token`);

function expectDataverseHeaders(headers: Record<string, string>) {
  expect(headers).toMatchObject({
    authorization: expect.stringMatching(/^Bearer app\./),
    accept: 'application/json',
    'odata-maxversion': '4.0',
    'odata-version': '4.0',
  });
}

describe('Dynamics 365 connector', () => {
  it('signs in with client credentials and the org’s /.default scope, and tests the connection with WhoAmI', async () => {
    const result = await dynamics().testConnection();
    expect(result).toMatchObject({
      success: true,
      data: {
        userId: expect.any(String),
        businessUnitId: expect.any(String),
        organizationId: expect.any(String),
      },
    });
    const [token] = tokenCalls();
    expect(token?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(token?.body.toString()))).toEqual({
      grant_type: 'client_credentials',
      scope: `${fake.url}/.default`,
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
    });
    const [whoAmI] = fake.service.requestsTo('GET', `${API}/WhoAmI`);
    expectDataverseHeaders(whoAmI!.headers);
  });

  it('creates an account: POST /accounts with the OData headers, id read from OData-EntityId (204)', async () => {
    const result = await dynamics().action('createAccount', {
      name: 'Contoso',
      telephone: '555-0100',
      website: 'https://contoso.example',
    });
    expect(result).toMatchObject({ success: true, attempt: 1, data: { entitySet: 'accounts' } });
    const { id, url } = result.data as { id: string; url: string };
    expect(url).toBe(`${fake.apiUrl}/accounts(${id})`);
    const [call] = fake.service.requestsTo('POST', `${API}/accounts`);
    expectDataverseHeaders(call!.headers);
    expect(call?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(call?.headers.prefer).toBeUndefined();
    expect(call?.json).toEqual({
      name: 'Contoso',
      telephone1: '555-0100',
      websiteurl: 'https://contoso.example',
    });
    expect(fake.records.get('accounts', id)).toMatchObject({ name: 'Contoso', telephone1: '555-0100' });
  });

  it('creates a contact bound to its account with parentcustomerid_account@odata.bind', async () => {
    const accountId = fake.records.insert('accounts', { name: 'Contoso' });
    const result = await dynamics().action('createContact', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      accountId,
    });
    expect(result.success).toBe(true);
    const [call] = fake.service.requestsTo('POST', `${API}/contacts`);
    expectDataverseHeaders(call!.headers);
    expect(call?.json).toEqual({
      firstname: 'Ada',
      lastname: 'Lovelace',
      emailaddress1: 'ada@example.com',
      'parentcustomerid_account@odata.bind': `/accounts(${accountId})`,
    });
    expect(fake.records.get('contacts', (result.data as { id: string }).id)).toMatchObject({
      lastname: 'Lovelace',
      _parentcustomerid_value: accountId,
    });
  });

  it('creates an opportunity for a customer account with customerid_account@odata.bind', async () => {
    const accountId = fake.records.insert('accounts', { name: 'Contoso' });
    const result = await dynamics().action('createOpportunity', {
      name: 'FileForge deal',
      accountId,
      estimatedValue: 5000,
      estimatedCloseDate: '2025-12-31',
    });
    expect(result.success).toBe(true);
    expect(fake.service.requestsTo('POST', `${API}/opportunities`)[0]?.json).toEqual({
      name: 'FileForge deal',
      estimatedvalue: 5000,
      estimatedclosedate: '2025-12-31',
      'customerid_account@odata.bind': `/accounts(${accountId})`,
    });
    expect(fake.records.get('opportunities', (result.data as { id: string }).id)).toMatchObject({
      name: 'FileForge deal',
      _customerid_value: accountId,
    });
  });

  it('re-authenticates exactly once when the token expired, then succeeds', async () => {
    const connector = dynamics();
    await connector.action('createAccount', { name: 'First' });
    fake.service.tokens.expireAll();
    const result = await connector.action('createAccount', { name: 'Second' });
    expect(result).toMatchObject({ success: true, attempt: 1 });
    expect(tokenCalls()).toHaveLength(2);
    expect(fake.service.requestsTo('POST', `${API}/accounts`)).toHaveLength(3);
  });

  it('waits for Retry-After on a 429 (service protection) and then succeeds', async () => {
    fake.service.inject(dynamicsFaults.serviceProtection(2));
    const { waits, sleep } = recordingSleep();
    const result = await dynamics({ clock: { sleep } }).action('createAccount', { name: 'After the limit' });
    expect(result).toMatchObject({ success: true, attempt: 2 });
    expect(waits).toEqual([2000]);
  });

  it('really waits (short) on a 429 when no sleep is injected', async () => {
    fake.service.inject(dynamicsFaults.serviceProtection(1, 'concurrency'));
    const started = Date.now();
    const result = await dynamics({ ha: { ...quickHa, maxRetryAfterMs: 150 } }).action('createAccount', {
      name: 'Patient',
    });
    expect(result).toMatchObject({ success: true, attempt: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('maps Dataverse errors to INTEGRATION_REJECTED with the hex code, without retrying', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const result = await dynamics().action('createContact', { lastName: 'Orphan', accountId: missing });
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: {
        code: 'INTEGRATION_REJECTED',
        message: expect.stringContaining(`account With Id = ${missing} Does Not Exist`),
        details: { integration: 'dynamics', status: 404, vendorCode: '0x80040217' },
      },
    });
    const undeclared = await dynamics().action('createAccount', { name: 'X', fields: { shoesize: 42 } });
    expect(undeclared.error).toMatchObject({
      code: 'INTEGRATION_REJECTED',
      details: { vendorCode: '0x80048d19' },
    });
    expect(fake.service.requestsTo('POST', /\/(contacts|accounts)$/)).toHaveLength(2);
  });

  it('explains 403 0x80072560: the app is not an Application User of the environment', async () => {
    const crm = createDynamicsFake({ applicationUsers: [] });
    await crm.start();
    try {
      const result = await createDynamicsConnector({
        credentials: credentialsOf(crm),
        http,
        ha: quickHa,
      }).testConnection();
      expect(result.error).toMatchObject({
        code: 'INTEGRATION_REJECTED',
        message: expect.stringContaining('Application User'),
        details: { status: 403, vendorCode: '0x80072560' },
      });
    } finally {
      await crm.close();
    }
  });

  it('refuses an opportunity with both a customer account and contact before calling Dataverse', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    const result = await dynamics().action('createOpportunity', { name: 'X', accountId: id, contactId: id });
    expect(result.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(fake.service.requests).toHaveLength(0);
  });
});

describe('Dynamics 365 through the integrations service', () => {
  it('connects (token + WhoAmI), keeps the secret sealed, and runs actions', async () => {
    const t = await openConnectorForge({ ha: quickHa });
    try {
      const status = await t.service.connect('dynamics', credentialsOf(fake));
      expect(status).toMatchObject({
        connected: true,
        name: 'Microsoft Dynamics 365',
        actions: ['createAccount', 'createContact', 'createOpportunity'],
      });
      expect(status.fields.find((f) => f.name === 'clientSecret')).toEqual({
        name: 'clientSecret',
        secret: true,
        set: true,
      });
      const account = await t.service.action<{ id: string }>('dynamics', 'createAccount', {
        name: 'Fabrikam',
      });
      const contact = await t.service.action('dynamics', 'createContact', {
        lastName: 'Lovelace',
        accountId: account.data!.id,
      });
      expect(contact.success).toBe(true);
      expect(fake.records.get('accounts', account.data!.id)).toMatchObject({ name: 'Fabrikam' });
      const bad = await t.service
        .connect('dynamics', { ...credentialsOf(fake), clientSecret: 'wrong' })
        .catch((e) => e);
      expect(bad).toMatchObject({ code: 'INTEGRATION_REJECTED' });
    } finally {
      await t.close();
    }
  });
});
