/**
 * A faithful local Dynamics 365 / Dataverse Web API (`specs/connectors.md` §2).
 *
 * How this works: one {@link FakeService} is both the organisation
 * (`{url}/api/data/v9.2/…`, whose resource URI — the token scope's prefix — is `url`) and,
 * through {@link createMicrosoftIdentityFake}, the identity platform's token endpoint
 * (`{url}/{tenant}/oauth2/v2.0/token`, scope `${url}/.default`). Rows live in
 * {@link DataverseTables}, which tests can seed and read.
 *
 * What it checks: a live Bearer token issued for this org (401, empty body, `WWW-Authenticate:
 * Bearer authorization_uri=…` otherwise — also after `service.tokens.expireAll()`); that the
 * app is an Application User (403 `0x80072560`); `OData-MaxVersion: 4.0`, `OData-Version:
 * 4.0` and `Accept: application/json` (with `strictHeaders`, the default — Dataverse itself
 * tolerates their absence, the spec requires them); JSON bodies; entity-set names exactly
 * (404 `0x8006088a`); payload properties, Edm literals and `@odata.bind` lookups (400
 * `0x80048d19`, 404 `0x80040217`); create → 204 + `OData-EntityId`, or 201 + the row with
 * `Prefer: return=representation`; `$select`/`$filter eq`/`$top`, `Prefer:
 * odata.maxpagesize` paging by `@odata.nextLink` (`$skip` refused); service protection,
 * 429 + `Retry-After` with `0x80072322` past `requestLimit` in its window.
 *
 * @module
 */
import type { Context } from 'hono';
import {
  DATAVERSE_ENTITY_SETS,
  type DataverseFailure,
  type DataverseRow,
  DataverseTables,
} from './dynamics-entities.js';
import { bearerOf, FakeService } from './fake-service.js';
import { createMicrosoftIdentityFake, type MicrosoftIdentityFake } from './microsoft-identity.js';

export { DATAVERSE_ENTITY_SETS, type DataverseRow, DataverseTables } from './dynamics-entities.js';
export { dynamicsFaults } from './dynamics-faults.js';

/** The Web API version the fake and FileForge's connector use. */
export const DATAVERSE_API_VERSION = 'v9.2';

/** Options of {@link createDynamicsFake}. */
export interface DynamicsFakeOptions {
  /** Azure AD tenant id. @default a fixed GUID */
  tenantId?: string;
  /** App registration's client id. @default a fixed GUID */
  clientId?: string;
  /** @default 'fake~client~secret' */
  clientSecret?: string;
  /** Client ids registered as Application Users (others get 403 0x80072560). @default [clientId] */
  applicationUsers?: string[];
  /** Refuse requests without the OData and Accept headers the spec requires. @default true */
  strictHeaders?: boolean;
  /** Service protection: requests per window before 429. @default { max: 6000, windowSec: 300 } */
  requestLimit?: { max: number; windowSec: number };
  /** Default page size when no `Prefer: odata.maxpagesize` is sent. @default 5000 */
  defaultPageSize?: number;
  /** Clock for the service-protection window. @default Date.now */
  clock?: () => number;
}

/** A running (after `start()`) fake Dataverse organisation. */
export interface DynamicsFake {
  service: FakeService;
  /** The token endpoint; `identity.issueToken()` skips the round trip. */
  identity: MicrosoftIdentityFake;
  /** Rows by entity set; `records.insert('accounts', {...})` seeds, `records.all('contacts')` reads. */
  records: DataverseTables;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  start(): Promise<string>;
  close(): Promise<void>;
  /** The org URL (`https://{org}.crm.dynamics.com` stand-in), also the token resource. */
  readonly url: string;
  /** `${url}/api/data/v9.2`. */
  readonly apiUrl: string;
  /** `${url}/{tenant}/oauth2/v2.0/token`. */
  readonly tokenUrl: string;
  /** `${url}/.default`. */
  readonly scope: string;
}

function odataError(failure: DataverseFailure, headers: Record<string, string> = {}): Response {
  return Response.json(
    { error: { code: failure.code, message: failure.message } },
    { status: failure.status, headers },
  );
}

function selectColumns(row: DataverseRow, select: string[] | undefined, idColumn: string): DataverseRow {
  const out: DataverseRow = { '@odata.etag': `W/"${String(row.versionnumber)}"` };
  for (const [key, value] of Object.entries(row)) {
    if (!select || select.includes(key) || key === idColumn) out[key] = value;
  }
  return out;
}

/**
 * Creates a fake Dataverse organisation with its token endpoint. Call `start()` first.
 *
 * @example
 * const crm = createDynamicsFake();
 * await crm.start();
 * const token = await fetch(crm.tokenUrl, { method: 'POST', body: new URLSearchParams({
 *   client_id: crm.clientId, client_secret: crm.clientSecret, grant_type: 'client_credentials', scope: crm.scope }) });
 */
export function createDynamicsFake(options: DynamicsFakeOptions = {}): DynamicsFake {
  const service = new FakeService();
  const identity = createMicrosoftIdentityFake(service, {
    tenantId: options.tenantId,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
  });
  const records = new DataverseTables();
  const appUsers = options.applicationUsers ?? [identity.clientId];
  const strict = options.strictHeaders ?? true;
  const limit = options.requestLimit ?? { max: 6000, windowSec: 300 };
  const clock = options.clock ?? Date.now;
  let window = { start: clock(), count: 0 };
  const api = () => `${service.url}/api/data/${DATAVERSE_API_VERSION}`;

  service.app.use('/api/data/*', async (c, next) => {
    const grant = identity.grantOf(bearerOf(c));
    if (!grant || grant.resource !== service.url) {
      return new Response(null, {
        status: 401,
        headers: {
          'WWW-Authenticate': `Bearer authorization_uri=${service.url}/${identity.tenantId}/oauth2/authorize, resource_id=${service.url}`,
        },
      });
    }
    if (!appUsers.includes(grant.clientId)) {
      return odataError({
        status: 403,
        code: '0x80072560',
        message: 'The user is not a member of the organization.',
      });
    }
    if (clock() - window.start >= limit.windowSec * 1000) window = { start: clock(), count: 0 };
    window.count += 1;
    if (window.count > limit.max) {
      const retryAfter = Math.max(1, Math.ceil((window.start + limit.windowSec * 1000 - clock()) / 1000));
      return odataError(
        {
          status: 429,
          code: '0x80072322',
          message: `Number of requests exceeded the limit of ${limit.max} over time window of ${limit.windowSec} seconds.`,
        },
        { 'Retry-After': String(retryAfter) },
      );
    }
    const version = c.req.header('odata-version');
    const maxVersion = c.req.header('odata-maxversion');
    const accept = c.req.header('accept') ?? '';
    const headerError = (message: string) => odataError({ status: 400, code: '0x0', message });
    if ((version && version !== '4.0') || (maxVersion && !/^4\.\d+$/.test(maxVersion))) {
      return headerError(
        `The value '${version ?? maxVersion}' of the OData-Version header is not supported; use 4.0.`,
      );
    }
    if (strict && (!version || !maxVersion)) {
      return headerError(
        '[fake strictHeaders] OData-MaxVersion: 4.0 and OData-Version: 4.0 are required (specs/connectors.md §2).',
      );
    }
    if (strict && !/application\/json|\*\/\*/.test(accept)) {
      return headerError(
        '[fake strictHeaders] Accept: application/json is required (specs/connectors.md §2).',
      );
    }
    await next();
    c.res.headers.set('OData-Version', '4.0');
  });

  service.app.get(`/api/data/${DATAVERSE_API_VERSION}/WhoAmI`, (c) =>
    c.json({
      '@odata.context': `${api()}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      BusinessUnitId: '6a0f1a2b-0000-4000-8000-000000000001',
      UserId: '6a0f1a2b-0000-4000-8000-000000000002',
      OrganizationId: '6a0f1a2b-0000-4000-8000-000000000003',
    }),
  );

  /** Splits `accounts` / `accounts(guid)` and checks the entity set. */
  function segmentOf(c: Context): { set: string; id?: string } | Response {
    const segment = c.req.param('segment') ?? '';
    const match = /^([A-Za-z_]+)(?:\(([0-9a-fA-F-]{36})\))?$/.exec(segment);
    if (!match || !DATAVERSE_ENTITY_SETS[match[1]!]) {
      return odataError({
        status: 404,
        code: '0x8006088a',
        message: `Resource not found for the segment '${match?.[1] ?? segment}'.`,
      });
    }
    return { set: match[1]!, id: match[2]?.toLowerCase() };
  }

  async function payloadOf(c: Context, set: string): Promise<DataverseRow | Response> {
    if (!(c.req.header('content-type') ?? '').startsWith('application/json')) {
      return odataError({
        status: 415,
        code: '0x80048d19',
        message: `The content type '${c.req.header('content-type') ?? ''}' is not supported.`,
      });
    }
    let payload: unknown;
    try {
      payload = JSON.parse(await c.req.text());
    } catch {
      payload = undefined;
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return odataError({
        status: 400,
        code: '0x80048d19',
        message: `Error identified in Payload provided by the user for Entity :'${set}'. The payload is not a JSON object.`,
      });
    }
    const columns = records.toColumns(set, payload as Record<string, unknown>);
    return 'status' in columns && 'code' in columns ? odataError(columns as DataverseFailure) : columns;
  }

  const entityIdHeader = (set: string, id: string) => ({ 'OData-EntityId': `${api()}/${set}(${id})` });

  service.app.post(`/api/data/${DATAVERSE_API_VERSION}/:segment`, async (c) => {
    const target = segmentOf(c);
    if (target instanceof Response) return target;
    const columns = await payloadOf(c, target.set);
    if (columns instanceof Response) return columns;
    const id = records.insert(target.set, columns);
    const headers = entityIdHeader(target.set, id);
    if (!/return=representation/.test(c.req.header('prefer') ?? ''))
      return new Response(null, { status: 204, headers });
    const schema = DATAVERSE_ENTITY_SETS[target.set]!;
    const select = c.req.query('$select')?.split(',');
    return Response.json(
      {
        '@odata.context': `${api()}/$metadata#${target.set}/$entity`,
        ...selectColumns(records.get(target.set, id)!, select, schema.idColumn),
      },
      { status: 201, headers: { ...headers, 'Preference-Applied': 'return=representation' } },
    );
  });

  service.app.patch(`/api/data/${DATAVERSE_API_VERSION}/:segment`, async (c) => {
    const target = segmentOf(c);
    if (target instanceof Response) return target;
    if (!target.id)
      return odataError({ status: 405, code: '0x80060888', message: 'PATCH needs a key: /{set}({guid}).' });
    const existing = records.get(target.set, target.id);
    const ifMatch = c.req.header('if-match');
    const logical = DATAVERSE_ENTITY_SETS[target.set]!.logicalName;
    if (!existing && ifMatch)
      return odataError({
        status: 404,
        code: '0x80040217',
        message: `${logical} With Id = ${target.id} Does Not Exist`,
      });
    if (existing && ifMatch && ifMatch !== '*' && ifMatch !== `W/"${String(existing.versionnumber)}"`) {
      return odataError({
        status: 412,
        code: '0x80060882',
        message: "The version of the existing record doesn't match the RowVersion property provided.",
      });
    }
    const columns = await payloadOf(c, target.set);
    if (columns instanceof Response) return columns;
    if (existing) records.update(target.set, target.id, columns);
    else records.insert(target.set, columns, target.id);
    return new Response(null, { status: 204, headers: entityIdHeader(target.set, target.id) });
  });

  service.app.get(`/api/data/${DATAVERSE_API_VERSION}/:segment`, (c) => {
    const target = segmentOf(c);
    if (target instanceof Response) return target;
    const schema = DATAVERSE_ENTITY_SETS[target.set]!;
    const select = c.req.query('$select')?.split(',');
    for (const column of select ?? []) {
      if (column !== schema.idColumn && !schema.columns[column] && !/^_\w+_value$/.test(column)) {
        return odataError({
          status: 400,
          code: '0x0',
          message: `Could not find a property named '${column}' on type 'Microsoft.Dynamics.CRM.${schema.logicalName}'.`,
        });
      }
    }
    if (target.id) {
      const row = records.get(target.set, target.id);
      if (!row)
        return odataError({
          status: 404,
          code: '0x80040217',
          message: `${schema.logicalName} With Id = ${target.id} Does Not Exist`,
        });
      return c.json({
        '@odata.context': `${api()}/$metadata#${target.set}/$entity`,
        ...selectColumns(row, select, schema.idColumn),
      });
    }
    if (c.req.query('$skip') !== undefined) {
      return odataError({ status: 400, code: '0x0', message: 'The query parameter $skip is not supported.' });
    }
    const filter = c.req.query('$filter');
    const conditions = (filter ? filter.split(/\s+and\s+/i) : []).map((part) =>
      /^\s*(\w+)\s+eq\s+(?:'((?:[^']|'')*)'|([\w.-]+))\s*$/.exec(part),
    );
    if (conditions.some((m) => !m))
      return odataError({
        status: 400,
        code: '0x0',
        message: `The fake supports only "column eq value" filters joined by "and": ${filter}`,
      });
    let rows = records.all(target.set).filter((row) =>
      conditions.every((m) => {
        const want = m![2] !== undefined ? m![2].replace(/''/g, "'") : m![3];
        const have = row[m![1]!];
        return want === 'null' ? have === undefined || have === null : String(have ?? '') === want;
      }),
    );
    const top = Number(c.req.query('$top') ?? Number.NaN);
    if (Number.isFinite(top)) rows = rows.slice(0, top);
    const preferred = Number(
      /odata\.maxpagesize=(\d+)/.exec(c.req.header('prefer') ?? '')?.[1] ?? Number.NaN,
    );
    const pageSize = Math.min(
      5000,
      Number.isFinite(preferred) ? preferred : (options.defaultPageSize ?? 5000),
    );
    const pageNumber = Number(/pagenumber="(\d+)"/.exec(c.req.query('$skiptoken') ?? '')?.[1] ?? 1);
    const from = (pageNumber - 1) * pageSize;
    const body: Record<string, unknown> = {
      '@odata.context': `${api()}/$metadata#${target.set}${select ? `(${select.join(',')})` : ''}`,
      value: rows.slice(from, from + pageSize).map((row) => selectColumns(row, select, schema.idColumn)),
    };
    if (from + pageSize < rows.length) {
      const next = new URL(c.req.url.replace(/^http:\/\/[^/]+/, service.url));
      next.searchParams.set('$skiptoken', `<cookie pagenumber="${pageNumber + 1}" istracking="False" />`);
      body['@odata.nextLink'] = next.toString();
    }
    const headers: Record<string, string> = Number.isFinite(preferred)
      ? { 'Preference-Applied': `odata.maxpagesize=${pageSize}` }
      : {};
    return c.json(body, 200, headers);
  });

  return {
    service,
    identity,
    records,
    tenantId: identity.tenantId,
    clientId: identity.clientId,
    clientSecret: identity.clientSecret,
    start: () => service.start(),
    close: () => service.close(),
    get url() {
      return service.url;
    },
    get apiUrl() {
      return api();
    },
    get tokenUrl() {
      return identity.tokenUrl;
    },
    get scope() {
      return `${service.url}/.default`;
    },
  };
}
