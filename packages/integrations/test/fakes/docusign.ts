/**
 * A faithful local DocuSign: eSignature REST v2.1, its JWT-grant OAuth endpoint and userinfo
 * (`specs/connectors.md` §3).
 *
 * How this works: one {@link FakeService} plays both hosts — the account server
 * (`/oauth/token`, `/oauth/userinfo`; `account-d.docusign.com`) and the account's REST host
 * (`{base_uri}/restapi/v2.1/accounts/{accountId}/…`; userinfo's `base_uri` is the fake's
 * URL). Envelopes live in {@link DocuSignEnvelopes}, which tests can read and move on
 * (`envelopes.setStatus(id, 'completed', now)`).
 *
 * What it checks: the JWT grant as a form (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=`),
 * the RS256 assertion verified with `publicKeyPem`, `iss` = integration key (`issuer_not_found`),
 * signature (`no_valid_keys_or_signatures`), `aud` = the account server **host only**
 * (`audience`, default the fake's `host:port`), `sub` = the user GUID (`user_not_found`), `exp`
 * ≤ 1 h after `iat`, `scope` with `signature impersonation`, consent (`consent_required`);
 * Bearer tokens on userinfo and REST (401 `USER_AUTHENTICATION_FAILED` without,
 * `AUTHORIZATION_INVALID_TOKEN` when expired); the account id in the path; envelope
 * definitions (`INVALID_REQUEST_BODY`, `ENVELOPE_IS_INCOMPLETE`,
 * `INVALID_EMAIL_ADDRESS_FOR_RECIPIENT`, `PDF_VALIDATION_FAILED`), as JSON with base64 documents or
 * as multipart with the documents' bytes in parts (`docusign-multipart.ts`); status GETs and listing
 * paged by `nextUri`; `X-RateLimit-*` / `X-BurstLimit-*` on every REST answer, and the hourly
 * and burst limits answered with 429 (or the legacy 400) + `HOURLY_/BURST_APIINVOCATION_LIMIT_EXCEEDED`.
 * Unsure points (open point 2): a missing envelope answers `missingEnvelopeStatus` (404).
 *
 * @module
 */
import type { Context } from 'hono';
import { DocuSignEnvelopes, type DocuSignFailure } from './docusign-envelopes.js';
import { readMultipartEnvelope } from './docusign-multipart.js';
import { mountDocuSignOAuth } from './docusign-oauth.js';
import { bearerOf, FakeService, type Fault } from './fake-service.js';
import { sharedTestKeyPair, signRs256 } from './signing-keys.js';

export {
  DocuSignEnvelopes,
  type DocuSignFailure,
  docusignDate,
  type EnvelopeStatus,
  type StoredEnvelope,
} from './docusign-envelopes.js';

/** Options of {@link createDocuSignFake}. */
export interface DocuSignFakeOptions {
  /** Integration key (JWT `iss`). @default a fixed GUID */
  integrationKey?: string;
  /** The impersonated user's GUID (JWT `sub`). @default a fixed GUID */
  userId?: string;
  /** @default a fixed GUID */
  accountId?: string;
  /** PEM public key of the integration's RSA key pair. @default a generated pair, private half exported */
  publicKeyPem?: string;
  /** JWT `aud` accepted (a host, no scheme). @default the fake's `host:port` */
  audience?: string;
  /** Whether the user has granted consent (false → `consent_required`). @default true */
  consented?: boolean;
  /** @default 3600 */
  tokenTtlSec?: number;
  /** API calls per hour per account. @default 3000 */
  hourlyLimit?: number;
  /** API calls per 30 s. @default 200 (demo) */
  burstLimit?: number;
  /** HTTP status of rate-limit answers: 429 (after the April 2026 rollout) or the legacy 400. @default 429 */
  rateLimitStatus?: 400 | 429;
  /** HTTP status of ENVELOPE_DOES_NOT_EXIST (documented 400, reported 404). @default 404 */
  missingEnvelopeStatus?: 400 | 404;
  /** Clock for timestamps, assertions and rate-limit windows. @default Date.now */
  clock?: () => number;
}

/** A running (after `start()`) fake DocuSign account. */
export interface DocuSignFake {
  service: FakeService;
  envelopes: DocuSignEnvelopes;
  integrationKey: string;
  userId: string;
  accountId: string;
  /** Private key to sign JWT-grant assertions (absent when `publicKeyPem` was given). */
  privateKeyPem: string | undefined;
  publicKeyPem: string;
  /** Grants or withdraws the user's consent. */
  setConsent(consented: boolean): void;
  start(): Promise<string>;
  close(): Promise<void>;
  /** The fake's base URL: the account server and userinfo's `base_uri`. */
  readonly url: string;
  /** The JWT `aud` the fake accepts (host only). */
  readonly audience: string;
  /** `${url}/oauth/token`. */
  readonly tokenUrl: string;
  /** `${url}/oauth/userinfo`. */
  readonly userInfoUrl: string;
  /** `${url}/restapi/v2.1/accounts/${accountId}`. */
  readonly accountUrl: string;
  /** A valid assertion for the JWT grant (claims overridable). */
  signAssertion(claims?: Record<string, unknown>): Promise<string>;
  /** A live access token without the OAuth round trip. */
  issueToken(): string;
}

/** Ready-made injected answers in DocuSign's words, for `fake.service.inject(...)`. */
export const docusignFaults = {
  /** A rate-limit answer (`status` 429 or legacy 400) with one of DocuSign's limit error codes. */
  rateLimited: (
    errorCode:
      | 'HOURLY_APIINVOCATION_LIMIT_EXCEEDED'
      | 'BURST_APIINVOCATION_LIMIT_EXCEEDED'
      | 'Hourly_Envelope_Polling_Limit_Exceeded'
      | 'Burst_Envelope_Polling_Limit_Exceeded' = 'HOURLY_APIINVOCATION_LIMIT_EXCEEDED',
    status: 400 | 429 = 429,
    times = 1,
  ): Fault => ({
    status,
    times,
    match: (r) => r.path.startsWith('/restapi/'),
    body: { errorCode, message: `The maximum number of API invocations has been exceeded (${errorCode}).` },
  }),
  /** 503 from the REST host. */
  unavailable: (times = 1): Fault => ({
    status: 503,
    times,
    match: (r) => r.path.startsWith('/restapi/'),
    body: { errorCode: 'SERVICE_UNAVAILABLE', message: 'The service is temporarily unavailable.' },
  }),
};

const failure = (f: DocuSignFailure, headers: Record<string, string> = {}) =>
  Response.json({ errorCode: f.errorCode, message: f.message }, { status: f.status, headers });

/**
 * Creates a fake DocuSign account. Call `start()` first.
 *
 * @example
 * const ds = createDocuSignFake();
 * await ds.start();
 * const res = await fetch(ds.tokenUrl, { method: 'POST', body: new URLSearchParams({
 *   grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: await ds.signAssertion() }) });
 */
export function createDocuSignFake(options: DocuSignFakeOptions = {}): DocuSignFake {
  const service = new FakeService();
  const envelopes = new DocuSignEnvelopes();
  const keys = options.publicKeyPem ? undefined : sharedTestKeyPair();
  const publicKeyPem = options.publicKeyPem ?? keys!.publicKeyPem;
  const integrationKey = options.integrationKey ?? '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
  const userId = options.userId ?? '7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e';
  const accountId = options.accountId ?? 'a4ec37d6-0000-4000-8000-00000000d0c5';
  const clock = options.clock ?? Date.now;
  const ttl = options.tokenTtlSec ?? 3600;
  const hourlyLimit = options.hourlyLimit ?? 3000;
  const burstLimit = options.burstLimit ?? 200;
  let consented = options.consented ?? true;
  const hourly = { window: -1, count: 0 };
  const burst = { window: -1, count: 0 };
  const audience = () => options.audience ?? new URL(service.url).host;
  const issueToken = () => service.tokens.issue('ds', ttl);

  mountDocuSignOAuth({
    service,
    integrationKey,
    userId,
    accountId,
    publicKeyPem,
    audience,
    clock,
    consented: () => consented,
    issueToken,
    ttl,
  });

  function rateHeaders(): Record<string, string> {
    const now = clock();
    const hour = Math.floor(now / 3_600_000);
    return {
      'X-RateLimit-Limit': String(hourlyLimit),
      'X-RateLimit-Remaining': String(Math.max(0, hourlyLimit - (hourly.window === hour ? hourly.count : 0))),
      'X-RateLimit-Reset': String((hour + 1) * 3600),
      'X-BurstLimit-Limit': String(burstLimit),
      'X-BurstLimit-Remaining': String(Math.max(0, burstLimit - burst.count)),
    };
  }

  service.app.use('/restapi/*', async (c, next) => {
    const token = bearerOf(c);
    if (!token) {
      return failure({
        status: 401,
        errorCode: 'USER_AUTHENTICATION_FAILED',
        message: 'One or both of Username and Password are invalid. Invalid access token',
      });
    }
    if (!service.tokens.check(token)) {
      return failure({
        status: 401,
        errorCode: 'AUTHORIZATION_INVALID_TOKEN',
        message: 'The access token provided is expired, revoked or malformed.',
      });
    }
    const now = clock();
    const hour = Math.floor(now / 3_600_000);
    const slot = Math.floor(now / 30_000);
    if (hourly.window !== hour) Object.assign(hourly, { window: hour, count: 0 });
    if (burst.window !== slot) Object.assign(burst, { window: slot, count: 0 });
    hourly.count += 1;
    burst.count += 1;
    const status = options.rateLimitStatus ?? 429;
    if (hourly.count > hourlyLimit) {
      return failure(
        {
          status,
          errorCode: 'HOURLY_APIINVOCATION_LIMIT_EXCEEDED',
          message: `The maximum number of hourly API invocations has been exceeded. The hourly limit is ${hourlyLimit}.`,
        },
        rateHeaders(),
      );
    }
    if (burst.count > burstLimit) {
      return failure(
        {
          status,
          errorCode: 'BURST_APIINVOCATION_LIMIT_EXCEEDED',
          message: `The maximum number of burst API invocations has been exceeded. The burst limit is ${burstLimit} per 30 seconds.`,
        },
        rateHeaders(),
      );
    }
    await next();
    for (const [name, value] of Object.entries(rateHeaders())) c.res.headers.set(name, value);
  });

  const base = '/restapi/v2.1/accounts/:accountId';
  const wrongAccount = (c: Context) =>
    c.req.param('accountId') === accountId
      ? undefined
      : failure({
          status: 400,
          errorCode: 'USER_LACKS_MEMBERSHIP',
          message: 'The UserID does not have a valid membership in this Account.',
        });
  const missing = (id: string) =>
    failure({
      status: options.missingEnvelopeStatus ?? 404,
      errorCode: 'ENVELOPE_DOES_NOT_EXIST',
      message: `The envelope specified either does not exist or you have no rights to it. Envelope: ${id}`,
    });

  service.app.post(`${base}/envelopes`, async (c) => {
    const denied = wrongAccount(c);
    if (denied) return denied;
    const contentType = c.req.header('content-type') ?? '';
    let definition: unknown;
    let files: Map<string, Buffer> | undefined;
    if (/^multipart\/form-data\b/i.test(contentType)) {
      const read = readMultipartEnvelope(contentType, Buffer.from(await c.req.arrayBuffer()));
      if ('errorCode' in read) return failure(read);
      ({ definition, files } = read);
    } else if (!contentType.startsWith('application/json')) {
      return failure({
        status: 415,
        errorCode: 'INVALID_CONTENT_TYPE',
        message: 'Content Type specified is not supported.',
      });
    } else {
      try {
        definition = JSON.parse(await c.req.text());
      } catch {
        return failure({
          status: 400,
          errorCode: 'INVALID_REQUEST_BODY',
          message:
            'The request body is missing or improperly formatted. Unexpected character encountered while parsing value.',
        });
      }
    }
    const created = envelopes.create(definition, clock(), files);
    if ('errorCode' in created) return failure(created);
    return c.json(
      {
        envelopeId: created.envelopeId,
        uri: `/envelopes/${created.envelopeId}`,
        statusDateTime: created.dates.statusChangedDateTime,
        status: created.status,
      },
      201,
    );
  });

  service.app.get(`${base}/envelopes/:envelopeId`, (c) => {
    const denied = wrongAccount(c);
    if (denied) return denied;
    const envelope = envelopes.get(c.req.param('envelopeId'));
    return envelope ? c.json(envelopes.toJson(envelope)) : missing(c.req.param('envelopeId'));
  });

  service.app.get(`${base}/envelopes/:envelopeId/documents/:documentId`, (c) => {
    const denied = wrongAccount(c);
    if (denied) return denied;
    const envelope = envelopes.get(c.req.param('envelopeId'));
    if (!envelope) return missing(c.req.param('envelopeId'));
    const wanted = c.req.param('documentId');
    const docs =
      wanted === 'combined' ? envelope.documents : envelope.documents.filter((d) => d.documentId === wanted);
    if (docs.length === 0)
      return failure({
        status: 400,
        errorCode: 'DOCUMENT_DOES_NOT_EXIST',
        message: 'The document specified was not found.',
      });
    return new Response(Buffer.concat(docs.map((d) => d.bytes)), {
      headers: { 'content-type': 'application/pdf' },
    });
  });

  service.app.get(`${base}/envelopes`, (c) => {
    const denied = wrongAccount(c);
    if (denied) return denied;
    const fromDate = c.req.query('from_date');
    const ids = c.req.query('envelope_ids')?.split(',');
    if (!fromDate && !ids) {
      return failure({
        status: 400,
        errorCode: 'INVALID_REQUEST_PARAMETER',
        message:
          'The request contained at least one invalid parameter. A from_date or envelope_ids is required.',
      });
    }
    const statuses = (c.req.query('status') ?? 'any').split(',');
    const matching = envelopes
      .all()
      .filter(
        (e) =>
          (!ids || ids.includes(e.envelopeId)) &&
          (!fromDate || Date.parse(e.dates.statusChangedDateTime ?? '') >= Date.parse(fromDate)) &&
          (statuses.includes('any') || statuses.includes(e.status)),
      );
    const count = Math.min(Number(c.req.query('count') ?? 100), 1000);
    const start = Number(c.req.query('start_position') ?? 0);
    const page = matching.slice(start, start + count);
    const body: Record<string, unknown> = {
      resultSetSize: String(page.length),
      startPosition: String(start),
      endPosition: String(Math.max(start, start + page.length - 1)),
      totalSetSize: String(matching.length),
      envelopes: page.map((e) => envelopes.toJson(e)),
    };
    const link = (position: number) => {
      const query = new URLSearchParams(c.req.query());
      query.set('start_position', String(position));
      query.set('count', String(count));
      return `/envelopes?${query.toString()}`;
    };
    if (start + count < matching.length) body.nextUri = link(start + count);
    if (start > 0) body.previousUri = link(Math.max(0, start - count));
    return c.json(body);
  });

  return {
    service,
    envelopes,
    integrationKey,
    userId,
    accountId,
    privateKeyPem: keys?.privateKeyPem,
    publicKeyPem,
    setConsent(value) {
      consented = value;
    },
    start: () => service.start(),
    close: () => service.close(),
    get url() {
      return service.url;
    },
    get audience() {
      return audience();
    },
    get tokenUrl() {
      return `${service.url}/oauth/token`;
    },
    get userInfoUrl() {
      return `${service.url}/oauth/userinfo`;
    },
    get accountUrl() {
      return `${service.url}/restapi/v2.1/accounts/${accountId}`;
    },
    async signAssertion(claims = {}) {
      if (!keys)
        throw new Error(
          '[fileforge:fakes] signAssertion needs the generated key pair (no publicKeyPem option)',
        );
      const iat = Math.floor(clock() / 1000);
      return signRs256(
        {
          iss: integrationKey,
          sub: userId,
          aud: audience(),
          iat,
          exp: iat + 3600,
          scope: 'signature impersonation',
          ...claims,
        },
        keys.privateKeyPem,
      );
    },
    issueToken,
  };
}
