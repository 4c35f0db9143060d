/**
 * How connectors report a vendor's answer: a refusal the caller must fix
 * (`INTEGRATION_REJECTED`, never retried, never counted by the circuit) or a failure of the
 * service itself (`UPSTREAM_ERROR`: 408/429/5xx, too big, unreachable — retried, counted).
 *
 * @module
 */
import { ErrorCode, FileForgeError, isRetryableError } from '@fileforge/core';
import { headerOf, type PortResponse } from './http-port.js';

/** Facts put in `details` of a connector error. */
export interface VendorErrorDetails {
  /** The connector's slug. */
  integration: string;
  /** HTTP status, when the vendor answered. */
  status?: number;
  /** The vendor's own error code (`channel_not_found`, `REQUIRED_FIELD_MISSING`, `0x80072322`…). */
  vendorCode?: string;
  /** Seconds the vendor asked us to wait (`Retry-After`). */
  retryAfterSeconds?: number;
  [key: string]: unknown;
}

/** The vendor refused the request (validation, business rule, bad credentials). */
export function rejected(message: string, details: VendorErrorDetails): FileForgeError {
  return new FileForgeError(ErrorCode.INTEGRATION_REJECTED, `[fileforge:${details.integration}] ${message}`, {
    details: { ...details, retryable: false },
  });
}

/** The vendor failed or asked us to slow down; worth another attempt. */
export function upstream(
  message: string,
  details: VendorErrorDetails,
  options: { cause?: unknown; retryable?: boolean; circuit?: boolean } = {},
): FileForgeError {
  return new FileForgeError(ErrorCode.UPSTREAM_ERROR, `[fileforge:${details.integration}] ${message}`, {
    details: {
      ...details,
      retryable: options.retryable ?? true,
      // an exhausted quota (Salesforce's daily allocation): no retry now, but the circuit should know
      ...(options.circuit === undefined ? {} : { circuit: options.circuit }),
    },
    ...(options.cause === undefined ? {} : { cause: options.cause }),
  });
}

/** `Retry-After` in seconds (delta-seconds or an HTTP date), if the response has one. */
export function retryAfterSeconds(
  response: Pick<PortResponse, 'headers'>,
  now = Date.now(),
): number | undefined {
  const value = headerOf(response, 'retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * The default reading of a non-2xx answer: 408/429/5xx are upstream failures (with the
 * `Retry-After` they carry), any other status is a rejection. `vendorCode`/`message` come from
 * the connector's own parsing of the body.
 */
export function httpError(
  integration: string,
  response: Pick<PortResponse, 'status' | 'headers'>,
  vendor: { code?: string; message?: string } = {},
): FileForgeError {
  const { status } = response;
  const wait = retryAfterSeconds(response);
  const details: VendorErrorDetails = {
    integration,
    status,
    ...(vendor.code === undefined ? {} : { vendorCode: vendor.code }),
    ...(wait === undefined ? {} : { retryAfterSeconds: wait }),
  };
  const what = vendor.message ?? vendor.code ?? `HTTP ${status}`;
  if (status === 408 || status === 429 || status >= 500)
    return upstream(`Service answered ${status}: ${what}`, details);
  return rejected(`Request refused (${status}): ${what}`, details);
}

/**
 * Whether a connector error is worth another attempt and counts against the circuit: upstream
 * failures, network errors and timeouts; never a rejection, an open circuit, an abort, or an
 * error that says it is not retryable (`details.retryable: false`, as a call in doubt does).
 */
export function isTransient(error: unknown): boolean {
  if (FileForgeError.is(error)) {
    if (error.details?.retryable === false) return false;
    if (error.code === ErrorCode.UPSTREAM_ERROR) return true;
    if (error.code === ErrorCode.INTEGRATION_REJECTED) return false;
  }
  return isRetryableError(error);
}

/** FileForge's own troubles (its storage, its catalog, its load): retried, never the vendor's fault. */
const LOCAL_CODES: ReadonlySet<string> = new Set([
  ErrorCode.STORAGE_UNAVAILABLE,
  ErrorCode.CATALOG_UNAVAILABLE,
  ErrorCode.BUSY,
]);

/**
 * Whether a connector error says the vendor failed: a transient error that is not one of
 * FileForge's own (a file that cannot be read from storage is retried, but it ejects no
 * endpoint, fails over no region and opens no circuit).
 */
export function isVendorFailure(error: unknown): boolean {
  if (FileForgeError.is(error) && LOCAL_CODES.has(error.code)) return false;
  return isTransient(error);
}

/**
 * Whether a connector error counts against the circuit: every vendor failure, plus an
 * upstream failure that is not worth retrying now but says the vendor will keep refusing
 * (`upstream(…, { retryable: false, circuit: true })`, e.g. an exhausted daily API quota).
 */
export function countsForCircuit(error: unknown): boolean {
  if (
    FileForgeError.is(error) &&
    error.code === ErrorCode.UPSTREAM_ERROR &&
    error.details?.circuit === true
  ) {
    return true;
  }
  return isVendorFailure(error);
}

/** A JSON-safe view of an error for `IntegrationResult.error` and events. */
export function describeError(error: unknown): {
  code: string;
  message: string;
  details?: Record<string, unknown>;
} {
  if (FileForgeError.is(error)) {
    return { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: ErrorCode.UPSTREAM_ERROR, message };
}
