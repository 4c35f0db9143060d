/**
 * Salesforce sign-in and answers (specs/connectors.md §1): the two OAuth2 flows against
 * `/services/oauth2/token`, the API base taken from the token's `instance_url`, and the
 * reading of Salesforce's `[{message, errorCode, fields}]` error arrays.
 *
 * Why the session: Salesforce says where the org lives only in the token answer
 * (`instance_url`, e.g. `https://acme.my.salesforce.com` even when the token came from
 * login.salesforce.com), so actions read it from `client.session()` — the connector's own
 * OAuth2 strategy's live token answer.
 *
 * @module
 */
import { createJwtAssertion, JWT_BEARER_GRANT } from '../auth/jwt-bearer.js';
import { createOAuth2Auth, type OAuth2Auth } from '../auth/oauth2.js';
import { jsonOf } from './body.js';
import type { AuthContext, ConnectorClient } from './define.js';
import { rejected, retryAfterSeconds, upstream } from './errors.js';
import { headerOf, type PortResponse } from './http-port.js';

/** The login host of production orgs (JWT bearer token URL and `aud`). */
export const SALESFORCE_LOGIN_URL = 'https://login.salesforce.com';

/** The REST API version the connector pins (`/services/data/v66.0/`). */
export const SALESFORCE_API_VERSION = '66.0';

/** What the session needs from the credentials (see `SalesforceCredentials`). */
export interface SalesforceSessionCredentials {
  authMode: 'client_credentials' | 'jwt_bearer';
  clientId: string;
  clientSecret?: string | undefined;
  instanceUrl?: string | undefined;
  loginUrl: string;
  audience?: string | undefined;
  username?: string | undefined;
  privateKey?: string | undefined;
  apiVersion: string;
}

const trim = (url: string) => url.replace(/\/+$/, '');

/** The login host of sandboxes (the JWT `aud` of a sandbox's My Domain). */
const SALESFORCE_TEST_URL = 'https://test.salesforce.com';

/**
 * The JWT bearer assertion's `aud`: `audience` when set; else the login URL, unless that is a
 * My Domain host (`*.my.salesforce.com`), which Salesforce accepts as the token URL but never
 * as `aud` — then `https://login.salesforce.com`, or `https://test.salesforce.com` for a
 * sandbox (`*.sandbox.my.salesforce.com`). A community URL is its own audience.
 */
export function jwtAudience(
  credentials: Pick<SalesforceSessionCredentials, 'loginUrl' | 'audience'>,
): string {
  if (credentials.audience !== undefined) return trim(credentials.audience);
  const host = new URL(credentials.loginUrl).hostname.toLowerCase();
  if (host.endsWith('.sandbox.my.salesforce.com')) return SALESFORCE_TEST_URL;
  if (host.endsWith('.my.salesforce.com')) return SALESFORCE_LOGIN_URL;
  return trim(credentials.loginUrl);
}

/**
 * The OAuth2 strategy for the credentials' flow: client credentials against the org's My
 * Domain, or a fresh RS256 assertion (≤ 3 minutes) against the login URL. Salesforce gives no
 * `expires_in`, so the token is used until a 401 `INVALID_SESSION_ID` (then fetched once more).
 */
export function salesforceAuth(credentials: SalesforceSessionCredentials, context: AuthContext): OAuth2Auth {
  const common = { integration: 'salesforce', http: context.http, now: context.now };
  return credentials.authMode === 'jwt_bearer'
    ? createOAuth2Auth({
        ...common,
        tokenUrl: `${trim(credentials.loginUrl)}/services/oauth2/token`,
        params: async () => ({
          grant_type: JWT_BEARER_GRANT,
          assertion: await createJwtAssertion({
            privateKey: credentials.privateKey ?? '',
            issuer: credentials.clientId,
            subject: credentials.username ?? '',
            audience: jwtAudience(credentials),
            ttlSeconds: 180,
            now: context.now,
          }),
        }),
      })
    : createOAuth2Auth({
        ...common,
        tokenUrl: `${trim(credentials.instanceUrl ?? '')}/services/oauth2/token`,
        clientId: credentials.clientId,
        ...(credentials.clientSecret === undefined ? {} : { clientSecret: credentials.clientSecret }),
        params: { grant_type: 'client_credentials' },
      });
}

/** `{instance_url}/services/data/vNN.0/`, signing in first when there is no token yet. */
export async function apiBase(client: ConnectorClient<SalesforceSessionCredentials>): Promise<string> {
  const session = await client.session();
  const instance = typeof session.instance_url === 'string' ? session.instance_url : client.endpoint;
  return `${trim(instance)}/services/data/v${client.credentials.apiVersion}/`;
}

interface SalesforceErrorEntry {
  message?: string;
  errorCode?: string;
  fields?: string[];
}

/**
 * Reads a Salesforce answer: 2xx gives the JSON; an error array becomes `INTEGRATION_REJECTED`
 * with the first `errorCode` (all entries in `details.errors`), 408/429/5xx `UPSTREAM_ERROR`.
 * 403 `REQUEST_LIMIT_EXCEEDED` is the org's rolling 24-hour API allocation (no Retry-After):
 * an upstream error that is not retried now but counts against the circuit.
 */
export function interpretSalesforce(
  response: Pick<PortResponse, 'status' | 'headers' | 'body'>,
  integration: string,
): unknown {
  const body = jsonOf(response);
  if (response.status >= 200 && response.status <= 299) return body;
  const entries: SalesforceErrorEntry[] = Array.isArray(body)
    ? body.filter((e): e is SalesforceErrorEntry => typeof e === 'object' && e !== null)
    : [];
  const first = entries[0];
  const code = first?.errorCode;
  const usage = headerOf(response, 'sforce-limit-info');
  const wait = retryAfterSeconds(response);
  const details = {
    integration,
    status: response.status,
    ...(code === undefined ? {} : { vendorCode: code }),
    ...(first?.fields && first.fields.length > 0 ? { fields: first.fields } : {}),
    ...(entries.length > 0 ? { errors: entries } : {}),
    ...(usage === undefined ? {} : { limitInfo: usage }),
    ...(wait === undefined ? {} : { retryAfterSeconds: wait }),
  };
  const what = first?.message ?? code ?? `HTTP ${response.status}`;
  if (response.status === 403 && code === 'REQUEST_LIMIT_EXCEEDED') {
    throw upstream(
      `The org's daily API request allocation is used up (${usage ?? what}); calls succeed again as the 24-hour window rolls on`,
      details,
      { retryable: false, circuit: true },
    );
  }
  const { status } = response;
  if (status === 408 || status === 429 || status >= 500) {
    throw upstream(`Service answered ${status}: ${what}`, details);
  }
  const fields = first?.fields?.length ? ` (fields: ${first.fields.join(', ')})` : '';
  throw rejected(
    `Salesforce refused the call (${[status, code].filter(Boolean).join(' ')}): ${what}${fields}`,
    details,
  );
}
