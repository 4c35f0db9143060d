import { ErrorCode } from '../errors/codes.js';
import { FileForgeError } from '../errors/fileforge-error.js';

/**
 * FileForge codes worth another attempt: the cause is outside the request and may pass.
 * `PROCESSOR_TIMEOUT` is left out on purpose: a processor that ran out of time on a file
 * almost always does so again on the same bytes.
 */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  ErrorCode.TIMEOUT,
  ErrorCode.REQUEST_TIMEOUT,
  ErrorCode.STORAGE_UNAVAILABLE,
  ErrorCode.CATALOG_UNAVAILABLE,
  ErrorCode.RATE_LIMITED,
  ErrorCode.TOO_MANY_CONNECTIONS,
  ErrorCode.BUSY,
]);

/** Socket and DNS failures (Node and undici) that a later attempt may not meet. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EADDRINUSE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

type Bag = Record<string, unknown>;

function httpStatus(error: Bag): number | undefined {
  const status = error.status ?? error.statusCode;
  return typeof status === 'number' && Number.isInteger(status) ? status : undefined;
}

/**
 * The default `shouldRetry` of `retry()`: network errors, timeouts, HTTP 408/429/5xx
 * (errors carrying `status` or `statusCode`) and FileForge errors whose code is transient
 * (`TIMEOUT`, `REQUEST_TIMEOUT`, `STORAGE_UNAVAILABLE`, `CATALOG_UNAVAILABLE`,
 * `RATE_LIMITED`, `TOO_MANY_CONNECTIONS`, `BUSY`); an `UPSTREAM_ERROR` by its `details.retryable`,
 * else its `details.status`, else its `cause`. Never other 4xx, never an abort, never a
 * `BrokenCircuitError`; anything unrecognised is not retried. An `INTERNAL` error or a
 * `fetch failed` TypeError is judged by its `cause`.
 */
export function isRetryableError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth++) {
    if (typeof current !== 'object' || current === null) return false;
    const bag = current as Bag;
    if (bag.name === 'BrokenCircuitError' || bag.name === 'AbortError') return false;
    if (bag.name === 'TimeoutError') return true; // AbortSignal.timeout() and friends
    if (FileForgeError.is(current)) {
      if (TRANSIENT_CODES.has(current.code)) return true;
      if (current.code === ErrorCode.UPSTREAM_ERROR) {
        // A remote failed: its explicit verdict, else the status it answered, else the cause.
        const details = current.details ?? {};
        if (typeof details.retryable === 'boolean') return details.retryable;
        const status = httpStatus(details);
        if (status !== undefined) return status === 408 || status === 429 || (status >= 500 && status <= 599);
        current = current.cause;
        continue;
      }
      if (current.code !== ErrorCode.INTERNAL) return false;
      current = current.cause;
      continue;
    }
    const status = httpStatus(bag);
    if (status !== undefined) return status === 408 || status === 429 || (status >= 500 && status <= 599);
    if (typeof bag.code === 'string' && NETWORK_CODES.has(bag.code)) return true;
    current = bag.cause;
  }
  return false;
}

function seconds(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n * 1000 : undefined;
}

/**
 * The wait in ms a remote asked for, if the error carries one: `retryAfterMs`, or
 * `retryAfter` in seconds (number or numeric string, as the HTTP header), on the error or in
 * a FileForge error's `details` (`retryAfterSeconds` / `retryAfter`).
 */
export function retryAfterMsOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const bag = error as Bag;
  const ms = bag.retryAfterMs;
  if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) return ms;
  const details = FileForgeError.is(error) ? (error.details ?? {}) : {};
  return seconds(bag.retryAfter) ?? seconds(details.retryAfterSeconds) ?? seconds(details.retryAfter);
}
