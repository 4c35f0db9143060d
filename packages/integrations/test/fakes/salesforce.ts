/**
 * A faithful local Salesforce org (REST API, `specs/connectors.md` §1).
 *
 * How this works: two {@link FakeService}s stand in for the two Salesforce hosts. `service`
 * is the org's **My Domain** (`instance_url`): it serves the token endpoint for both the
 * client-credentials and the JWT-bearer flow, and the REST API under
 * `/services/data/vNN.0/`. `login` stands in for `login.salesforce.com`: JWT bearer works
 * there, client credentials is refused ("request not supported on this domain"), as on the
 * real login host. Records live in {@link SalesforceRecords}, which tests can seed and read.
 *
 * What it checks: form-encoded token requests (client id/secret in the body or HTTP Basic;
 * RS256 assertions verified with `publicKeyPem`, `iss` = client id, `sub` = username, `aud` =
 * a login URL, `exp` ≤ 3 minutes ahead); `Authorization: Bearer` on every API call (401
 * `INVALID_SESSION_ID` + `WWW-Authenticate: Token` when missing or expired); API versions
 * v58.0–v67.0; JSON content type (415 otherwise); the fields each sObject accepts and
 * requires (`INVALID_FIELD`, `REQUIRED_FIELD_MISSING`, `MALFORMED_ID`,
 * `INVALID_CROSS_REFERENCE_KEY`); ContentVersion as JSON with base64 `VersionData` (size
 * guard) or multipart (`entity_content` + `VersionData` parts), linked to the record named by
 * `FirstPublishLocationId`; updates and upserts by External ID (`salesforce-writes.ts`); SOQL lookups paged by `nextRecordsUrl`; the daily API allocation
 * (403 `REQUEST_LIMIT_EXCEEDED`, no Retry-After) and `Sforce-Limit-Info` on every answer.
 *
 * @module
 */
import type { Context } from 'hono';
import { bearerOf, FakeService } from './fake-service.js';
import { mountSalesforceToken } from './salesforce-oauth.js';
import { SalesforceRecords } from './salesforce-records.js';
import { parseSoql, runSoql } from './salesforce-soql.js';
import { mountSalesforceWrites } from './salesforce-writes.js';
import { sharedTestKeyPair } from './signing-keys.js';

export { salesforceFaults } from './salesforce-faults.js';
export { type SalesforceError, type SalesforceRecord, SalesforceRecords } from './salesforce-records.js';

/** The REST API version the fake and FileForge's connector pin. */
export const SALESFORCE_API_VERSION = '66.0';
const OLDEST_VERSION = 58;
const NEWEST_VERSION = 67;

/** Options of {@link createSalesforceFake}. */
export interface SalesforceFakeOptions {
  /** Consumer key of the connected app. @default '3MVG9fake.consumer.key' */
  clientId?: string;
  /** Consumer secret (client-credentials flow). @default 'fake-consumer-secret' */
  clientSecret?: string;
  /** The "Run As" / JWT `sub` user. @default 'integration@fileforge.example' */
  username?: string;
  /** PEM public key the JWT-bearer flow verifies with. @default a generated pair, private half exported */
  publicKeyPem?: string;
  /** Session lifetime in seconds (Salesforce sends no `expires_in`). @default 7200 */
  sessionTtlSec?: number;
  /** Daily API allocation; calls beyond it answer 403 REQUEST_LIMIT_EXCEEDED. @default 15000 */
  apiUsageLimit?: number;
  /** Query batch size when no `Sforce-Query-Options: batchSize=` is sent. @default 2000 */
  queryBatchSize?: number;
  /** Largest base64 `VersionData` accepted in a JSON body, in characters. @default 37.5 MiB */
  maxBase64Chars?: number;
  /** Clock for assertion checks. @default Date.now */
  clock?: () => number;
}

/** A running (after `start()`) fake Salesforce org. */
export interface SalesforceFake {
  /** The My Domain host (`instance_url`, token endpoint, REST API). */
  service: FakeService;
  /** The `login.salesforce.com` stand-in (JWT bearer only). */
  login: FakeService;
  /** Records by sObject; `records.insert()` seeds, `records.all('Lead')` reads. */
  records: SalesforceRecords;
  clientId: string;
  clientSecret: string;
  username: string;
  /** Org id (`00D…`), also the subject of issued tokens. */
  orgId: string;
  /** Private key for JWT-bearer assertions (absent when `publicKeyPem` was given). */
  privateKeyPem: string | undefined;
  publicKeyPem: string;
  /** Starts both hosts; resolves with `url`. */
  start(): Promise<string>;
  close(): Promise<void>;
  /** `instance_url`, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The login host's base URL (use as JWT `aud` and `loginUrl`). */
  readonly loginUrl: string;
  /** `${url}/services/oauth2/token`. */
  readonly tokenUrl: string;
  /** `${url}/services/data/v66.0`. */
  readonly apiUrl: string;
  /** A live access token without the OAuth round trip. */
  issueToken(): string;
  /** Sets the API calls counted today (e.g. to the limit, to provoke REQUEST_LIMIT_EXCEEDED). */
  setApiUsage(used: number): void;
}

function sfError(status: number, errors: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(errors, { status, headers });
}

/**
 * Creates a fake Salesforce org. Call `start()` before use and `close()` after.
 *
 * @example
 * const sf = createSalesforceFake();
 * await sf.start();
 * const res = await fetch(sf.tokenUrl, { method: 'POST', body: new URLSearchParams({
 *   grant_type: 'client_credentials', client_id: sf.clientId, client_secret: sf.clientSecret }) });
 * const { access_token, instance_url } = await res.json();
 */
export function createSalesforceFake(options: SalesforceFakeOptions = {}): SalesforceFake {
  const service = new FakeService();
  const login = new FakeService();
  const records = new SalesforceRecords();
  const keys = options.publicKeyPem ? undefined : sharedTestKeyPair();
  const publicKeyPem = options.publicKeyPem ?? keys!.publicKeyPem;
  const clientId = options.clientId ?? '3MVG9fake.consumer.key';
  const clientSecret = options.clientSecret ?? 'fake-consumer-secret';
  const username = options.username ?? 'integration@fileforge.example';
  const clock = options.clock ?? Date.now;
  const usageLimit = options.apiUsageLimit ?? 15000;
  const maxBase64 = options.maxBase64Chars ?? 37.5 * 1024 * 1024;
  const orgId = '00DDn00000000001AAA';
  const locators = new Map<string, { rows: Array<Record<string, unknown>>; total: number; size: number }>();
  let apiUsage = 0;
  let locatorCount = 0;

  const issue = () => service.tokens.issue(orgId, options.sessionTtlSec ?? 7200);

  mountSalesforceToken({
    service,
    login,
    issue,
    clientId,
    clientSecret,
    username,
    orgId,
    userId: '005Dn00000000001AAA',
    publicKeyPem,
    clock,
  });

  const versions = () =>
    Array.from({ length: NEWEST_VERSION - OLDEST_VERSION + 1 }, (_, i) => ({
      label: `Release ${OLDEST_VERSION + i}`,
      url: `/services/data/v${OLDEST_VERSION + i}.0`,
      version: `${OLDEST_VERSION + i}.0`,
    }));
  service.app.get('/services/data', (c) => c.json(versions()));
  service.app.get('/services/data/', (c) => c.json(versions()));

  service.app.use('/services/data/:version/*', async (c, next) => {
    const version = /^v(\d+)\.0$/.exec(c.req.param('version'))?.[1];
    if (!version || Number(version) < OLDEST_VERSION || Number(version) > NEWEST_VERSION) {
      return sfError(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    }
    if (!service.tokens.check(bearerOf(c))) {
      return sfError(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }], {
        'WWW-Authenticate': 'Token',
      });
    }
    apiUsage += 1;
    const limitInfo = { 'Sforce-Limit-Info': `api-usage=${apiUsage}/${usageLimit}` };
    if (apiUsage > usageLimit) {
      return sfError(
        403,
        [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
        limitInfo,
      );
    }
    await next();
    c.res.headers.set('Sforce-Limit-Info', limitInfo['Sforce-Limit-Info']);
  });

  const recordUrl = (version: string, type: string, id: string) =>
    `/services/data/${version}/sobjects/${type}/${id}`;

  async function create(c: Context): Promise<Response> {
    const type = c.req.param('type') ?? '';
    const version = c.req.param('version') ?? '';
    const contentType = (c.req.header('content-type') ?? '').toLowerCase();
    let fields: Record<string, unknown>;
    let bytes: Buffer | undefined;
    if (contentType.startsWith('multipart/form-data') && type === 'ContentVersion') {
      const form = await c.req.raw.formData();
      const entity = form.get('entity_content');
      const data = form.get('VersionData');
      if (entity === null || !(data instanceof File)) {
        return sfError(400, [
          {
            errorCode: 'INVALID_MULTIPART_REQUEST',
            message:
              "Multipart message must include a non-binary part named 'entity_content' and a binary part named 'VersionData'",
          },
        ]);
      }
      const text = typeof entity === 'string' ? entity : await entity.text();
      try {
        fields = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return sfError(400, [
          { errorCode: 'JSON_PARSER_ERROR', message: 'Unexpected character in entity_content' },
        ]);
      }
      bytes = Buffer.from(await data.arrayBuffer());
      fields = { ...fields, VersionData: '(multipart)' };
    } else if (contentType.startsWith('application/json')) {
      const text = await c.req.text();
      try {
        fields = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return sfError(400, [
          {
            errorCode: 'JSON_PARSER_ERROR',
            message: `Unexpected character ('${text[0] ?? ''}'): at [line:1, column:1]`,
          },
        ]);
      }
      if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
        return sfError(400, [
          {
            errorCode: 'JSON_PARSER_ERROR',
            message: `Cannot deserialize instance of ${type} from START_ARRAY`,
          },
        ]);
      }
    } else {
      return sfError(415, [
        {
          errorCode: 'UNSUPPORTED_MEDIA_TYPE',
          message: `MediaType of '${contentType}' is not supported by this resource`,
        },
      ]);
    }
    if (type === 'ContentDocument') {
      return sfError(400, [
        {
          message: 'entity type cannot be inserted: Content Document',
          errorCode: 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
        },
      ]);
    }
    const errors = records.validate(type, fields);
    if (errors.length > 0) return sfError(errors[0]?.errorCode === 'NOT_FOUND' ? 404 : 400, errors);
    if (type !== 'ContentVersion') {
      const record = records.insert(type, fields);
      return Response.json({ id: record.Id, success: true, errors: [] }, { status: 201 });
    }
    if (!bytes) {
      const base64 = String(fields.VersionData);
      if (base64.length > maxBase64) {
        return sfError(400, [
          {
            message: 'Maximum size of request reached. Use a multipart request for large files.',
            errorCode: 'STRING_TOO_LONG',
            fields: ['VersionData'],
          },
        ]);
      }
      if (!/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(base64)) {
        return sfError(400, [
          { errorCode: 'JSON_PARSER_ERROR', message: 'Illegal character in base64 encoded data' },
        ]);
      }
      bytes = Buffer.from(base64, 'base64');
    }
    const path = String(fields.PathOnClient);
    const title = typeof fields.Title === 'string' ? fields.Title : path.replace(/\.[^.]*$/, '');
    const documentId =
      typeof fields.ContentDocumentId === 'string'
        ? fields.ContentDocumentId
        : records.insert('ContentDocument', { Title: title }).Id;
    const content = records.insert('ContentVersion', {
      ...fields,
      Title: title,
      ContentDocumentId: documentId,
      ContentSize: bytes.length,
      FileExtension: /\.([^.]+)$/.exec(path)?.[1]?.toLowerCase() ?? null,
      VersionNumber: String(
        records.all('ContentVersion').filter((v) => v.ContentDocumentId === documentId).length + 1,
      ),
    });
    content.VersionData = `${recordUrl(version, 'ContentVersion', content.Id)}/VersionData`;
    records.versionData.set(content.Id, bytes);
    if (typeof fields.FirstPublishLocationId === 'string' && fields.ContentDocumentId === undefined) {
      records.insert('ContentDocumentLink', {
        ContentDocumentId: documentId,
        LinkedEntityId: records.find(fields.FirstPublishLocationId)?.record.Id,
        ShareType: 'I',
        Visibility: 'AllUsers',
      });
    }
    return Response.json({ id: content.Id, success: true, errors: [] }, { status: 201 });
  }
  service.app.post('/services/data/:version/sobjects/:type', create);
  service.app.post('/services/data/:version/sobjects/:type/', create);
  mountSalesforceWrites(service.app, records, recordUrl);

  const notFound = () =>
    sfError(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  service.app.get('/services/data/:version/sobjects/ContentVersion/:id/VersionData', (c) => {
    const found = records.find(c.req.param('id'));
    const bytes = found && records.versionData.get(found.record.Id);
    if (!bytes) return notFound();
    return new Response(bytes, { headers: { 'content-type': 'application/octetstream' } });
  });
  service.app.get('/services/data/:version/sobjects/:type/:id', (c) => {
    const type = c.req.param('type');
    const found = records.find(c.req.param('id'));
    if (!found || found.type !== type) return notFound();
    const wanted = c.req
      .query('fields')
      ?.split(',')
      .map((f) => f.trim());
    const body: Record<string, unknown> = {
      attributes: { type, url: recordUrl(c.req.param('version'), type, found.record.Id) },
    };
    for (const [key, value] of Object.entries(found.record)) {
      if (!wanted || wanted.includes(key)) body[key] = value;
    }
    body.Id = found.record.Id;
    return Response.json(body);
  });

  function page(
    version: string,
    rows: Array<Record<string, unknown>>,
    total: number,
    size: number,
  ): Response {
    const done = rows.length <= size;
    const body: Record<string, unknown> = { totalSize: total, done, records: rows.slice(0, size) };
    if (!done) {
      locatorCount += 1;
      const locator = `01gDn${String(locatorCount).padStart(10, '0')}-${size}`;
      locators.set(locator, { rows: rows.slice(size), total, size });
      body.nextRecordsUrl = `/services/data/${version}/query/${locator}`;
    }
    return Response.json(body);
  }
  const batchSize = (c: Context) => {
    const asked = Number(/batchSize=(\d+)/i.exec(c.req.header('sforce-query-options') ?? '')?.[1]);
    return asked >= 200 && asked <= 2000 ? asked : (options.queryBatchSize ?? 2000);
  };
  service.app.get('/services/data/:version/query', (c) => {
    const q = c.req.query('q');
    if (!q)
      return sfError(400, [{ errorCode: 'MALFORMED_QUERY', message: 'A query string has to be specified' }]);
    const query = parseSoql(q);
    if ('errorCode' in query) return sfError(400, [query]);
    const rows = runSoql(query, records.all(query.type), (t, id) => recordUrl(c.req.param('version'), t, id));
    return page(c.req.param('version'), rows, rows.length, batchSize(c));
  });
  service.app.get('/services/data/:version/query/:locator', (c) => {
    const cursor = locators.get(c.req.param('locator'));
    if (!cursor)
      return sfError(400, [{ errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' }]);
    locators.delete(c.req.param('locator'));
    return page(c.req.param('version'), cursor.rows, cursor.total, cursor.size);
  });

  return {
    service,
    login,
    records,
    clientId,
    clientSecret,
    username,
    orgId,
    privateKeyPem: keys?.privateKeyPem,
    publicKeyPem,
    async start() {
      await login.start();
      return service.start();
    },
    async close() {
      await Promise.all([service.close(), login.close()]);
    },
    get url() {
      return service.url;
    },
    get loginUrl() {
      return login.url;
    },
    get tokenUrl() {
      return `${service.url}/services/oauth2/token`;
    },
    get apiUrl() {
      return `${service.url}/services/data/v${SALESFORCE_API_VERSION}`;
    },
    issueToken: issue,
    setApiUsage(used) {
      apiUsage = used;
    },
  };
}
