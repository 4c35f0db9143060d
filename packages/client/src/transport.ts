/**
 * How every call reaches the server: the URL and query, the credentials, conversion of
 * refusals into {@link FileForgeClientError}, one token renewal after a 401, and polite
 * retries of idempotent requests answered 429/503.
 * @module
 */
import { errorFromFailure, errorFromResponse, FileForgeClientError } from './errors.js';
import { isIdempotent, RETRYABLE_STATUSES, type RetryPolicy, retryAfterMs, sleep } from './retry.js';

/** A request body `fetch` accepts. */
export type RequestBody = NonNullable<RequestInit['body']>;

/** Supplies the `Authorization` header and renews it after a 401. */
export interface Authenticator {
  /** The `Authorization` value to send; `undefined` for none. `fresh` asks for a token that will not expire mid-request. */
  authorization(signal: AbortSignal | undefined, fresh: boolean): Promise<string | undefined>;
  /**
   * Called once after a 401 to the credential `used`: gets a new one (refresh, else log in
   * again) and returns whether the request is worth repeating.
   */
  renew(used: string | undefined, signal: AbortSignal | undefined): Promise<boolean>;
}

/** A query string's values; `undefined` ones are left out, arrays repeat the name. */
export type QueryValues = Record<
  string,
  string | number | boolean | readonly (string | number)[] | undefined
>;

/** One call through the {@link Transport}. */
export interface TransportRequest {
  method: string;
  /** Path below the base URL, parameters already substituted, e.g. `/api/v1/files/abc`. */
  path: string;
  query?: QueryValues | undefined;
  /** A JSON body (serialised; replayable). */
  json?: unknown;
  /**
   * Any other body. A function is called once per attempt (so a body can be sent again);
   * a value is sent once, and the request is then never repeated.
   */
  body?: (() => RequestBody | Promise<RequestBody>) | RequestBody | undefined;
  /** Whether the body may be sent again. @default true unless `body` is a value */
  replayable?: boolean | undefined;
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
  /** Send without credentials (login, refresh). @default false */
  anonymous?: boolean;
  /** Whether a 4xx/5xx is returned instead of thrown (e.g. `waitFor`'s 404). @default false */
  acceptStatuses?: readonly number[];
}

/** What a {@link Transport} needs. */
export interface TransportOptions {
  baseUrl: string;
  fetch: typeof globalThis.fetch;
  retry: RetryPolicy;
}

const isReadableStream = (value: unknown): value is ReadableStream =>
  typeof ReadableStream !== 'undefined' && value instanceof ReadableStream;

/** Joins the base URL, the path and the query. */
export function buildUrl(baseUrl: string, path: string, query?: QueryValues): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + path);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
  }
  return url.toString();
}

/** Sends requests for every part of the client; see the module description. */
export class Transport {
  /** Set by the client once its credentials are known. */
  auth: Authenticator | undefined;

  /** Creates a transport over `options.fetch`. */
  constructor(readonly options: TransportOptions) {}

  /** Sends the request and returns the successful response (its body unread), or throws. */
  async send(request: TransportRequest): Promise<Response> {
    const { retry } = this.options;
    const method = request.method.toUpperCase();
    const replayable =
      request.replayable ?? (request.body === undefined || typeof request.body === 'function');
    const baseHeaders = new Headers(request.headers);
    if (!baseHeaders.has('accept')) baseHeaders.set('accept', 'application/json');
    if (request.json !== undefined) baseHeaders.set('content-type', 'application/json');
    const idempotent = isIdempotent(method, baseHeaders);
    const url = buildUrl(this.options.baseUrl, request.path, request.query);
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      const headers = new Headers(baseHeaders);
      const authorization = request.anonymous
        ? undefined
        : await this.auth?.authorization(request.signal, !replayable);
      if (authorization) headers.set('authorization', authorization);
      const body =
        request.json !== undefined
          ? JSON.stringify(request.json)
          : typeof request.body === 'function'
            ? await request.body()
            : request.body;
      const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: request.signal ?? null };
      if (body !== undefined) init.body = body;
      if (isReadableStream(body)) init.duplex = 'half';
      let response: Response;
      try {
        response = await this.options.fetch(url, init);
      } catch (error) {
        throw errorFromFailure(error, request.signal);
      }
      if (response.ok || request.acceptStatuses?.includes(response.status)) return response;
      if (response.status === 401 && !request.anonymous && !renewed && replayable && this.auth) {
        renewed = true;
        const refused = await errorFromResponse(response);
        if (!(await this.auth.renew(authorization, request.signal))) throw refused;
        attempt--;
        continue;
      }
      if (RETRYABLE_STATUSES.has(response.status) && idempotent && replayable && attempt < retry.attempts) {
        const wait =
          retryAfterMs(response.headers.get('retry-after')) ?? retry.baseDelayMs * 2 ** (attempt - 1);
        if (wait <= retry.maxDelayMs) {
          await discard(response);
          try {
            await sleep(wait, request.signal);
          } catch (error) {
            throw errorFromFailure(error, request.signal);
          }
          continue;
        }
      }
      throw await errorFromResponse(response);
    }
  }

  /** Sends the request and parses its JSON answer (`undefined` for 204). */
  async json<T>(request: TransportRequest): Promise<T> {
    const response = await this.send(request);
    if (response.status === 204) return undefined as T;
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // The body did not arrive (timed out, aborted, connection lost): not the server's JSON.
      throw errorFromFailure(error, request.signal);
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new FileForgeClientError('INVALID_RESPONSE', 'The server answered with unreadable JSON', {
        status: response.status,
        requestId: response.headers.get('x-request-id') ?? undefined,
        cause: error,
      });
    }
  }
}

/** Frees a response whose body is not wanted (so its connection can be reused). */
async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to free.
  }
}
