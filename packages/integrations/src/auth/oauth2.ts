/**
 * OAuth2 token acquisition for connectors (client credentials, JWT bearer, refresh token —
 * whatever the form fields say). How it works: one cached access token per strategy; a call
 * that finds it missing or within `refreshSkewMs` of expiry starts a token request, and every
 * call arriving meanwhile waits for that same request (single flight), so a burst of 50 calls
 * makes one token request. On a 401 the connector calls `invalidate()` with the headers it
 * sent; only the token that was refused is dropped (a token another call already refreshed is
 * kept), and the connector retries that request once.
 *
 * @module
 */
import { errorOf, jsonOf } from '../connectors/body.js';
import { httpError, rejected, upstream } from '../connectors/errors.js';
import type { HttpPort } from '../connectors/http-port.js';
import type { AuthSession, AuthStrategy } from './types.js';

/** A token the strategy holds. */
export interface AccessToken {
  accessToken: string;
  /** Epoch ms after which the token is not used; `undefined` when the server gave no lifetime (used until a 401). */
  expiresAt: number | undefined;
  /**
   * Epoch ms from which a new token is fetched before a call: `refreshSkewMs` before expiry,
   * or halfway through a lifetime shorter than twice that. @default expiresAt − refreshSkewMs
   */
  refreshAt?: number | undefined;
  /** The token endpoint's whole answer (Salesforce's `instance_url`, scopes, …). */
  response: Record<string, unknown>;
}

/** Form fields of a token request. */
export type TokenParams = Record<string, string>;

/** Options for {@link createOAuth2Auth}. */
export interface OAuth2AuthOptions {
  /** The connector's slug, for error messages and `details.integration`. */
  integration: string;
  /** The token endpoint, e.g. `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token`. */
  tokenUrl: string;
  /**
   * Form fields besides the client's authentication, e.g.
   * `{ grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' }`. A
   * function is called for every token request (a JWT assertion must be minted fresh).
   */
  params: TokenParams | (() => TokenParams | Promise<TokenParams>);
  clientId?: string;
  clientSecret?: string;
  /**
   * `body`: `client_id`/`client_secret` as form fields (Salesforce, Microsoft); `basic`: as
   * HTTP Basic, `base64(client_id:client_secret)` of the values as they are (Oracle IDCS).
   * Ignored without a `clientId`.
   * @default 'body'
   */
  clientAuthentication?: 'body' | 'basic';
  http: HttpPort;
  /** Refresh a token this long before it expires, so no call starts with one about to lapse. @default 60000 */
  refreshSkewMs?: number;
  /** Time limit of a token request. @default 30000 */
  timeoutMs?: number;
  /** Content type of the token request. @default 'application/x-www-form-urlencoded' */
  contentType?: string;
  /** Clock (epoch ms). @default Date.now */
  now?: () => number;
}

/** An OAuth2 {@link AuthStrategy} that also exposes its token (for `instance_url` and the like). */
export interface OAuth2Auth extends AuthStrategy {
  /** A live token, fetched (once, for all concurrent callers) when missing or about to expire. */
  token(signal?: AbortSignal): Promise<AccessToken>;
  /** The live token's whole answer from the token endpoint (`instance_url`, `scope`, …). */
  session(signal?: AbortSignal): Promise<AuthSession>;
  /** Token requests made so far. */
  readonly tokenRequests: number;
}

/**
 * Creates an OAuth2 strategy with a cached, single-flight token.
 *
 * @example
 * ```ts
 * const auth = createOAuth2Auth({
 *   integration: 'dynamics',
 *   tokenUrl: `https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/token`,
 *   clientId, clientSecret,
 *   params: { grant_type: 'client_credentials', scope: `${orgUrl}/.default` },
 *   http,
 * });
 * const headers = await auth.authorize(); // { authorization: 'Bearer eyJ…' }
 * ```
 */
export function createOAuth2Auth(options: OAuth2AuthOptions): OAuth2Auth {
  const now = options.now ?? Date.now;
  const skew = options.refreshSkewMs ?? 60_000;
  let current: AccessToken | undefined;
  let pending: Promise<AccessToken> | undefined;
  let tokenRequests = 0;

  const fresh = (token: AccessToken | undefined): token is AccessToken =>
    token !== undefined &&
    (token.expiresAt === undefined || now() < (token.refreshAt ?? token.expiresAt - skew));

  const fetchToken = async (): Promise<AccessToken> => {
    tokenRequests += 1;
    const params = typeof options.params === 'function' ? await options.params() : options.params;
    const form = new URLSearchParams(params);
    const headers: Record<string, string> = {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    if (options.clientId !== undefined) {
      if (options.clientAuthentication === 'basic') {
        // The id and secret as they are (IDCS's `base64(client_id:client_secret)`), not
        // form-encoded first: a secret with `+`, `/`, `=` or `:` must reach the server unchanged.
        const pair = `${options.clientId}:${options.clientSecret ?? ''}`;
        headers.authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
      } else {
        form.set('client_id', options.clientId);
        if (options.clientSecret !== undefined) form.set('client_secret', options.clientSecret);
      }
    }
    const started = now();
    const response = await options.http.request({
      method: 'POST',
      url: options.tokenUrl,
      headers,
      body: form.toString(),
      timeoutMs: options.timeoutMs ?? 30_000,
    });
    const body = jsonOf(response);
    if (response.status < 200 || response.status > 299) {
      const vendor = errorOf(body);
      // 400/401 from a token endpoint mean bad credentials or consent: asking again will not help.
      if (response.status === 400 || response.status === 401) {
        throw rejected(`Token request refused: ${vendor.message ?? vendor.code ?? response.status}`, {
          integration: options.integration,
          status: response.status,
          ...(vendor.code ? { vendorCode: vendor.code } : {}),
        });
      }
      throw httpError(options.integration, response, vendor);
    }
    const record = (body ?? {}) as Record<string, unknown>;
    const accessToken = record.access_token;
    if (typeof accessToken !== 'string' || accessToken === '') {
      throw upstream(
        'Token endpoint answered without an access_token',
        { integration: options.integration, status: response.status },
        { retryable: false },
      );
    }
    const expiresIn = Number(record.expires_in);
    if (!(Number.isFinite(expiresIn) && expiresIn > 0))
      return { accessToken, expiresAt: undefined, response: record };
    // A token shorter-lived than twice the skew would never count as fresh: renew it halfway.
    const lifetimeMs = expiresIn * 1000;
    return {
      accessToken,
      expiresAt: started + lifetimeMs,
      refreshAt: started + lifetimeMs - Math.min(skew, lifetimeMs / 2),
      response: record,
    };
  };

  const token = (signal?: AbortSignal): Promise<AccessToken> => {
    if (fresh(current)) return Promise.resolve(current);
    pending ??= fetchToken()
      .then((t) => {
        current = t;
        return t;
      })
      .finally(() => {
        pending = undefined;
      });
    return signal ? raceSignal(pending, signal) : pending;
  };

  return {
    kind: 'oauth2',
    token,
    async authorize(signal) {
      const { accessToken } = await token(signal);
      return { authorization: `Bearer ${accessToken}` };
    },
    session: async (signal) => (await token(signal)).response,
    invalidate(rejectedHeaders) {
      // Drop only the token that was refused: another call may already hold a fresh one.
      if (current && rejectedHeaders.authorization === `Bearer ${current.accessToken}`) current = undefined;
      return true;
    },
    get tokenRequests() {
      return tokenRequests;
    },
  };
}

/** Waits for a shared promise, but lets one caller leave early on its own abort. */
function raceSignal<T>(shared: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
