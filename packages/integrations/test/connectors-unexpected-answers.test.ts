/**
 * A vendor (or a proxy, or a wrong base URL) answering 2xx with a body of another shape: an
 * HTML maintenance page, `{}`, a renamed field. Each connector checks the answers it reads,
 * so the call fails as the vendor's fault (`UPSTREAM_ERROR`, `reason: 'unexpected_response'`,
 * the field named, not retried) instead of a `TypeError` or a result with an `undefined` id.
 */
import { createRng, type Rng } from '@fileforge/test-fixtures/random';
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

/** Whether a request is the one a case answers for. */
const requestsOf =
  (c: Case) =>
  (r: { method: string; path: string }): boolean =>
    r.method === c.method && (typeof c.path === 'string' ? r.path === c.path : c.path.test(r.path));

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
    const matches = requestsOf(c);
    c.service().clearFaults();
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

/** A JSON value of the kinds vendors send, with the names their error readers look for. */
function randomJson(r: Rng, depth = 0): unknown {
  const keys = [
    'error',
    'errors',
    'message',
    'errorCode',
    'code',
    'ok',
    'd',
    'results',
    'o:errorDetails',
    'detail',
    'innererror',
    'value',
    'id',
    'Product',
    'SupplierId',
    'UserId',
    'sub',
    'channel',
    'ts',
    '__proto__',
  ];
  switch (r.int(0, depth > 2 ? 3 : 6)) {
    case 0:
      return null;
    case 1:
      return r.pick([0, -1, 1e308, 3.5, true, false]);
    case 2:
      return r.pick(['', 'x', '<html>', '{', 'ratelimited', '\u0000']);
    case 3:
      return [];
    case 4:
    case 5: {
      const out: Record<string, unknown> = {};
      for (let i = r.int(0, 4); i > 0; i--) out[r.pick(keys)] = randomJson(r, depth + 1);
      return out;
    }
    default:
      return Array.from({ length: r.int(1, 3) }, () => randomJson(r, depth + 1));
  }
}

describe('any answer at all (seeded fuzz)', () => {
  it.each(cases)('$name: a result or a vendor error, never a TypeError', async (c) => {
    // (no 204: a body with it is not HTTP)
    const statuses = [200, 201, 202, 400, 401, 403, 404, 409, 413, 415, 422, 500, 502, 503];
    for (let seed = 1; seed <= 25; seed++) {
      const r = createRng(seed);
      const status = r.pick(statuses);
      const json = r.chance(0.8);
      const matches = requestsOf(c);
      c.service().clearFaults();
      c.service().inject({
        status,
        headers: { 'content-type': json ? 'application/json' : 'text/plain' },
        body: json ? JSON.stringify(randomJson(r)) : HTML_PAGE.slice(0, r.int(0, HTML_PAGE.length)),
        match: matches,
        times: 10,
      });
      const result = await c.call();
      if (!result.success) {
        expect(
          ['UPSTREAM_ERROR', 'INTEGRATION_REJECTED'],
          `seed ${seed}: ${result.error?.message}`,
        ).toContain(result.error?.code);
        // FileForge's own errors say where they come from; a TypeError from a misread answer would not.
        expect(result.error?.message).toMatch(/^\[fileforge:[a-z]+\] /);
      }
    }
  });
});
