/**
 * Issue 11: the DocuSign fake answers the requests documented in specs/connectors.md §3
 * (replayed as written: method, path, headers, body) with the documented answers, so it is
 * checked against the documentation rather than against FileForge's connector.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDocuSignFake, type DocuSignFake, docusignFaults } from './fakes/docusign.js';
import { createRsaKeyPair, signRs256 } from './fakes/signing-keys.js';

/** The envelope definition of §3 "Send document for signature", byte for byte ("JVBERi0xLjcK" = "%PDF-1.7\n"). */
const DOC_ENVELOPE = `{
  "emailSubject": "Please sign: invoice-42.pdf",
  "documents": [{"documentId": "1", "name": "invoice-42.pdf", "fileExtension": "pdf",
                 "documentBase64": "JVBERi0xLjcK"}],
  "recipients": {"signers": [{"email": "ada@example.com", "name": "Ada Lovelace", "recipientId": "1",
                 "routingOrder": "1",
                 "tabs": {"signHereTabs": [{"anchorString": "/sn1/", "anchorUnits": "pixels",
                                            "anchorXOffset": "20", "anchorYOffset": "10"}]}}]},
  "status": "sent"
}`;
const DOCUSIGN_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;

describe('DocuSign eSignature fake, replaying the documented wire examples', () => {
  let ds: DocuSignFake;
  let now: number;

  const tokenRequest = (assertion: string) =>
    fetch(ds.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=${assertion}`,
    });
  async function token(): Promise<string> {
    const res = await tokenRequest(await ds.signAssertion());
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    return String(body.access_token);
  }
  const rest = (accessToken: string, path: string, init: RequestInit = {}) =>
    fetch(`${ds.accountUrl}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${accessToken}`,
        'Content-Type': 'application/json',
        ...(init.headers as Record<string, string>),
      },
    });

  beforeEach(async () => {
    now = Date.parse('2025-01-15T10:30:45.123Z');
    ds = createDocuSignFake({ clock: () => now, burstLimit: 5 });
    await ds.start();
  });
  afterEach(() => ds.close());

  it('grants a token for a JWT signed with the integration key, and userinfo names the account and base_uri', async () => {
    const accessToken = await token();
    const info = await fetch(ds.userInfoUrl, { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({
      sub: ds.userId,
      accounts: [{ account_id: ds.accountId, is_default: true, base_uri: ds.url }],
    });
  });

  it('refuses bad assertions with the documented OAuth errors', async () => {
    const error = async (assertion: string) => (await tokenRequest(assertion)).json();
    expect(await error(await ds.signAssertion({ iss: 'someone-else' }))).toEqual({
      error: 'invalid_grant',
      error_description: 'issuer_not_found',
    });
    const stranger = createRsaKeyPair();
    const iat = Math.floor(now / 1000);
    const forged = await signRs256(
      {
        iss: ds.integrationKey,
        sub: ds.userId,
        aud: ds.audience,
        iat,
        exp: iat + 3600,
        scope: 'signature impersonation',
      },
      stranger.privateKeyPem,
    );
    expect(await error(forged)).toEqual({
      error: 'invalid_grant',
      error_description: 'no_valid_keys_or_signatures',
    });
    expect(await error(await ds.signAssertion({ sub: '00000000-0000-4000-8000-000000000000' }))).toEqual({
      error: 'invalid_grant',
      error_description: 'user_not_found',
    });
    expect((await tokenRequest(await ds.signAssertion({ aud: `https://${ds.audience}` }))).status).toBe(400);
    ds.setConsent(false);
    expect(await error(await ds.signAssertion())).toEqual({ error: 'consent_required' });
  });

  it('sends the documented envelope: 201 {envelopeId, uri, statusDateTime, status}', async () => {
    const accessToken = await token();
    const res = await rest(accessToken, '/envelopes', { method: 'POST', body: DOC_ENVELOPE });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['envelopeId', 'status', 'statusDateTime', 'uri']);
    expect(body).toEqual({
      envelopeId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      uri: `/envelopes/${body.envelopeId}`,
      statusDateTime: '2025-01-15T10:30:45.1230000Z',
      status: 'sent',
    });
    const stored = ds.envelopes.get(body.envelopeId!);
    expect(stored?.documents[0]?.bytes.toString()).toBe('%PDF-1.7\n');
    expect(stored?.recipients?.signers?.[0]).toMatchObject({ email: 'ada@example.com', recipientId: '1' });
    expect(res.headers.get('X-RateLimit-Limit')).toBe('3000');
    expect(res.headers.get('X-RateLimit-Reset')).toBe(String(Date.parse('2025-01-15T11:00:00Z') / 1000));
  });

  it('tracks status with GET envelopes/{id} and lists with from_date, paged by nextUri', async () => {
    const accessToken = await token();
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await rest(accessToken, '/envelopes', { method: 'POST', body: DOC_ENVELOPE });
      ids.push(((await res.json()) as { envelopeId: string }).envelopeId);
    }
    now += 60_000;
    ds.envelopes.setStatus(ids[0]!, 'completed', now);
    const one = await rest(accessToken, `/envelopes/${ids[0]}`);
    expect(await one.json()).toMatchObject({
      envelopeId: ids[0],
      status: 'completed',
      emailSubject: 'Please sign: invoice-42.pdf',
      sentDateTime: expect.stringMatching(DOCUSIGN_DATE),
      completedDateTime: '2025-01-15T10:31:45.1230000Z',
      envelopeUri: `/envelopes/${ids[0]}`,
    });

    const first = await rest(
      accessToken,
      '/envelopes?from_date=2025-01-01T00:00:00Z&status=any&count=2&start_position=0',
    );
    const page1 = (await first.json()) as Record<string, unknown> & { envelopes: unknown[]; nextUri: string };
    expect(page1).toMatchObject({
      resultSetSize: '2',
      startPosition: '0',
      endPosition: '1',
      totalSetSize: '3',
    });
    expect(page1.nextUri).toMatch(/^\/envelopes\?/);
    const second = await rest(accessToken, page1.nextUri);
    const page2 = (await second.json()) as Record<string, unknown>;
    expect(page2).toMatchObject({ resultSetSize: '1', startPosition: '2', totalSetSize: '3' });
    expect(page2.nextUri).toBeUndefined();

    const missing = await rest(accessToken, '/envelopes/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { errorCode: string }).errorCode).toBe('ENVELOPE_DOES_NOT_EXIST');
  });

  it('answers the documented envelope errors as {errorCode, message}', async () => {
    const accessToken = await token();
    const post = async (body: string) => {
      const res = await rest(accessToken, '/envelopes', { method: 'POST', body });
      return { status: res.status, body: (await res.json()) as { errorCode: string; message: string } };
    };
    const incomplete = await post('{"emailSubject":"x","status":"sent"}');
    expect(incomplete).toMatchObject({ status: 400, body: { errorCode: 'ENVELOPE_IS_INCOMPLETE' } });
    const badEmail = await post(DOC_ENVELOPE.replace('ada@example.com', 'not-an-email'));
    expect(badEmail.body.errorCode).toBe('INVALID_EMAIL_ADDRESS_FOR_RECIPIENT');
    expect((await post('{oops')).body.errorCode).toBe('INVALID_REQUEST_BODY');
    expect((await post(DOC_ENVELOPE.replace('"documentId": "1"', '"documentId": 1'))).body.errorCode).toBe(
      'INVALID_REQUEST_BODY',
    );
    const draft = await post('{"emailSubject":"draft"}');
    expect(draft).toMatchObject({ status: 201, body: { status: 'created' } });
  });

  it('reads a document without fileExtension as a PDF, whatever its name says', async () => {
    const accessToken = await token();
    const post = async (body: string) => {
      const res = await rest(accessToken, '/envelopes', { method: 'POST', body });
      return { status: res.status, body: (await res.json()) as { errorCode: string } };
    };
    const docx = DOC_ENVELOPE.replace('"name": "invoice-42.pdf"', '"name": "letter.docx"').replace(
      '"JVBERi0xLjcK"',
      '"UEsDBAo="',
    );
    expect((await post(docx.replace('"fileExtension": "pdf",', ''))).body.errorCode).toBe(
      'PDF_VALIDATION_FAILED',
    );
    expect((await post(docx.replace('"fileExtension": "pdf"', '"fileExtension": "docx"'))).status).toBe(201);
  });

  it('answers 401 AUTHORIZATION_INVALID_TOKEN once tokens expire; a new JWT grant works', async () => {
    const accessToken = await token();
    ds.service.tokens.expireAll();
    const expired = await rest(accessToken, '/envelopes/any');
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({
      errorCode: 'AUTHORIZATION_INVALID_TOKEN',
      message: 'The access token provided is expired, revoked or malformed.',
    });
    expect((await rest(await token(), '/envelopes', { method: 'POST', body: DOC_ENVELOPE })).status).toBe(
      201,
    );
  });

  it('rate limits per burst window with X-BurstLimit headers, as 429 or the legacy 400, keyed by errorCode', async () => {
    const accessToken = await token();
    for (let i = 0; i < 5; i += 1)
      expect((await rest(accessToken, '/envelopes?from_date=2025-01-01')).status).toBe(200);
    const limited = await rest(accessToken, '/envelopes?from_date=2025-01-01');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('X-BurstLimit-Remaining')).toBe('0');
    expect(((await limited.json()) as { errorCode: string }).errorCode).toBe(
      'BURST_APIINVOCATION_LIMIT_EXCEEDED',
    );
    now += 30_000;
    expect((await rest(accessToken, '/envelopes?from_date=2025-01-01')).status).toBe(200);

    const legacy = createDocuSignFake({ hourlyLimit: 1, rateLimitStatus: 400 });
    await legacy.start();
    try {
      const call = () =>
        fetch(`${legacy.accountUrl}/envelopes/x`, {
          headers: { Authorization: `Bearer ${legacy.issueToken()}` },
        });
      await call();
      const hourly = await call();
      expect(hourly.status).toBe(400);
      expect(((await hourly.json()) as { errorCode: string }).errorCode).toBe(
        'HOURLY_APIINVOCATION_LIMIT_EXCEEDED',
      );
    } finally {
      await legacy.close();
    }
  });

  it('injects rate-limit and server faults', async () => {
    const accessToken = await token();
    ds.service.inject(docusignFaults.rateLimited('Hourly_Envelope_Polling_Limit_Exceeded', 400));
    ds.service.inject(docusignFaults.unavailable());
    const polled = await rest(accessToken, '/envelopes/x');
    expect(polled.status).toBe(400);
    expect(((await polled.json()) as { errorCode: string }).errorCode).toBe(
      'Hourly_Envelope_Polling_Limit_Exceeded',
    );
    expect((await rest(accessToken, '/envelopes/x')).status).toBe(503);
    expect((await rest(accessToken, '/envelopes/x')).status).toBe(404);
  });
});
