/**
 * Issue 11: the Salesforce fake agrees with jsforce, the client most Node code talks to
 * Salesforce with, not only with FileForge's own connector.
 */
import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesforceFake, SALESFORCE_API_VERSION, type SalesforceFake } from './fakes/salesforce.js';

describe('Salesforce fake, driven by jsforce 3', () => {
  let sf: SalesforceFake;
  let conn: jsforce.Connection;

  beforeAll(async () => {
    sf = createSalesforceFake({ queryBatchSize: 200 });
    await sf.start();
    conn = new jsforce.Connection({
      instanceUrl: sf.url,
      accessToken: sf.issueToken(),
      version: SALESFORCE_API_VERSION,
    });
  });
  afterAll(() => sf.close());

  it('creates a Lead with sobject().create() and answers {id, success, errors}', async () => {
    const result = await conn.sobject('Lead').create({
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Company: 'Analytical Engines',
      Email: 'ada@example.com',
      LeadSource: 'Web',
    });
    expect(result).toEqual({ id: expect.stringMatching(/^00Q[0-9A-Za-z]{15}$/), success: true, errors: [] });
    expect(sf.records.all('Lead')).toEqual([
      expect.objectContaining({ Id: result.id, Company: 'Analytical Engines' }),
    ]);
    const [request] = sf.service.requestsTo(
      'POST',
      `/services/data/v${SALESFORCE_API_VERSION}/sobjects/Lead`,
    );
    expect(request?.headers['content-type']).toMatch(/^application\/json/);
    expect(request?.headers.authorization).toMatch(/^Bearer /);
  });

  it('surfaces REQUIRED_FIELD_MISSING as jsforce parses it', async () => {
    const error = await conn
      .sobject('Lead')
      .create({ FirstName: 'Ada' })
      .then(
        () => undefined,
        (e: unknown) => e as { errorCode: string; message: string; data: { fields: string[] } },
      );
    expect(error?.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(error?.message).toBe('Required fields are missing: [LastName, Company]');
    expect(error?.data.fields).toEqual(['LastName', 'Company']);
  });

  it('answers a SOQL lookup, and jsforce follows nextRecordsUrl to fetch every page', async () => {
    for (let i = 0; i < 450; i += 1) {
      sf.records.insert('Lead', { LastName: `Lead ${i}`, Company: 'Bulk', Email: `bulk${i}@example.com` });
    }
    const one = await conn.query<{ Id: string; Email: string }>(
      "SELECT Id, Email FROM Lead WHERE Email = 'ada@example.com'",
    );
    expect(one.totalSize).toBe(1);
    expect(one.records[0]?.Email).toBe('ada@example.com');

    let result = await conn.query<{ Id: string }>("SELECT Id FROM Lead WHERE Company = 'Bulk'");
    const ids = result.records.map((r) => r.Id);
    expect(result).toMatchObject({ totalSize: 450, done: false });
    while (!result.done && result.nextRecordsUrl) {
      result = await conn.queryMore<{ Id: string }>(result.nextRecordsUrl);
      ids.push(...result.records.map((r) => r.Id));
    }
    expect(ids.length).toBe(450);
    expect(new Set(ids).size).toBe(450);
    expect(sf.service.requestsTo('GET', /\/query\/01g/).length).toBe(2);
  });

  it('updates with sobject().update() (PATCH, 204) and upserts by External ID: created, then updated', async () => {
    const lead = sf.records.insert('Lead', { LastName: 'Hopper', Company: 'Navy' });
    expect(await conn.sobject('Lead').update({ Id: lead.Id, Title: 'Rear Admiral' })).toEqual({
      id: lead.Id,
      success: true,
      errors: [],
    });
    expect(sf.records.find(lead.Id)?.record.Title).toBe('Rear Admiral');

    const record = { LastName: 'Lovelace', Company: 'AE', FileForge_Id__c: 'sdk-upsert-1' };
    const created = await conn.sobject('Lead').upsert(record, 'FileForge_Id__c');
    expect(created).toMatchObject({ success: true, created: true, id: expect.stringMatching(/^00Q/) });
    const updated = await conn.sobject('Lead').upsert({ ...record, Title: 'Countess' }, 'FileForge_Id__c');
    expect(updated).toMatchObject({ success: true, created: false, id: (created as { id: string }).id });
    expect(sf.records.all('Lead').filter((l) => l.FileForge_Id__c === 'sdk-upsert-1')).toHaveLength(1);
  });

  it('lets jsforce see an expired session as INVALID_SESSION_ID', async () => {
    sf.service.tokens.expireAll();
    const error = await conn.query('SELECT Id FROM Lead').then(
      () => undefined,
      (e: unknown) => e as { errorCode: string },
    );
    expect(error?.errorCode).toBe('INVALID_SESSION_ID');
  });
});
