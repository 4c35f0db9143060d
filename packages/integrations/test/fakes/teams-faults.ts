/**
 * Ready-made faults of the Teams (Graph) fake: injected answers in the vendor's own words
 * (status, headers, body), for `fake.service.inject(...)`.
 *
 * @module
 */
import type { Fault } from './fake-service.js';

/** Ready-made injected answers in Graph's words, for `fake.service.inject(...)`. */
export const teamsFaults = {
  /** 429 TooManyRequests + Retry-After on Graph calls. */
  throttled: (retryAfterSec = 1, times = 1): Fault => ({
    status: 429,
    times,
    headers: { 'retry-after': String(retryAfterSec) },
    match: (r) => r.path.startsWith('/v1.0/'),
    body: { error: { code: 'TooManyRequests', message: 'Too many requests.', innerError: {} } },
  }),
  /** 503 serviceNotAvailable + Retry-After. */
  unavailable: (retryAfterSec = 1, times = 1): Fault => ({
    status: 503,
    times,
    headers: { 'retry-after': String(retryAfterSec) },
    match: (r) => r.path.startsWith('/v1.0/'),
    body: { error: { code: 'serviceNotAvailable', message: 'Service unavailable.', innerError: {} } },
  }),
};
