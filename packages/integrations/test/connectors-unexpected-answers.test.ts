/**
 * A vendor (or a proxy, or a wrong base URL) answering 2xx with a body of another shape: an
 * HTML maintenance page, `{}`, a renamed field. Each connector checks the answers it reads,
 * so the call fails as the vendor's fault (`UPSTREAM_ERROR`, `reason: 'unexpected_response'`,
 * the field named, not retried) instead of a `TypeError` or a result with an `undefined` id.
 */
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
import type { IntegrationResult } from '../src/connectors/types.js';
import { createDocuSignFake } from './fakes/docusign.js';
import { createDynamicsFake } from './fakes/dynamics.js';
import type { FakeService, Fault } from './fakes/fake-service.js';
import { createOracleFake } from './fakes/oracle.js';
import { createSalesforceFake, SALESFORCE_API_VERSION } from './fakes/salesforce.js';
import { createSapFake } from './fakes/sap.js';
import { createSlackFake } from './fakes/slack.js';
import { createTeamsFake } from './fakes/teams.js';
import { connectorMaker, quickHa, useFakes } from './support/connectors.js';

const slackFake = createSlackFake();
const salesforceFake = createSalesforceFake();
const dynamicsFake = createDynamicsFake();
const docusignFake = createDocuSignFake();
const oracleFake = createOracleFake();
const sapFake = createSapFake();
const teamsFake = createTeamsFake();
const http = useFakes(
  [slackFake, salesforceFake, dynamicsFake, docusignFake, oracleFake, sapFake, teamsFake],
  {
    beforeEach: () => docusignFake.setConsent(true),
  },
);

const slack = connectorMaker(createSlackConnector, () => ({
  credentials: { botToken: 'xoxb-fileforge-test' },
  endpoints: slackFake.apiUrl,
  http,
  ha: quickHa,
}));
const salesforce = connectorMaker(createSalesforceConnector, () => ({
  credentials: {
    clientId: salesforceFake.clientId,
    clientSecret: salesforceFake.clientSecret,
    instanceUrl: salesforceFake.url,
  },
  http,
  ha: quickHa,
}));
const dynamics = connectorMaker(createDynamicsConnector, () => ({
  credentials: {
    tenantId: dynamicsFake.tenantId,
    clientId: dynamicsFake.clientId,
    clientSecret: dynamicsFake.clientSecret,
    orgUrl: dynamicsFake.url,
    authorityUrl: dynamicsFake.url,
  },
  http,
  ha: quickHa,
}));
const docusign = connectorMaker(createDocuSignConnector, () => ({
  credentials: {
    integrationKey: docusignFake.integrationKey,
    userId: docusignFake.userId,
    privateKey: docusignFake.privateKeyPem!,
    authServer: docusignFake.url,
  },
  http,
  ha: quickHa,
}));
const oracle = connectorMaker(createOracleConnector, () => ({
  credentials: {
    baseUrl: oracleFake.url,
    identityDomainUrl: oracleFake.url,
    clientId: oracleFake.credentials.clientId,
    clientSecret: oracleFake.credentials.clientSecret,
    scope: oracleFake.credentials.scope,
  },
  http,
  ha: quickHa,
}));
const sap = connectorMaker(createSapConnector, () => ({
  credentials: {
    baseUrl: sapFake.url,
    username: sapFake.credentials.user,
    password: sapFake.credentials.password,
    sapClient: sapFake.credentials.client,
  },
  http,
  ha: quickHa,
}));
const teams = connectorMaker(createTeamsConnector, () => ({
  credentials: {
    tenantId: teamsFake.credentials.tenant,
    clientId: teamsFake.credentials.clientId,
    clientSecret: teamsFake.credentials.clientSecret,
    authorityUrl: teamsFake.url,
    graphUrl: teamsFake.graphUrl,
    // channel messages need delegated auth
    refreshToken: teamsFake.credentials.refreshToken,
  },
  http,
  ha: quickHa,
}));

const HTML_PAGE = '<!doctype html><html><body><h1>Down for maintenance</h1></body></html>';

interface Case {
  name: string;
  service: () => FakeService;
  method: string;
  path: string | RegExp;
  answer: Omit<Fault, 'match' | 'times'>;
  call: () => Promise<IntegrationResult<unknown>>;
  /** What the error message must say about the answer. */
  says: RegExp;
}

const cases: Case[] = [
  {
    name: 'Slack chat.postMessage answering ok without channel and ts',
    service: () => slackFake.service,
    method: 'POST',
    path: '/api/chat.postMessage',
    answer: { status: 200, body: { ok: true } },
    call: () => slack().action('postMessage', { channel: 'C0GENERAL01', text: 'hello' }),
    says: /with JSON of an unexpected shape \(at channel: /,
  },
  {
    name: 'Salesforce answering a create with an HTML page',
    service: () => salesforceFake.service,
    method: 'POST',
    path: `/services/data/v${SALESFORCE_API_VERSION}/sobjects/Lead/`,
    answer: { status: 201, headers: { 'content-type': 'text/html' }, body: HTML_PAGE },
    call: () => salesforce().action('createLead', { lastName: 'Lovelace', company: 'Analytical Engines' }),
    says: /a body that is not JSON of an unexpected shape/,
  },
  {
    name: 'Dataverse WhoAmI answering {}',
    service: () => dynamicsFake.service,
    method: 'GET',
    path: '/api/data/v9.2/WhoAmI',
    answer: { status: 200, body: {} },
    call: () => dynamics().testConnection(),
    says: /at UserId: /,
  },
  {
    name: 'DocuSign userinfo answering without the user id',
    service: () => docusignFake.service,
    method: 'GET',
    path: '/oauth/userinfo',
    answer: { status: 200, body: { name: 'Ada', accounts: [] } },
    call: () => docusign().testConnection(),
    says: /at sub: /,
  },
  {
    name: 'Oracle answering a supplier create without SupplierId',
    service: () => oracleFake.service,
    method: 'POST',
    path: '/fscmRestApi/resources/11.13.18.05/suppliers',
    answer: { status: 201, body: { Supplier: 'Acme', Status: 'ACTIVE' } },
    call: () => oracle().action('createSupplier', { supplier: 'Acme Unexpected', taxpayerId: '94-1234567' }),
    says: /at SupplierId: /,
  },
  {
    name: 'SAP answering a product create with a d of another entity',
    service: () => sapFake.service,
    method: 'POST',
    path: '/sap/opu/odata/sap/API_PRODUCT_SRV/A_Product',
    answer: { status: 201, body: { d: { ProductType: 'FERT' } } },
    call: () => sap().action('createProduct', { productType: 'FERT', baseUnit: 'EA' }),
    says: /at Product: /,
  },
  {
    name: 'Graph answering a channel message without its id',
    service: () => teamsFake.service,
    method: 'POST',
    path: /\/messages$/,
    answer: { status: 201, body: { webUrl: 'https://teams.example/message' } },
    call: () =>
      teams().action('postMessage', {
        teamId: teamsFake.defaults.teamId,
        channelId: teamsFake.defaults.channelId,
        content: 'hello',
      }),
    says: /at id: /,
  },
];

describe('a 2xx answer of an unexpected shape', () => {
  it.each(cases)('$name: UPSTREAM_ERROR unexpected_response, sent once', async (c) => {
    const matches = (r: { method: string; path: string }) =>
      r.method === c.method && (typeof c.path === 'string' ? r.path === c.path : c.path.test(r.path));
    c.service().inject({ ...c.answer, match: matches, times: 10 });

    const result = await c.call();

    expect(result.success).toBe(false);
    expect(result.error).toMatchObject({
      code: 'UPSTREAM_ERROR',
      details: { reason: 'unexpected_response', status: c.answer.status, retryable: false },
    });
    expect(result.error?.message).toMatch(c.says);
    // Not worth repeating: the same request would get the same page.
    expect(c.service().requests.filter(matches)).toHaveLength(1);
    expect(result.attempt).toBe(1);
  });
});
