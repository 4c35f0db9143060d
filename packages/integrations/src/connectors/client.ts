/**
 * The request path of every connector: URL resolution against the attempt's endpoint, body
 * encoding (JSON, form, raw), signing, one re-authentication on 401, the connector's reading
 * of the answer, and the mark of a request that must not be carried out twice (`in-doubt.ts`).
 *
 * @module
 */
import type { z } from 'zod';
import type { AuthStrategy } from '../auth/types.js';
import { errorOf, isJson, jsonOf } from './body.js';
import type { ConnectorClient, ConnectorRequest, ConnectorResponse } from './define.js';
import { httpError, upstream } from './errors.js';
import type { HttpPort, PortResponse, VendorResponse } from './http-port.js';
import { isIdempotentMethod, neverSent, notCarriedOut } from './in-doubt.js';

/**
 * The default reading of an answer: a 2xx gives its JSON (or text, or `undefined` when empty);
 * anything else becomes `httpError()` with the vendor's code and message when the body has
 * one of the common error shapes.
 */
export function readResponse(response: VendorResponse, integration: string): unknown {
  if (response.status >= 200 && response.status <= 299) {
    if (response.body.length === 0) return undefined;
    const json = jsonOf(response);
    return json !== undefined || isJson(response) ? json : response.body.toString('utf8');
  }
  throw httpError(integration, response, errorOf(jsonOf(response)));
}

const parts = (response: VendorResponse) => ({
  status: response.status,
  headers: response.headers,
  body: response.body,
});

/**
 * Checks a successful answer's data against the shape the action expects and returns it as
 * sent, typed; another shape is the vendor's failure (`UPSTREAM_ERROR`, `reason:
 * 'unexpected_response'`), named by the first field that differs. `request({ response })` does
 * this; an action that sends a request itself (a streamed upload) calls it on the answer.
 */
export function expectShape<S extends z.ZodType>(
  schema: S,
  data: unknown,
  response: Pick<VendorResponse, 'status'> & { body?: Buffer },
  integration: string,
): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return data as z.output<S>;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `at ${issue.path.map(String).join('.')}: ` : '';
  const body = response.body;
  const what =
    body === undefined
      ? 'an answer'
      : body.length === 0
        ? 'an empty body'
        : jsonOf({ body }) === undefined
          ? 'a body that is not JSON'
          : 'JSON';
  throw upstream(
    `Service answered ${response.status} with ${what} of an unexpected shape (${where}${issue?.message ?? 'invalid'})`,
    { integration, status: response.status, reason: 'unexpected_response' },
    { retryable: false, circuit: true },
  );
}

/** Everything an attempt client needs. */
export interface AttemptClientOptions<C> {
  integration: string;
  credentials: C;
  endpoint: string;
  signal: AbortSignal;
  /** The attempt's deadline (ms), each request's own: `signal` aborts at it. @default the HTTP client's */
  timeoutMs?: number;
  http: HttpPort;
  auth: AuthStrategy;
  interpret: (response: VendorResponse, integration: string) => unknown;
  /** @default 10485760 */
  maxResponseBytes?: number;
  /**
   * The attempt's `markUnrepeatable` (see `AttemptContext`), called before each request that is
   * not idempotent. @default none (nothing is marked)
   */
  markUnrepeatable?: () => () => void;
}

/** Joins a base URL and a path the way vendors mean it (`https://slack.com/api/` + `chat.postMessage`). */
export function resolveUrl(endpoint: string, path: string, query?: ConnectorRequest['query']): string {
  const absolute = /^https?:\/\//i.test(path);
  const base = endpoint.endsWith('/') ? endpoint : `${endpoint}/`;
  const url = new URL(absolute ? path : path.replace(/^\/+/, ''), absolute ? undefined : base);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/** A form body as Slack's SDK encodes it: scalars as is, objects and arrays as JSON strings. */
export function formEncode(fields: Record<string, unknown>): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    form.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return form.toString();
}

/** The client an action uses during one attempt. */
export function createAttemptClient<C>(options: AttemptClientOptions<C>): ConnectorClient<C> {
  const { http, auth, signal } = options;
  return {
    credentials: options.credentials,
    endpoint: options.endpoint,
    signal,
    auth,
    session: async () => (await auth.session?.(signal)) ?? {},
    async request<T>(request: ConnectorRequest): Promise<ConnectorResponse<T>> {
      const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
      let body: ConnectorRequest['body'];
      if (request.json !== undefined) {
        headers['content-type'] ??= 'application/json; charset=utf-8';
        body = JSON.stringify(request.json);
      } else if (request.form !== undefined) {
        headers['content-type'] ??= 'application/x-www-form-urlencoded';
        body = formEncode(request.form);
      } else {
        body = request.body;
      }
      const method = request.method ?? (body === undefined ? 'GET' : 'POST');
      const url = resolveUrl(options.endpoint, request.path, request.query);
      const unrepeatable = !(request.idempotent ?? isIdempotentMethod(method));
      const send = async () => {
        const signed = request.auth === false ? {} : await auth.authorize(signal);
        // From here the vendor may act on the request, until the outcome shows it did not.
        const notDone = unrepeatable ? options.markUnrepeatable?.() : undefined;
        let response: PortResponse;
        try {
          response = await http.request({
            method,
            url,
            headers: { ...headers, ...signed },
            ...(body === undefined ? {} : { body }),
            maxResponseBytes: options.maxResponseBytes ?? 10 * 1024 * 1024,
            ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
            signal,
          });
        } catch (error) {
          if (neverSent(error)) notDone?.();
          throw error;
        }
        if (notCarriedOut(response)) notDone?.();
        return { response, signed, notDone };
      };
      let { response, signed, notDone } = await send();
      // A token may expire between two calls: one fresh token, one more try, never a loop.
      // A streamed body is spent by now, so that request cannot be repeated.
      const replayable = !(body && typeof body === 'object' && 'pipe' in body);
      if (response.status === 401 && request.auth !== false && replayable && auth.invalidate?.(signed)) {
        ({ response, signed, notDone } = await send());
      }
      if (request.raw) return { ...parts(response), data: jsonOf(response) as T };
      let data: unknown;
      try {
        data = options.interpret(response, options.integration);
      } catch (error) {
        // A 2xx read as an error is the vendor saying it did nothing (Slack's `ok:false`).
        if (response.status >= 200 && response.status <= 299) notDone?.();
        throw error;
      }
      if (request.response) expectShape(request.response, data, response, options.integration);
      return { ...parts(response), data: data as T };
    },
  };
}
