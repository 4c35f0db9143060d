/**
 * Issue 11: Salesforce `updateRecord` and `upsertRecord` (PATCH by id, PATCH by External ID)
 * against the faithful fake; jsforce drives the same fake routes in fakes-salesforce-sdk.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createSalesforceConnector } from '../src/connectors/index.js';
import { createSalesforceFake, SALESFORCE_API_VERSION } from './fakes/salesforce.js';
import { connectorMaker, quickHa, useFakes } from './support/connectors.js';

const API = `/services/data/v${SALESFORCE_API_VERSION}`;
const fake = createSalesforceFake();
const http = useFakes([fake], { beforeEach: () => fake.setApiUsage(0) });

const salesforce = connectorMaker(createSalesforceConnector, () => ({
  credentials: { clientId: fake.clientId, clientSecret: fake.clientSecret, instanceUrl: fake.url },
  http,
  ha: quickHa,
}));
const patches = () => fake.service.requests.filter((r) => r.method === 'PATCH');
let sequence = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++sequence}`;

describe('Salesforce updateRecord', () => {
  it('PATCHes sobjects/{type}/{id} with only the changed fields, and the record changes', async () => {
    const lead = fake.records.insert('Lead', { LastName: 'Lovelace', Company: 'Analytical Engines' });
    const result = await salesforce().action('updateRecord', {
      sObject: 'Lead',
      id: lead.Id,
      fields: { Status: 'Working - Contacted', Title: 'Countess' },
    });
    expect(result).toMatchObject({ success: true, attempt: 1, data: { id: lead.Id, sObject: 'Lead' } });
    const [patch] = patches();
    expect(patch?.path).toBe(`${API}/sobjects/Lead/${lead.Id}`);
    expect(patch?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(patch?.headers.authorization).toMatch(/^Bearer /);
    expect(patch?.json).toEqual({ Status: 'Working - Contacted', Title: 'Countess' });
    expect(fake.records.find(lead.Id)?.record).toMatchObject({
      LastName: 'Lovelace',
      Status: 'Working - Contacted',
      Title: 'Countess',
    });
  });

  it('refuses an unknown record (404 NOT_FOUND) and an emptied required field (REQUIRED_FIELD_MISSING), sent once each', async () => {
    const missing = fake.records.newId('Lead');
    const gone = await salesforce().action('updateRecord', {
      sObject: 'Lead',
      id: missing,
      fields: { Title: 'x' },
    });
    expect(gone).toMatchObject({
      success: false,
      attempt: 1,
      error: { code: 'INTEGRATION_REJECTED', details: { status: 404, vendorCode: 'NOT_FOUND' } },
    });
    const lead = fake.records.insert('Lead', { LastName: 'Hopper', Company: 'Navy' });
    const emptied = await salesforce().action('updateRecord', {
      sObject: 'Lead',
      id: lead.Id,
      fields: { LastName: '' },
    });
    expect(emptied).toMatchObject({
      success: false,
      error: { details: { status: 400, vendorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] } },
    });
    expect(patches()).toHaveLength(2);
    expect(fake.records.find(lead.Id)?.record.LastName).toBe('Hopper');
  });
});

describe('Salesforce upsertRecord', () => {
  it('creates the record on the first call (201, created) and updates that same record on the second (200)', async () => {
    const key = unique('INV/42 a');
    const input = {
      sObject: 'Lead',
      externalIdField: 'FileForge_Id__c',
      externalId: key,
      fields: { LastName: 'Lovelace', Company: 'Analytical Engines', FileForge_Id__c: key },
    };
    const first = await salesforce().action('upsertRecord', input);
    expect(first).toMatchObject({ success: true, data: { sObject: 'Lead', created: true } });
    const second = await salesforce().action('upsertRecord', {
      ...input,
      fields: { ...input.fields, Title: 'Countess' },
    });
    expect(second).toMatchObject({ success: true, data: { created: false } });
    expect((second.data as { id: string }).id).toBe((first.data as { id: string }).id);

    const [create, update] = patches();
    expect(create?.path).toBe(`${API}/sobjects/Lead/FileForge_Id__c/${encodeURIComponent(key)}`);
    expect(create?.headers['content-type']).toBe('application/json; charset=utf-8');
    // The key travels in the URL only.
    expect(create?.json).toEqual({ LastName: 'Lovelace', Company: 'Analytical Engines' });
    expect(update?.json).toEqual({ LastName: 'Lovelace', Company: 'Analytical Engines', Title: 'Countess' });
    const leads = fake.records.all('Lead').filter((l) => l.FileForge_Id__c === key);
    expect(leads).toEqual([expect.objectContaining({ Title: 'Countess', LastName: 'Lovelace' })]);
  });

  it('refuses an ambiguous key (300 Multiple Choices) as MULTIPLE_CHOICES with the matching ids', async () => {
    const key = unique('DUP');
    const a = fake.records.insert('Lead', { LastName: 'A', Company: 'X', FileForge_Id__c: key });
    const b = fake.records.insert('Lead', { LastName: 'B', Company: 'X', FileForge_Id__c: key });
    const result = await salesforce().action('upsertRecord', {
      sObject: 'Lead',
      externalIdField: 'FileForge_Id__c',
      externalId: key,
      fields: { Title: 'x' },
    });
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: {
        code: 'INTEGRATION_REJECTED',
        details: { status: 300, vendorCode: 'MULTIPLE_CHOICES', matches: [a.Id, b.Id] },
      },
    });
  });

  it('refuses a field that is not an External ID (404 NOT_FOUND), creating nothing', async () => {
    const before = fake.records.all('Lead').length;
    const result = await salesforce().action('upsertRecord', {
      sObject: 'Lead',
      externalIdField: 'Email',
      externalId: 'ada@example.com',
      fields: { LastName: 'Lovelace', Company: 'AE' },
    });
    expect(result).toMatchObject({
      success: false,
      error: { details: { status: 404, vendorCode: 'NOT_FOUND' } },
    });
    expect(result.error?.message).toMatch(/external ID field does not exist/);
    expect(fake.records.all('Lead')).toHaveLength(before);
  });
});
