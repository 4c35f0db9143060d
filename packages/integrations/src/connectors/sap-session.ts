/**
 * SAP Gateway's CSRF protection (specs/connectors.md §6 "CSRF token dance").
 *
 * How this works: every modifying request (POST/PUT/PATCH/MERGE/DELETE) must carry a CSRF token
 * *and* the session cookies the token is bound to. The token is fetched with `GET {serviceRoot}`
 * and `x-csrf-token: Fetch`; Gateway answers it in the `x-csrf-token` header and opens the
 * session with `Set-Cookie: SAP_SESSIONID_…` and `sap-usercontext`. One token + cookies are kept
 * per service root and connector (single flight: concurrent writes share one fetch). When a
 * token lapses Gateway answers 403 with `x-csrf-token: Required`; the write fetches a new token
 * once and is sent again (a streamed body is re-opened). A second refusal is reported — it
 * usually means a load balancer without session stickiness in front of Gateway.
 *
 * @module
 */
import { Readable } from 'node:stream';
import type { z } from 'zod';
import { expectShape, resolveUrl } from './client.js';
import type { ConnectorClient, ConnectorResponse } from './define.js';
import { rejected } from './errors.js';
import { type HttpMethod, headerOf, type VendorResponse } from './http-port.js';
import { interpretSap } from './sap-odata.js';

/** The OData V2 services the connector uses. */
export type SapService = 'API_PRODUCT_SRV' | 'API_PURCHASEORDER_PROCESS_SRV' | 'API_CV_ATTACHMENT_SRV';

/** What the session helpers need from the credentials. */
export interface SapSessionCredentials {
  /** `sap-client` (on-premise systems), sent as a query parameter on every request. */
  sapClient?: string | undefined;
}

/** A CSRF token with the session cookies it is bound to. */
export interface SapCsrfSession {
  token: string;
  /** `Cookie` header value (`SAP_SESSIONID_…=…; sap-usercontext=…`); empty when Gateway set none. */
  cookie: string;
}

const INTEGRATION = 'sap';

/** `sap/opu/odata/sap/{service}/`, relative to the system's base URL. */
export function serviceRoot(service: SapService): string {
  return `sap/opu/odata/sap/${service}/`;
}

/** The query every request carries (`sap-client`, when configured). */
export function sapQuery(credentials: SapSessionCredentials): Record<string, string> {
  return credentials.sapClient ? { 'sap-client': credentials.sapClient } : {};
}

/**
 * `name=value` pairs out of `Set-Cookie` values joined with `, ` (as the HTTP client joins
 * repeated headers); a comma inside `Expires=Wed, 21 Oct …` is not a separator.
 */
export function cookieHeader(setCookie: string | undefined): string {
  if (!setCookie) return '';
  return setCookie
    .split(/,\s*(?=[^;,=\s]+=)/)
    .map((cookie) => cookie.split(';')[0]?.trim() ?? '')
    .filter((pair) => pair.includes('='))
    .join('; ');
}

interface Entry {
  promise: Promise<SapCsrfSession>;
  session?: SapCsrfSession;
}

// One cache per connector: the parsed credentials object lives exactly as long as the connector.
const caches = new WeakMap<object, Map<string, Entry>>();

/** Fetches a token and session cookies with `x-csrf-token: Fetch` on the service root. */
async function fetchCsrf(
  client: ConnectorClient<SapSessionCredentials>,
  root: string,
): Promise<SapCsrfSession> {
  const response = await client.request({
    method: 'GET',
    path: root,
    query: sapQuery(client.credentials),
    headers: { accept: 'application/json', 'x-csrf-token': 'Fetch' },
    raw: true,
  });
  interpretSap(response, INTEGRATION); // throws on 401, 403, 404, 5xx
  const token = headerOf(response, 'x-csrf-token');
  if (!token || token.toLowerCase() === 'required') {
    throw rejected(`Gateway answered ${root} without a CSRF token`, {
      integration: INTEGRATION,
      status: response.status,
      vendorCode: 'CSRF_TOKEN_MISSING',
    });
  }
  return { token, cookie: cookieHeader(headerOf(response, 'set-cookie')) };
}

/**
 * The CSRF session for a service root: the cached one, or a new fetch when there is none, when
 * `refresh` is the session a request was just refused with and it is still the cached one, or
 * when `refresh` is `true` (a connection test).
 */
export function csrfSession(
  client: ConnectorClient<SapSessionCredentials>,
  service: SapService,
  refresh?: SapCsrfSession | true,
): Promise<SapCsrfSession> {
  const credentials = client.credentials as object;
  let cache = caches.get(credentials);
  if (!cache) {
    cache = new Map();
    caches.set(credentials, cache);
  }
  const root = serviceRoot(service);
  const key = resolveUrl(client.endpoint, root);
  const cached = cache.get(key);
  if (cached && refresh !== true && !(refresh && cached.session === refresh)) return cached.promise;
  const entry: Entry = { promise: fetchCsrf(client, root) };
  cache.set(key, entry);
  entry.promise.then(
    (session) => {
      entry.session = session;
    },
    () => {
      if (cache.get(key) === entry) cache.delete(key);
    },
  );
  return entry.promise;
}

/** Whether Gateway refused a write for its CSRF token (403 + `x-csrf-token: Required`). */
export function csrfRequired(response: VendorResponse): boolean {
  return response.status === 403 && headerOf(response, 'x-csrf-token')?.toLowerCase() === 'required';
}

/** A modifying request to one service. */
export interface SapWrite {
  /** @default 'POST' */
  method?: HttpMethod;
  /** Entity set or path under the service root (`A_Product`). */
  path: string;
  /** A JSON body. */
  json?: unknown;
  /** A raw body, produced afresh for each send (a stream cannot be sent twice). */
  body?: () => Promise<string | Uint8Array | Readable>;
  headers?: Record<string, string>;
}

/**
 * Sends a modifying request with the service's CSRF token and cookies; on 403 + `Required`
 * fetches a new token once and sends again. Resolves with the answer read by `interpretSap`
 * (`d` unwrapped) and checked against `response`.
 */
export async function sapWrite<S extends z.ZodType>(
  client: ConnectorClient<SapSessionCredentials>,
  service: SapService,
  write: SapWrite & { response: S },
): Promise<ConnectorResponse<z.output<S>>> {
  const send = async (session: SapCsrfSession) => {
    const body = write.body ? await write.body() : undefined;
    try {
      return await client.request({
        method: write.method ?? 'POST',
        path: `${serviceRoot(service)}${write.path}`,
        query: sapQuery(client.credentials),
        headers: {
          accept: 'application/json',
          ...write.headers,
          'x-csrf-token': session.token,
          ...(session.cookie ? { cookie: session.cookie } : {}),
        },
        ...(write.json === undefined ? {} : { json: write.json }),
        ...(body === undefined ? {} : { body }),
        raw: true,
      });
    } finally {
      // Gateway may refuse (403, CSRF) before reading a streamed body: close it, the retry opens another.
      if (body instanceof Readable) body.destroy();
    }
  };
  let session = await csrfSession(client, service);
  let response = await send(session);
  if (csrfRequired(response)) {
    session = await csrfSession(client, service, session);
    response = await send(session);
    if (csrfRequired(response)) {
      throw rejected(
        'Gateway refused a fresh CSRF token: the token is bound to the session cookie, so a load balancer ' +
          'in front of Gateway must keep sessions sticky',
        { integration: INTEGRATION, status: 403, vendorCode: 'CSRF_TOKEN_REQUIRED' },
      );
    }
  }
  return {
    ...response,
    data: expectShape(write.response, interpretSap(response, INTEGRATION), response, INTEGRATION),
  };
}
