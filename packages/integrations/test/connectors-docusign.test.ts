import { writePdf } from '@fileforge/test-fixtures/pdf';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { createDocuSignConnector } from '../src/connectors/index.js';
import { createDocuSignFake, docusignFaults } from './fakes/docusign.js';
import {
  connectorMaker,
  memoryFile,
  quickHa,
  recordingSleep,
  useConnectorForge,
  useFakes,
} from './support/connectors.js';

const fake = createDocuSignFake();
const http = useFakes([fake], { beforeEach: () => fake.setConsent(true) });

const credentials = () => ({
  integrationKey: fake.integrationKey,
  userId: fake.userId,
  privateKey: fake.privateKeyPem!,
  authServer: fake.url,
});

const docusign = connectorMaker(createDocuSignConnector, () => ({
  credentials: credentials(),
  http,
  ha: quickHa,
}));

const envelopesPath = () => `/restapi/v2.1/accounts/${fake.accountId}/envelopes`;
const tokenRequests = () => fake.service.requestsTo('POST', '/oauth/token');
const signer = { email: 'ada@example.com', name: 'Ada Lovelace' };

describe('DocuSign connector', () => {
  it('tests the connection with a JWT grant (RS256, iss/sub/aud host/scope) and userinfo', async () => {
    const result = await docusign().testConnection();
    expect(result).toMatchObject({
      success: true,
      data: { userId: fake.userId, accountId: fake.accountId, baseUri: fake.url, email: 'ada@example.com' },
    });
    const [grant] = tokenRequests();
    expect(grant?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(grant!.body.toString('utf8'));
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const assertion = form.get('assertion')!;
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'RS256', typ: 'JWT' });
    const claims = decodeJwt(assertion);
    expect(claims).toMatchObject({
      iss: fake.integrationKey,
      sub: fake.userId,
      aud: new URL(fake.url).host, // host only, no scheme
      scope: 'signature impersonation',
    });
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(3600);
    const [info] = fake.service.requestsTo('GET', '/oauth/userinfo');
    expect(info?.headers.authorization).toMatch(/^Bearer ds\./);
  });

  it('tells the administrator to grant consent when DocuSign answers consent_required', async () => {
    fake.setConsent(false);
    const result = await docusign().testConnection();
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: { code: 'INTEGRATION_REJECTED', details: { vendorCode: 'consent_required' } },
    });
    const consentUrl = new URL((result.error!.details as { consentUrl: string }).consentUrl);
    expect(consentUrl.pathname).toBe('/oauth/auth');
    expect(consentUrl.searchParams.get('client_id')).toBe(fake.integrationKey);
    expect(consentUrl.searchParams.get('scope')).toBe('signature impersonation');
    expect(result.error!.message).toMatch(/Consent required.*must open .*\/oauth\/auth\?/);
    expect(tokenRequests()).toHaveLength(1);
  });

  it('reads an envelope status by id and asks userinfo only once per connector', async () => {
    const created = fake.envelopes.create(
      {
        emailSubject: 'Please sign',
        status: 'sent',
        documents: [{ documentId: '1', name: 'a.pdf', documentBase64: writePdf().toString('base64') }],
        recipients: { signers: [{ ...signer, recipientId: '1' }] },
      },
      Date.now(),
    );
    if ('errorCode' in created) throw new Error(created.message);
    fake.envelopes.setStatus(created.envelopeId, 'completed', Date.now());
    const connector = docusign();
    const first = await connector.action('getEnvelopeStatus', { envelopeId: created.envelopeId });
    const second = await connector.action('getEnvelopeStatus', { envelopeId: created.envelopeId });
    expect(first).toMatchObject({
      success: true,
      data: { envelopeId: created.envelopeId, status: 'completed', emailSubject: 'Please sign' },
    });
    expect((first.data as Record<string, string>).completedDateTime).toMatch(/^\d{4}-\d\d-\d\dT.*\d{7}Z$/);
    expect(second.success).toBe(true);
    const gets = fake.service.requestsTo('GET', `${envelopesPath()}/${created.envelopeId}`);
    expect(gets).toHaveLength(2);
    expect(gets[0]?.headers.authorization).toMatch(/^Bearer /);
    expect(fake.service.requestsTo('GET', '/oauth/userinfo')).toHaveLength(1);
    expect(tokenRequests()).toHaveLength(1);
  });

  it('maps a missing envelope (ENVELOPE_DOES_NOT_EXIST) to INTEGRATION_REJECTED without retrying', async () => {
    const result = await docusign().action('getEnvelopeStatus', {
      envelopeId: '00000000-0000-4000-8000-000000000000',
    });
    expect(result).toMatchObject({
      success: false,
      attempt: 1,
      error: {
        code: 'INTEGRATION_REJECTED',
        details: { integration: 'docusign', vendorCode: 'ENVELOPE_DOES_NOT_EXIST', status: 404 },
      },
    });
    expect(fake.service.requestsTo('GET', /\/envelopes\//)).toHaveLength(1);
  });

  it('refuses a document DocuSign cannot read (PDF_VALIDATION_FAILED), sent once', async () => {
    const result = await docusign().action(
      'sendEnvelope',
      { emailSubject: 'Broken', signers: [signer] },
      { file: memoryFile(Buffer.from('not a pdf at all')) },
    );
    expect(result.error).toMatchObject({
      code: 'INTEGRATION_REJECTED',
      details: { vendorCode: 'PDF_VALIDATION_FAILED', status: 400 },
    });
    expect(fake.service.requestsTo('POST', envelopesPath())).toHaveLength(1);
  });

  it('gets exactly one new token when the old one has expired', async () => {
    const connector = docusign();
    const file = memoryFile(writePdf());
    expect(
      (await connector.action('sendEnvelope', { emailSubject: 'One', signers: [signer] }, { file })).success,
    ).toBe(true);
    const issued = fake.service.tokens.issued;
    fake.service.tokens.expireAll();
    const again = await connector.action(
      'sendEnvelope',
      { emailSubject: 'Two', signers: [signer] },
      { file },
    );
    expect(again).toMatchObject({ success: true, attempt: 1 });
    expect(fake.service.tokens.issued).toBe(issued + 1);
    expect(tokenRequests()).toHaveLength(2);
    const posts = fake.service.requestsTo('POST', envelopesPath());
    expect(posts).toHaveLength(3); // one, the refused one, the one with the new token
    expect(posts[1]?.headers.authorization).not.toBe(posts[2]?.headers.authorization);
  });

  it('retries a 429 rate limit after Retry-After', async () => {
    fake.service.inject({
      ...docusignFaults.rateLimited('BURST_APIINVOCATION_LIMIT_EXCEEDED', 429),
      headers: { 'retry-after': '1' },
    });
    const { waits, sleep } = recordingSleep();
    const result = await docusign({ clock: { sleep } }).action(
      'sendEnvelope',
      { emailSubject: 'After the limit', signers: [signer] },
      { file: memoryFile(writePdf()) },
    );
    expect(result).toMatchObject({ success: true, attempt: 2 });
    expect(waits).toEqual([1000]);
  });

  it('treats the legacy 400 + HOURLY_APIINVOCATION_LIMIT_EXCEEDED as a rate limit, waiting until X-RateLimit-Reset', async () => {
    const reset = Math.floor(Date.now() / 1000) + 30; // far enough that the first request's time never matters
    fake.service.inject({
      ...docusignFaults.rateLimited('HOURLY_APIINVOCATION_LIMIT_EXCEEDED', 400),
      headers: { 'X-RateLimit-Reset': String(reset) },
    });
    const { waits, sleep } = recordingSleep();
    const file = memoryFile(writePdf());
    const result = await docusign({ clock: { sleep } }).action(
      'sendEnvelope',
      { emailSubject: 'Hourly', signers: [signer] },
      { file },
    );
    expect(result).toMatchObject({ success: true, attempt: 2 });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(20_000);
    expect(waits[0]).toBeLessThanOrEqual(31_000);
    expect(file.opened).toBe(2);
  });

  it('gives up with UPSTREAM_ERROR and the reset time when the limit does not lift', async () => {
    fake.service.inject({ ...docusignFaults.rateLimited('HOURLY_APIINVOCATION_LIMIT_EXCEEDED', 429, 3) });
    const { sleep } = recordingSleep();
    const result = await docusign({ clock: { sleep }, ha: { ...quickHa, maxRetries: 2 } }).action(
      'getEnvelopeStatus',
      { envelopeId: 'x' },
    );
    expect(result).toMatchObject({
      success: false,
      attempt: 3,
      error: {
        code: 'UPSTREAM_ERROR',
        details: { vendorCode: 'HOURLY_APIINVOCATION_LIMIT_EXCEEDED', status: 429 },
      },
    });
  });

  it('fails at construction on a private key that is not a PEM, naming the field only', () => {
    expect(() => docusign({ credentials: { ...credentials(), privateKey: 'hunter2' } })).toThrow(
      /Invalid credentials: privateKey$/,
    );
  });
});

describe('DocuSign sendEnvelope through the integrations service', () => {
  const t = useConnectorForge({ ha: quickHa });

  it('sends a stored PDF as a base64 document with the signers, status "sent"', async () => {
    const pdf = writePdf({ pages: ['FileForge invoice 42', 'Sign here: /sn1/'], title: 'Invoice 42' });
    const fileId = await t.store('invoice-42.pdf', pdf);
    await t.service.connect('docusign', credentials());
    fake.service.requests.length = 0;

    const result = await t.service.action(
      'docusign',
      'sendEnvelope',
      {
        emailSubject: 'Please sign: invoice-42.pdf',
        signers: [
          { ...signer, anchorString: '/sn1/', anchorXOffset: 20, anchorYOffset: 10 },
          { email: 'grace@example.com', name: 'Grace Hopper', routingOrder: 2 },
        ],
      },
      { fileId },
    );
    expect(result).toMatchObject({ success: true, data: { status: 'sent', accountId: fake.accountId } });
    const { envelopeId } = result.data as { envelopeId: string };

    const [post] = fake.service.requestsTo('POST', envelopesPath());
    expect(post?.headers['content-type']).toMatch(/^application\/json/);
    expect(post?.headers.authorization).toMatch(/^Bearer ds\./);
    expect(post?.json).toEqual({
      emailSubject: 'Please sign: invoice-42.pdf',
      documents: [
        {
          documentId: '1',
          name: 'invoice-42.pdf',
          fileExtension: 'pdf',
          documentBase64: pdf.toString('base64'),
        },
      ],
      recipients: {
        signers: [
          {
            email: 'ada@example.com',
            name: 'Ada Lovelace',
            recipientId: '1',
            routingOrder: '1',
            tabs: {
              signHereTabs: [
                { anchorString: '/sn1/', anchorUnits: 'pixels', anchorXOffset: '20', anchorYOffset: '10' },
              ],
            },
          },
          { email: 'grace@example.com', name: 'Grace Hopper', recipientId: '2', routingOrder: '2' },
        ],
      },
      status: 'sent',
    });

    const stored = fake.envelopes.get(envelopeId)!;
    expect(stored.status).toBe('sent');
    expect(stored.emailSubject).toBe('Please sign: invoice-42.pdf');
    expect(stored.documents[0]?.bytes.equals(pdf)).toBe(true);
    expect(stored.dates.sentDateTime).toBeDefined();

    const status = await t.service.action('docusign', 'getEnvelopeStatus', { envelopeId });
    expect(status).toMatchObject({ success: true, data: { envelopeId, status: 'sent' } });
  });
});
