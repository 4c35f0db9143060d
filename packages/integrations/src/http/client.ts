/**
 * The outbound HTTP client every connector and the webhook service use, on undici.
 *
 * How this works: one undici `Agent` per client, whose connector refuses forbidden IP
 * literals and resolves host names through the SSRF guard's `lookup`, so every connection is
 * checked when it opens (see `ssrf-guard.ts`). A request gets one deadline timer and one
 * abort handle (`request-abort.ts`) that the caller's signal feeds; both are released when the
 * call settles.
 * Redirects are never followed: a 3xx is returned like any other response. Response bodies
 * are counted while they arrive and cut off past `maxResponseBytes`. undici itself (with its
 * llhttp WebAssembly, about 20 MiB of RSS) is loaded by the first request or `preload()`, so a
 * server that never calls out does not carry it.
 *
 * @module
 */
import { isIP } from 'node:net';
import { Readable, Transform } from 'node:stream';
import { ErrorCode, FileForgeError, isRetryableError, TimeoutError, toFileForgeError } from '@fileforge/core';
import type { Agent, Dispatcher } from 'undici';
import { bareHost } from './allow-list.js';
import { RequestAbort } from './request-abort.js';
import {
  buildResponse,
  type HttpResponse,
  headerRecord,
  type ResponseSource,
  readCapped,
  tooLarge,
} from './response.js';
import { createSsrfGuard, type SsrfGuard, type SsrfGuardOptions } from './ssrf-guard.js';

/** One outbound request. */
export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  /** Absolute http(s) URL; checked by the SSRF guard. */
  url: string | URL;
  headers?: Record<string, string>;
  /**
   * Sent as is. A `Readable` is streamed, never buffered; the client owns it from here on
   * (it is consumed, or destroyed if the request is refused or fails).
   */
  body?: string | Uint8Array | Readable;
  /** Deadline of this attempt, from the call to the last body byte. @default the client's `timeoutMs` */
  timeoutMs?: number;
  /** Largest response body accepted. @default the client's `maxResponseBytes` */
  maxResponseBytes?: number;
  /** Aborts the request at once, rejecting with `ABORTED` (or the signal's FileForge reason). */
  signal?: AbortSignal;
}

/** A response whose body is still streaming (see {@link HttpClient.stream}). */
export interface HttpStreamResponse {
  status: number;
  ok: boolean;
  headers: Record<string, string>;
  /** The body; errors with a FileForge error (timeout, abort, size cap). Attach an `'error'` listener. */
  body: Readable;
}

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /**
   * The SSRF guard, or its options. Deny-by-default: loopback and private networks are
   * unreachable unless allowed.
   * @default createSsrfGuard({}) (public addresses only, http and https)
   */
  guard?: SsrfGuard | SsrfGuardOptions;
  /**
   * The `user-agent` sent when a request does not set one (webhooks use
   * `FileForge-Webhooks/<version>`).
   * @default 'FileForge'
   */
  userAgent?: string;
  /**
   * Deadline of each attempt in ms (connect, send, headers and whole body). Shorter fails
   * faster on a stuck remote; longer tolerates slow ones.
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * Largest response body in bytes; beyond it the request fails with `UPSTREAM_ERROR` and the
   * connection is closed, so a hostile remote cannot exhaust memory.
   * @default 10485760 (10 MiB)
   */
  maxResponseBytes?: number;
}

/** A configured client; `close()` it when done so no sockets stay open. */
export interface HttpClient {
  /** The guard its connections go through. */
  readonly guard: SsrfGuard;
  /** Sends `req` and reads the whole (capped) response. Rejects only when no response came. */
  request(req: HttpRequest): Promise<HttpResponse>;
  /** Sends `req` and resolves at the response headers, for downloads; the body streams. */
  stream(req: HttpRequest): Promise<HttpStreamResponse>;
  /**
   * Loads the HTTP stack now: otherwise the first request loads it (undici and its llhttp
   * WebAssembly, about 20 MiB and 100 ms or more), so a process that never calls out does not
   * carry it. Call it once calls are known to come (a webhook subscription exists).
   */
  preload?(): Promise<void>;
  /** Closes idle connections and waits for requests in flight. */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** URL strings whose check is remembered (the memo is emptied when full). */
const MAX_CHECKED_URLS = 1024;

/** A URL the guard accepted, as undici takes it. */
interface CheckedUrl {
  origin: string;
  path: string;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || value > MAX_TIMER_MS) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      `[fileforge:http] "${name}" must be a number > 0, got ${String(value)}`,
    );
  }
  return value;
}

/** The guard's refusal, if the error is (or wraps) one: it must surface as is. */
function findForbidden(error: unknown): FileForgeError | undefined {
  let current = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    if (FileForgeError.is(current) && current.code === ErrorCode.WEBHOOK_URL_FORBIDDEN) return current;
    const bag = current as { cause?: unknown; errors?: unknown[] };
    current = bag.errors?.find((e) => FileForgeError.is(e)) ?? bag.errors?.[0] ?? bag.cause;
  }
  return undefined;
}

function networkError(error: unknown, source: ResponseSource): FileForgeError {
  const forbidden = findForbidden(error);
  if (forbidden) return forbidden;
  if (FileForgeError.is(error)) return error;
  // Happy Eyeballs reports an AggregateError of one error per address: keep the first.
  const cause = error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
  const message = cause instanceof Error ? cause.message : String(cause);
  return new FileForgeError(
    ErrorCode.UPSTREAM_ERROR,
    `[fileforge:http] ${source.method} ${source.origin} failed before a response (${code}: ${message})`,
    { cause, details: { networkCode: code, retryable: isRetryableError(cause) } },
  );
}

function abortedError(signal: AbortSignal, source: ResponseSource): FileForgeError {
  if (FileForgeError.is(signal.reason)) return signal.reason;
  return new FileForgeError(ErrorCode.ABORTED, `[fileforge:http] ${source.method} ${source.origin} aborted`, {
    cause: signal.reason,
  });
}

/**
 * Creates the outbound HTTP client.
 *
 * @example
 * ```ts
 * const http = createHttpClient({
 *   guard: { allowedHosts: process.env.WEBHOOK_ALLOWED_HOSTS },
 *   userAgent: `FileForge-Webhooks/${version}`,
 *   timeoutMs: 15_000,
 * });
 * const res = await http.request({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body });
 * if (!res.ok) throw upstreamStatusError(res, 'webhooks');
 * await http.close();
 * ```
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const guard = options.guard && 'checkUrl' in options.guard ? options.guard : createSsrfGuard(options.guard);
  const userAgent = options.userAgent ?? 'FileForge';
  const defaultTimeout = positive('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS);
  const defaultMaxBytes = positive('maxResponseBytes', options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES);

  let agent: Agent | undefined;
  let loading: Promise<Agent> | undefined;
  const agentOf = async (): Promise<Agent> => {
    loading ??= import('undici').then(({ Agent, buildConnector }) => {
      const baseConnect = buildConnector({ lookup: guard.connectLookup });
      agent = new Agent({
        connect(connectOptions, callback) {
          // A custom lookup is never called for IP literals: check them here, at connect time too.
          const host = bareHost(connectOptions.hostname);
          if (isIP(host) !== 0) {
            try {
              guard.checkAddress(host, host);
            } catch (error) {
              callback(error as Error, null);
              return;
            }
          }
          baseConnect(connectOptions, callback);
        },
      });
      return agent;
    });
    return loading;
  };

  // The guard's URL check (parse, scheme, IP-literal host) is a pure function of the URL
  // string and the guard's fixed options, so a string seen before is not parsed again: a
  // webhook endpoint is posted to thousands of times. The connection-time check (every
  // address a host resolves to) still runs on every new connection.
  const checkedUrls = new Map<string, CheckedUrl>();
  const checked = (url: string | URL): CheckedUrl => {
    const key = typeof url === 'string' ? url : null;
    const known = key === null ? undefined : checkedUrls.get(key);
    if (known) return known;
    const parsed = guard.checkUrl(url);
    const result = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (key !== null) {
      if (checkedUrls.size >= MAX_CHECKED_URLS) checkedUrls.clear();
      checkedUrls.set(key, result);
    }
    return result;
  };

  /** Starts one attempt; the returned `settle` releases its timer and listener. */
  async function send(req: HttpRequest, streaming: boolean) {
    const body = req.body;
    const controller = new RequestAbort();
    let bodyError: unknown;
    if (body instanceof Readable) {
      body.on('error', (error) => {
        bodyError ??= error;
        controller.abort(error);
      });
    }
    let target: CheckedUrl;
    let timeoutMs: number;
    let maxBytes: number;
    try {
      target = checked(req.url);
      timeoutMs = positive('timeoutMs', req.timeoutMs, defaultTimeout);
      maxBytes = positive('maxResponseBytes', req.maxResponseBytes, defaultMaxBytes);
    } catch (error) {
      if (body instanceof Readable) body.destroy();
      throw error;
    }
    const source: ResponseSource = { method: req.method, origin: target.origin };
    if (req.signal?.aborted) {
      if (body instanceof Readable) body.destroy();
      throw abortedError(req.signal, source);
    }

    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new TimeoutError(timeoutMs));
    }, timeoutMs);
    const onAbort = () => controller.abort(req.signal?.reason);
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const stopTimer = () => clearTimeout(timer);
    const settle = () => {
      stopTimer();
      req.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown): FileForgeError => {
      settle();
      if (timedOut) {
        return new TimeoutError(
          timeoutMs,
          `[fileforge:http] ${source.method} ${source.origin} did not complete within ${timeoutMs} ms`,
          { cause: error, details: { origin: source.origin } },
        );
      }
      if (req.signal?.aborted) return abortedError(req.signal, source);
      if (bodyError !== undefined) return toFileForgeError(bodyError);
      return networkError(error, source);
    };

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value;
    headers['user-agent'] ??= userAgent;

    let res: Dispatcher.ResponseData;
    try {
      res = await (agent ?? (await agentOf())).request({
        origin: target.origin,
        path: target.path,
        method: req.method,
        headers,
        body: body ?? null,
        signal: controller,
        // Streams get an idle limit between chunks instead of one deadline for the whole body.
        bodyTimeout: streaming ? timeoutMs : 0,
        headersTimeout: 0,
      });
    } catch (error) {
      throw fail(error);
    }
    res.body.on('error', () => {}); // reported through the read below; never unhandled
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      res.body.destroy();
      settle();
      throw tooLarge(source, res.statusCode, maxBytes);
    }
    return { res, source, maxBytes, stopTimer, settle, fail };
  }

  return {
    guard,

    async request(req) {
      const { res, source, maxBytes, settle, fail } = await send(req, false);
      try {
        const bytes = await readCapped(res.body, maxBytes, source, res.statusCode);
        settle();
        return buildResponse(res.statusCode, headerRecord(res.headers), bytes, source);
      } catch (error) {
        res.body.destroy();
        if (FileForgeError.is(error) && error.details?.reason === 'response_too_large') {
          settle();
          throw error;
        }
        throw fail(error);
      }
    },

    async stream(req) {
      const { res, source, maxBytes, stopTimer, settle, fail } = await send(req, true);
      // The deadline covered the wait for headers; from here bodyTimeout limits idle gaps.
      stopTimer();
      let size = 0;
      const out = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          if (size > maxBytes) callback(tooLarge(source, res.statusCode, maxBytes));
          else callback(null, chunk);
        },
      });
      res.body.on('error', (error) => out.destroy(fail(error)));
      res.body.on('end', settle);
      out.on('close', () => {
        settle();
        if (!res.body.destroyed) res.body.destroy();
      });
      res.body.pipe(out);
      return {
        status: res.statusCode,
        ok: res.statusCode >= 200 && res.statusCode <= 299,
        headers: headerRecord(res.headers),
        body: out,
      };
    },

    async preload() {
      await agentOf();
    },

    close: async () => {
      const loaded = await loading?.catch(() => undefined);
      await loaded?.close();
    },
  };
}
