/**
 * Requests that must not be carried out twice — a POST that creates a record, posts a message,
 * sends an envelope — and what a failure says about them.
 *
 * Why: a retry is safe only when the failed request cannot have been carried out. A refused
 * connection, an unknown host, a 4xx (a refusal, a rate limit, a 401 before the re-auth) or a
 * 503 (the service, or a gateway with no upstream to hand it to, did not take the request:
 * "unable to handle", RFC 9110 §15.6.4) show that the vendor did nothing. A timeout or a reset after the request was sent, or a 500/502/504 (a gateway
 * whose upstream may have finished the work), do not: the record may exist, and a retry would
 * make a second one. None of the vendors in specs/connectors.md takes an idempotency key on
 * these creates (their idempotent forms are upserts by an external key, e.g. Salesforce's
 * `upsertRecord`), so such a call ends **in doubt** instead of being retried.
 *
 * How: the attempt client marks each request that is not idempotent just before sending it
 * ({@link UnrepeatableLedger.mark}) and lifts the mark when the answer or the error shows the
 * vendor did nothing; the HA runtime ends a call whose ledger still holds a mark with
 * {@link inDoubtError} rather than retrying it.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '@fileforge/core';
import type { PortResponse } from './http-port.js';

/** Methods whose repetition has the effect of one request (RFC 9110 §9.2.2). POST and PATCH are not. */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Socket and DNS failures that happen before a request is written: the vendor never saw it. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * FileForge's own failures while sending: refused by the SSRF guard, a bad option, or the
 * request's body could not be read from storage — the vendor never got a whole request.
 */
const LOCAL_CODES: ReadonlySet<string> = new Set([
  ErrorCode.WEBHOOK_URL_FORBIDDEN,
  ErrorCode.INVALID_CONFIG,
  ErrorCode.STORAGE_UNAVAILABLE,
  ErrorCode.CATALOG_UNAVAILABLE,
  ErrorCode.BUSY,
]);

/** Whether sending a request with `method` twice has the effect of sending it once. */
export function isIdempotentMethod(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/** Whether an error of the HTTP client shows that the request never reached the vendor. */
export function neverSent(error: unknown): boolean {
  if (!FileForgeError.is(error)) return false;
  if (LOCAL_CODES.has(error.code)) return true;
  const code = error.details?.networkCode;
  return typeof code === 'string' && NOT_SENT_CODES.has(code);
}

/**
 * Whether an answer shows that the vendor did not carry the request out: a 4xx or a 503. A 2xx
 * or 3xx did it; any other 5xx (500, or a gateway's 502/504 whose upstream may have finished)
 * may come after the work was done.
 */
export function notCarriedOut(response: Pick<PortResponse, 'status'>): boolean {
  const { status } = response;
  return (status >= 400 && status <= 499) || status === 503;
}

/** The requests of one call that must not be carried out twice, and whether one may have been. */
export interface UnrepeatableLedger {
  /**
   * Records a request about to be sent; the returned function lifts the mark once the answer
   * (or the error) shows the vendor did not carry it out. Calling it again does nothing.
   */
  mark(): () => void;
  /** Whether a marked request may have been carried out (its mark was never lifted). */
  readonly inDoubt: boolean;
}

/** A ledger for one call (all its attempts). */
export function createUnrepeatableLedger(): UnrepeatableLedger {
  let open = 0;
  return {
    mark() {
      open += 1;
      let lifted = false;
      return () => {
        if (lifted) return;
        lifted = true;
        open -= 1;
      };
    },
    get inDoubt() {
      return open > 0;
    },
  };
}

/** Whether an error ended a call whose request may have been carried out (see {@link inDoubtError}). */
export function isInDoubt(error: unknown): boolean {
  return FileForgeError.is(error) && error.details?.inDoubt === true;
}

/**
 * The error a call ends with when it failed after a request that must not be carried out twice
 * may have reached the vendor: the failure's own code and details, plus `inDoubt: true` and
 * `retryable: false` — so neither the connector nor a workflow step repeats it — and the
 * original error as `cause`.
 */
export function inDoubtError(error: unknown, integration: string, operation: string): FileForgeError {
  const original = FileForgeError.is(error) ? error : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const prefix = message.startsWith('[fileforge') ? '' : `[fileforge:${integration}] `;
  return new FileForgeError(
    original?.code ?? ErrorCode.UPSTREAM_ERROR,
    `${prefix}${message}; not retried: ${operation} may have been carried out already, so check before repeating it`,
    {
      cause: error,
      details: { ...original?.details, integration, operation, inDoubt: true, retryable: false },
    },
  );
}
