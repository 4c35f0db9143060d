/**
 * Reading DocuSign's answers (specs/connectors.md §3 Errors, Rate limits): errors are
 * `{"errorCode","message"}` and are sorted by errorCode, not HTTP status. The API limits come as
 * 429 or, before DocuSign's 2026 change, 400 with a limit errorCode; both are upstream failures
 * retried after `Retry-After` or else `X-RateLimit-Reset`. Everything else is `httpError()`:
 * 4xx rejected with DocuSign's code, 5xx upstream.
 *
 * @module
 */
import { errorOf, jsonOf } from './body.js';
import { readResponse } from './client.js';
import { httpError, retryAfterSeconds, upstream } from './errors.js';
import { headerOf, type VendorResponse } from './http-port.js';

const RATE_LIMIT_CODES = new Set([
  'HOURLY_APIINVOCATION_LIMIT_EXCEEDED',
  'BURST_APIINVOCATION_LIMIT_EXCEEDED',
  'HOURLY_ENVELOPE_POLLING_LIMIT_EXCEEDED',
  'BURST_ENVELOPE_POLLING_LIMIT_EXCEEDED',
]);

/** Seconds to wait before the limit lifts: `Retry-After`, else `X-RateLimit-Reset` (burst windows are 30 s). */
function rateLimitWait(response: VendorResponse, code: string | undefined): number | undefined {
  const after = retryAfterSeconds(response);
  if (after !== undefined) return after;
  const reset = Number(headerOf(response, 'x-ratelimit-reset'));
  const untilReset = Number.isFinite(reset) && reset > 0 ? Math.max(0, reset - Date.now() / 1000) : undefined;
  if (code?.startsWith('BURST_')) return Math.min(untilReset ?? 30, 30);
  return untilReset === undefined ? undefined : Math.ceil(untilReset);
}

/** Reads a DocuSign answer: 2xx passes; errors are sorted by their errorCode. */
export function interpretDocuSign(response: VendorResponse, integration: string): unknown {
  if (response.status >= 200 && response.status <= 299) return readResponse(response, integration);
  const vendor = errorOf(jsonOf(response));
  const code = vendor.code?.toUpperCase();
  if (response.status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) {
    const wait = rateLimitWait(response, code);
    const reset = Number(headerOf(response, 'x-ratelimit-reset'));
    throw upstream(
      `Rate limited (${vendor.code ?? response.status})${wait === undefined ? '' : `; retry after ${wait} s`}`,
      {
        integration,
        status: response.status,
        vendorCode: vendor.code ?? 'TOO_MANY_REQUESTS',
        ...(wait === undefined ? {} : { retryAfterSeconds: wait }),
        ...(Number.isFinite(reset) && reset > 0 ? { resetAt: new Date(reset * 1000).toISOString() } : {}),
      },
    );
  }
  throw httpError(integration, response, vendor);
}
