/**
 * Reading SAP Gateway OData V2 answers (specs/connectors.md §6): results come wrapped in
 * `{"d": …}`; errors are `{ error: { code, message: { lang, value }, innererror: { transactionid,
 * errordetails } } }`; values use V2's JSON conventions (Edm.Decimal as strings, dates as
 * `/Date(ms)/`).
 *
 * @module
 */
import { jsonOf } from './body.js';
import { httpError, rejected } from './errors.js';
import type { VendorResponse } from './http-port.js';

/** The Gateway error body, as far as the connector reads it. */
interface ODataV2Error {
  error?: {
    code?: string;
    message?: { value?: string } | string;
    innererror?: {
      transactionid?: string;
      errordetails?: Array<{ code?: string; message?: string; target?: string; severity?: string }>;
    };
  };
}

const HINTS: Record<number, string> = {
  401: 'check the communication user and password (and sap-client)',
  403: "the communication user lacks the service's authorization (communication arrangement)",
};

/**
 * Reads an OData V2 answer: a 2xx gives `d` (the entity or `{ results }`), an empty body
 * `undefined`; a Gateway error becomes `INTEGRATION_REJECTED` with SAP's message code,
 * text, transaction id and error details; 408/429/5xx are upstream failures (retried after
 * `Retry-After`).
 */
export function interpretSap(response: VendorResponse, integration: string): unknown {
  if (response.status >= 200 && response.status <= 299) {
    const json = jsonOf(response) as { d?: unknown } | undefined;
    return json && typeof json === 'object' && 'd' in json ? json.d : json;
  }
  const error = (jsonOf(response) as ODataV2Error | undefined)?.error;
  const message = typeof error?.message === 'object' ? error.message.value : error?.message;
  if (response.status === 408 || response.status === 429 || response.status >= 500 || !error) {
    const hint = HINTS[response.status];
    return throwing(
      httpError(integration, response, {
        ...(error?.code ? { code: error.code } : {}),
        ...(message ? { message } : hint ? { message: hint } : {}),
      }),
    );
  }
  const details = (error.innererror?.errordetails ?? [])
    .filter((d) => d.message)
    .map((d) => ({
      code: d.code,
      message: d.message,
      ...(d.target ? { target: d.target } : {}),
      ...(d.severity ? { severity: d.severity } : {}),
    }));
  return throwing(
    rejected(`SAP refused the request (${response.status} ${error.code ?? ''}): ${message ?? 'no message'}`, {
      integration,
      status: response.status,
      ...(error.code ? { vendorCode: error.code } : {}),
      ...(error.innererror?.transactionid ? { transactionId: error.innererror.transactionid } : {}),
      ...(details.length > 0 ? { errorDetails: details } : {}),
    }),
  );
}

function throwing(error: Error): never {
  throw error;
}

/** `/Date(1714521600000)/` (optionally with an offset) as an ISO timestamp; other values as they are. */
export function fromSapDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = /^\/Date\((-?\d+)(?:[+-]\d+)?\)\/$/.exec(value)?.[1];
  return ms === undefined ? value : new Date(Number(ms)).toISOString();
}

/**
 * An Edm.Decimal as V2 wants it on the wire: a JSON string. Strings pass as written (keep
 * `"130.00"`); numbers are written out in full, never in exponent notation.
 */
export function decimalString(value: string | number): string {
  if (typeof value === 'string') return value;
  return value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

/** Drops `__metadata` and `__deferred` navigation stubs from an entity. */
export function plainEntity(entity: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entity)) {
    if (key === '__metadata') continue;
    if (value && typeof value === 'object' && '__deferred' in value) continue;
    out[key] = value;
  }
  return out;
}
