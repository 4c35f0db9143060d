import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { ErrorCode, FileForgeError } from '@fileforge/core';

/** A complete response; any status, 3xx included (redirects are never followed). */
export interface HttpResponse {
  status: number;
  /** Whether the status is 2xx. */
  ok: boolean;
  /** Header names lower-case; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The body bytes, at most `maxResponseBytes`. */
  body: Buffer;
  /** The body decoded as UTF-8. */
  text(): string;
  /** The body parsed as JSON; `UPSTREAM_ERROR` when it is not JSON. */
  json<T = unknown>(): T;
}

/** Where a response came from, for error messages (origin only: paths may carry secrets). */
export interface ResponseSource {
  method: string;
  origin: string;
}

export function headerRecord(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function tooLarge(source: ResponseSource, status: number, limit: number): FileForgeError {
  return new FileForgeError(
    ErrorCode.UPSTREAM_ERROR,
    `[fileforge:http] ${source.method} ${source.origin} answered more than ${limit} bytes; ` +
      'raise maxResponseBytes if this response is expected',
    { details: { status, limit, reason: 'response_too_large', retryable: false } },
  );
}

/**
 * Reads `body` whole, refusing (and destroying the stream) past `limit` bytes. Listens for
 * `data` / `end` / `error` / `close` itself rather than through an async iterator (one less
 * iterator, promise per chunk and set of listeners per request on the webhook hot path).
 */
export function readCapped(
  body: Readable,
  limit: number,
  source: ResponseSource,
  status: number,
): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error: unknown, bytes?: Buffer) => {
      if (done) return;
      done = true;
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
      if (bytes) resolve(bytes);
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        finish(tooLarge(source, status, limit));
        body.destroy();
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(undefined, Buffer.concat(chunks, size));
    const onError = (error: unknown) => finish(error);
    // Closed without an end or an error (destroyed): as an async iterator reports it.
    const onClose = () =>
      finish(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onError);
    body.on('close', onClose);
  });
}

export function buildResponse(
  status: number,
  headers: Record<string, string>,
  body: Buffer,
  source: ResponseSource,
): HttpResponse {
  return {
    status,
    ok: status >= 200 && status <= 299,
    headers,
    body,
    text: () => body.toString('utf8'),
    json<T>() {
      try {
        return JSON.parse(body.toString('utf8')) as T;
      } catch (cause) {
        throw new FileForgeError(
          ErrorCode.UPSTREAM_ERROR,
          `[fileforge:http] ${source.method} ${source.origin} answered a body that is not JSON`,
          { cause, details: { status, reason: 'invalid_json', retryable: false } },
        );
      }
    },
  };
}

/**
 * The delay a `Retry-After` header asks for, in whole seconds (delta-seconds or an HTTP date,
 * counted from `nowMs`); `undefined` when absent or unreadable.
 */
export function retryAfterSeconds(value: string | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/**
 * The error to throw for a response that is not a success: `UPSTREAM_ERROR` with
 * `details.status` (so `isRetryableError` retries 408, 429 and 5xx and nothing else) and
 * `details.retryAfterSeconds` from `Retry-After` (read by `retryAfterMsOf`).
 *
 * @example
 * ```ts
 * const res = await http.request({ method: 'GET', url });
 * if (!res.ok) throw upstreamStatusError(res, 'salesforce');
 * ```
 */
export function upstreamStatusError(
  response: Pick<HttpResponse, 'status' | 'headers'>,
  subsystem = 'http',
  nowMs: number = Date.now(),
): FileForgeError {
  const { status } = response;
  const retryAfter = retryAfterSeconds(response.headers['retry-after'], nowMs);
  return new FileForgeError(
    ErrorCode.UPSTREAM_ERROR,
    `[fileforge:${subsystem}] The remote service answered HTTP ${status}`,
    {
      details: {
        status,
        retryable: status === 408 || status === 429 || (status >= 500 && status <= 599),
        ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
      },
    },
  );
}
