/**
 * Regression: "connector POST retry duplicates" (review). A create (a POST that makes a
 * record) whose answer is lost after the vendor did the work — the answer comes after the
 * attempt's deadline, the connection is reset, a gateway answers 5xx — was retried, and the
 * retry made a second record. Each vendor fake here does the work first and then delays,
 * replaces or loses the answer (`phase: 'after'`), and its record store must hold one record.
 * Failures known to leave the vendor untouched (a refused connection, 429, 503 with
 * Retry-After, a 401 before the re-auth) are still retried, and so are reads and writes that
 * are safe to repeat.
 */
import { createServer } from 'node:net';
import { writePdf } from '@fileforge/test-fixtures/pdf';
import { describe, expect, it } from 'vitest';
import {
  createDocuSignConnector,
  createDynamicsConnector,
  createOracleConnector,
  createSalesforceConnector,
  createSapConnector,
  createSlackConnector,
  createTeamsConnector,
} from '../src/connectors/index.js';
import { createDocuSignFake } from './fakes/docusign.js';
import { createDynamicsFake } from './fakes/dynamics.js';
import type { Fault, RecordedRequest } from './fakes/fake-service.js';
import { createOracleFake } from './fakes/oracle.js';
import { createSalesforceFake, SALESFORCE_API_VERSION, salesforceFaults } from './fakes/salesforce.js';
import { createSapFake } from './fakes/sap.js';
import { createSlackFake } from './fakes/slack.js';
import { createTeamsFake } from './fakes/teams.js';
import { memoryFile, quickHa, recordingSleep, useFakes } from './support/connectors.js';

const salesforceFake = createSalesforceFake();
const dynamicsFake = createDynamicsFake();
const sapFake = createSapFake();
const oracleFake = createOracleFake();
const docusignFake = createDocuSignFake();
const slackFake = createSlackFake();
const teamsFake = createTeamsFake({ smallUploadLimitBytes: 64 * 1024 });
const fakes = [salesforceFake, dynamicsFake, sapFake, oracleFake, docusignFake, slackFake, teamsFake];
// Faults a test injects never outlive it.
const http = useFakes(fakes, {
  beforeEach: () => {
    for (const f of fakes) f.service.clearFaults();
  },
});

/** Waits are recorded, not slept: a retry happens at once. */
const ha = { ...quickHa, maxRetries: 3 };
const clock = () => ({ sleep: recordingSleep().sleep });

let sequence = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++sequence}`;

/** The vendor does the work, then the connection is cut before the answer. */
const cutAfter = (match: (r: RecordedRequest) => boolean): Fault => ({ phase: 'after', cut: true, match });
/** The vendor does the work, then a gateway answers this status instead. */
const gatewayAfter = (status: number, match: (r: RecordedRequest) => boolean): Fault => ({
  phase: 'after',
  status,
  body: 'upstream request timeout',
  match,
});
const post = (path: RegExp) => (r: RecordedRequest) => r.method === 'POST' && path.test(r.path);

/** What a create whose outcome is unknown resolves with: one attempt, in doubt, not retryable. */
const inDoubt = (code: string) => ({
  success: false,
  attempt: 1,
  error: { code, details: { inDoubt: true, retryable: false } },
});

const SF_API = `/services/data/v${SALESFORCE_API_VERSION}`;
const salesforce = (extra: { ha?: typeof ha } = {}) =>
  createSalesforceConnector({
    credentials: {
      clientId: salesforceFake.clientId,
      clientSecret: salesforceFake.clientSecret,
      instanceUrl: salesforceFake.url,
    },
    http,
    ha,
    clock: clock(),
    ...extra,
  });
const leadsNamed = (lastName: string) =>
  salesforceFake.records.all('Lead').filter((r) => r.LastName === lastName);

describe('Connector creates whose answer was lost (connector POST retry duplicates)', () => {
  it('Salesforce createLead: an answer later than the attempt’s deadline is not retried — one Lead', async () => {
    const name = unique('Timeout');
    salesforceFake.service.inject({ phase: 'after', delayMs: 2_000, match: post(/\/sobjects\/Lead\/$/) });
    const result = await salesforce({ ha: { ...ha, timeoutMs: 500 } }).action('createLead', {
      lastName: name,
      company: 'Analytical Engines',
    });
    expect(result).toMatchObject(inDoubt('TIMEOUT'));
    expect(result.error?.message).toMatch(/may have been carried out/);
    expect(leadsNamed(name)).toHaveLength(1);
    expect(salesforceFake.service.requestsTo('POST', `${SF_API}/sobjects/Lead/`)).toHaveLength(1);
  });

  it('Dynamics createAccount: a connection reset after the row was stored is not retried — one account', async () => {
    const name = unique('Contoso');
    dynamicsFake.service.inject(cutAfter(post(/\/api\/data\/v9\.2\/accounts$/)));
    const result = await createDynamicsConnector({
      credentials: {
        tenantId: dynamicsFake.tenantId,
        clientId: dynamicsFake.clientId,
        clientSecret: dynamicsFake.clientSecret,
        orgUrl: dynamicsFake.url,
        authorityUrl: dynamicsFake.url,
      },
      http,
      ha,
      clock: clock(),
    }).action('createAccount', { name });
    expect(result).toMatchObject(inDoubt('UPSTREAM_ERROR'));
    expect(dynamicsFake.records.all('accounts').filter((r) => r.name === name)).toHaveLength(1);
  });

  it('SAP createPurchaseOrder: a gateway’s 504 after the order was made is not retried — one order', async () => {
    const before = sapFake.purchaseOrders.size;
    sapFake.service.inject(gatewayAfter(504, post(/\/A_PurchaseOrder$/)));
    const result = await createSapConnector({
      credentials: {
        baseUrl: sapFake.url,
        username: sapFake.credentials.user,
        password: sapFake.credentials.password,
        sapClient: sapFake.credentials.client,
      },
      http,
      ha,
      clock: clock(),
    }).action('createPurchaseOrder', {
      companyCode: '1010',
      supplier: '17300001',
      purchasingOrganization: '1010',
      purchasingGroup: '001',
      currency: 'EUR',
      items: [{ plant: '1010', quantity: 7, unit: 'EA', netPrice: '130.00' }],
    });
    expect(result).toMatchObject(inDoubt('UPSTREAM_ERROR'));
    expect(result.error?.details).toMatchObject({ status: 504 });
    expect(sapFake.purchaseOrders.size).toBe(before + 1);
  });

  it('Oracle createInvoice: a connection reset after the invoice was stored is not retried — one invoice', async () => {
    const invoiceNumber = unique('FF-INV');
    oracleFake.service.inject(cutAfter(post(/\/invoices$/)));
    const result = await createOracleConnector({
      credentials: {
        baseUrl: oracleFake.url,
        identityDomainUrl: oracleFake.url,
        clientId: oracleFake.credentials.clientId,
        clientSecret: oracleFake.credentials.clientSecret,
        scope: oracleFake.credentials.scope,
      },
      http,
      ha,
      clock: clock(),
    }).action('createInvoice', {
      invoiceNumber,
      currency: 'USD',
      amount: 10,
      businessUnit: 'Vision Operations',
      supplier: 'Advanced Network Devices',
      supplierSite: 'FRESNO',
    });
    expect(result).toMatchObject(inDoubt('UPSTREAM_ERROR'));
    const stored = [...oracleFake.invoices.values()].filter((i) => i.InvoiceNumber === invoiceNumber);
    expect(stored).toHaveLength(1);
  });

  it('DocuSign sendEnvelope: a connection reset after the envelope was sent is not retried — one envelope', async () => {
    const emailSubject = unique('Please sign');
    docusignFake.service.inject(cutAfter(post(/\/envelopes$/)));
    const result = await createDocuSignConnector({
      credentials: {
        integrationKey: docusignFake.integrationKey,
        userId: docusignFake.userId,
        privateKey: docusignFake.privateKeyPem!,
        authServer: docusignFake.url,
      },
      http,
      ha,
      clock: clock(),
    }).action(
      'sendEnvelope',
      { emailSubject, signers: [{ email: 'ada@example.com', name: 'Ada Lovelace' }] },
      { file: memoryFile(writePdf()) },
    );
    expect(result).toMatchObject(inDoubt('UPSTREAM_ERROR'));
    expect(docusignFake.envelopes.all().filter((e) => e.emailSubject === emailSubject)).toHaveLength(1);
  });

  it('Slack postMessage: a 502 after the message was posted is not retried — one message', async () => {
    const text = unique('invoice-42 processed');
    slackFake.service.inject(gatewayAfter(502, post(/\/api\/chat\.postMessage$/)));
    const result = await createSlackConnector({
      credentials: { botToken: 'xoxb-fileforge-test' },
      endpoints: slackFake.apiUrl,
      http,
      ha,
      clock: clock(),
    }).action('postMessage', { channel: 'C0GENERAL01', text });
    expect(result).toMatchObject(inDoubt('UPSTREAM_ERROR'));
    expect(slackFake.messages.filter((m) => m.text === text)).toHaveLength(1);
  });

  it('Slack uploadFile: a reset of files.completeUploadExternal after the file was shared is not retried', async () => {
    const comment = unique('shared');
    slackFake.service.inject(cutAfter(post(/\/api\/files\.completeUploadExternal$/)));
    const file = memoryFile(Buffer.from('once'), 'notes.txt');
    const result = await createSlackConnector({
      credentials: { botToken: 'xoxb-fileforge-test' },
      endpoints: slackFake.apiUrl,
      http,
      ha,
      clock: clock(),
    }).action('uploadFile', { channel: 'C0GENERAL01', initialComment: comment }, { file });
    expect(result).toMatchObject(inDoubt('UPSTREAM_ERROR'));
    expect(slackFake.messages.filter((m) => m.text === comment)).toHaveLength(1);
    expect(file.opened).toBe(1);
  });

  it('a post in doubt still ejects its endpoint and counts in the circuit; a fallback is told it is in doubt', async () => {
    const dead = await closedPort();
    const text = unique('in doubt');
    slackFake.service.inject(gatewayAfter(502, post(/\/api\/chat\.postMessage$/)));
    const slack = createSlackConnector({
      credentials: { botToken: 'xoxb-fileforge-test' },
      endpoints: [{ url: slackFake.apiUrl }, { url: `http://127.0.0.1:${dead}/api/` }],
      http,
      ha,
      clock: clock(),
    });
    const seen: unknown[] = [];
    slack.registerFallback('postMessage', (error) => {
      seen.push(error);
      return { queued: false };
    });
    const result = await slack.action('postMessage', { channel: 'C0GENERAL01', text });
    expect(result).toMatchObject({ success: true, fallback: true, attempt: 1 });
    expect(seen).toEqual([expect.objectContaining({ details: expect.objectContaining({ inDoubt: true }) })]);
    expect(slack.getHaStats()).toMatchObject({
      circuit: { failureCount: 1 },
      endpoints: [{ healthy: false }, { healthy: true, picks: 0 }],
    });
    expect(slackFake.messages.filter((m) => m.text === text)).toHaveLength(1);
  });

  const teamsDelegated = () =>
    createTeamsConnector({
      credentials: {
        tenantId: teamsFake.credentials.tenant,
        clientId: teamsFake.credentials.clientId,
        clientSecret: teamsFake.credentials.clientSecret,
        authorityUrl: teamsFake.url,
        graphUrl: teamsFake.graphUrl,
        refreshToken: teamsFake.credentials.refreshToken,
      },
      http,
      ha,
      clock: clock(),
    });
  const channel = () => ({ teamId: teamsFake.defaults.teamId, channelId: teamsFake.defaults.channelId });

  it('Teams postMessage: a connection reset after the message was posted is not retried — one message', async () => {
    const content = unique('invoice-42 processed');
    teamsFake.service.inject(cutAfter(post(/\/messages$/)));
    const result = await teamsDelegated().action('postMessage', { ...channel(), content });
    expect(result).toMatchObject(inDoubt('UPSTREAM_ERROR'));
    const messages = teamsFake.teams.get(channel().teamId)?.channels.get(channel().channelId)?.messages ?? [];
    expect(messages.filter((m) => m.body.content === content)).toHaveLength(1);
  });

  it('Teams uploadFile (rename on a clash): a reset after the PUT stored the file makes no renamed copy', async () => {
    const base = unique('scan');
    teamsFake.service.inject(cutAfter((r) => r.method === 'PUT' && r.path.endsWith(`${base}.pdf:/content`)));
    const file = memoryFile(Buffer.from('%PDF-1.7 small'), `${base}.pdf`);
    const result = await teamsDelegated().action('uploadFile', channel(), { file });
    expect(result).toMatchObject(inDoubt('UPSTREAM_ERROR'));
    const names = teamsFake
      .filesIn(channel().teamId, channel().channelId)
      .map((s) => s.item.name)
      .filter((n) => n.startsWith(base));
    expect(names).toEqual([`${base}.pdf`]);
  });
});

describe('Connector failures that leave the vendor untouched are still retried', () => {
  it('a refused connection: the create goes to the next endpoint and is made once', async () => {
    const dead = await closedPort();
    const text = unique('after a refused connection');
    const result = await createSlackConnector({
      credentials: { botToken: 'xoxb-fileforge-test' },
      endpoints: [{ url: `http://127.0.0.1:${dead}/api/` }, { url: slackFake.apiUrl }],
      http,
      ha,
      clock: clock(),
    }).action('postMessage', { channel: 'C0GENERAL01', text });
    expect(result).toMatchObject({ success: true, attempt: 2 });
    expect(slackFake.messages.filter((m) => m.text === text)).toHaveLength(1);
  });

  it('a 503 with Retry-After and a 429 on a create: retried, one Lead', async () => {
    const name = unique('Busy');
    salesforceFake.service.inject({
      ...salesforceFaults.unavailable(1),
      headers: { 'retry-after': '0' },
      match: post(/\/sobjects\/Lead\/$/),
    });
    salesforceFake.service.inject({ status: 429, body: [], match: post(/\/sobjects\/Lead\/$/) });
    const result = await salesforce().action('createLead', { lastName: name, company: 'X' });
    expect(result).toMatchObject({ success: true, attempt: 3 });
    expect(leadsNamed(name)).toHaveLength(1);
  });

  it('an expired session (401) is signed in again and the create sent once more, within the attempt', async () => {
    const connector = salesforce();
    expect((await connector.testConnection()).success).toBe(true);
    salesforceFake.service.tokens.expireAll();
    const name = unique('Reauth');
    const result = await connector.action('createLead', { lastName: name, company: 'X' });
    expect(result).toMatchObject({ success: true, attempt: 1 });
    expect(leadsNamed(name)).toHaveLength(1);
  });

  it('reads keep their retries: a lookup answered too late, then by a 502, succeeds on the third attempt', async () => {
    const query = (r: RecordedRequest) => r.method === 'GET' && r.path === `${SF_API}/query`;
    salesforceFake.service.inject({ status: 200, body: {}, delayMs: 2_000, match: query });
    salesforceFake.service.inject(gatewayAfter(502, query));
    const result = await salesforce({ ha: { ...ha, timeoutMs: 500 } }).action('findByEmail', {
      email: 'nobody@example.com',
    });
    expect(result).toMatchObject({ success: true, attempt: 3, data: { totalSize: 0 } });
  });

  it('a POST that only reads (Slack auth.test) keeps its retries after a 502', async () => {
    slackFake.service.inject(gatewayAfter(502, post(/\/api\/auth\.test$/)));
    const result = await createSlackConnector({
      credentials: { botToken: 'xoxb-fileforge-test' },
      endpoints: slackFake.apiUrl,
      http,
      ha,
      clock: clock(),
    }).testConnection();
    expect(result).toMatchObject({ success: true, attempt: 2 });
  });

  it('a write that is safe to repeat (Salesforce upsert by External ID) is retried after a reset, one record', async () => {
    const key = unique('INV-42');
    salesforceFake.service.inject(
      cutAfter((r) => r.method === 'PATCH' && r.path.includes('/FileForge_Id__c/')),
    );
    const result = await salesforce().action('upsertRecord', {
      sObject: 'Lead',
      externalIdField: 'FileForge_Id__c',
      externalId: key,
      fields: { LastName: 'Lovelace', Company: 'Analytical Engines' },
    });
    expect(result).toMatchObject({ success: true, attempt: 2, data: { created: false } });
    expect(salesforceFake.records.all('Lead').filter((r) => r.FileForge_Id__c === key)).toHaveLength(1);
  });
});

describe('executeWithHa and markUnrepeatable()', () => {
  const slack = () =>
    createSlackConnector({
      credentials: { botToken: 'xoxb-fileforge-test' },
      endpoints: slackFake.apiUrl,
      http,
      ha,
      clock: clock(),
    });
  const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

  it('does not retry a failure once the executor marked a request that may have been carried out', async () => {
    let calls = 0;
    const result = await slack().executeWithHa('custom.create', async (attempt) => {
      calls += 1;
      attempt.markUnrepeatable();
      throw reset();
    });
    expect(result).toMatchObject({ success: false, attempt: 1, error: { details: { inDoubt: true } } });
    expect(calls).toBe(1);
  });

  it('retries when the executor says the vendor did not process the request', async () => {
    let calls = 0;
    const result = await slack().executeWithHa('custom.create', async (attempt) => {
      calls += 1;
      const notProcessed = attempt.markUnrepeatable();
      if (calls === 1) {
        notProcessed();
        throw reset();
      }
      return 'made once';
    });
    expect(result).toMatchObject({ success: true, attempt: 2, data: 'made once' });
  });
});

/** A local port nothing listens on (connections to it are refused). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
