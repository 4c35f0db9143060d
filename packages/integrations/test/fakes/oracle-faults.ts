/**
 * Ready-made faults of the Oracle ERP Cloud fake: injected answers in the vendor's own words
 * (status, headers, body), for `fake.service.inject(...)`.
 *
 * @module
 */
import type { Fault } from './fake-service.js';

/** Ready-made injected answers, for `fake.service.inject(...)`. */
export const oracleFaults = {
  /** 429 + Retry-After (not published by Oracle; treated generically). */
  throttled: (retryAfterSec = 1, times = 1): Fault => ({
    status: 429,
    times,
    headers: { 'retry-after': String(retryAfterSec) },
    match: (r) => r.path.startsWith('/fscmRestApi/'),
    body: 'Too Many Requests',
  }),
  /** 503 + Retry-After. */
  unavailable: (retryAfterSec = 1, times = 1): Fault => ({
    status: 503,
    times,
    headers: { 'retry-after': String(retryAfterSec) },
    match: (r) => r.path.startsWith('/fscmRestApi/'),
    body: 'Service Unavailable',
  }),
  /** 403: the calling user lacks the Fusion role for the resource. */
  forbidden: (times = 1): Fault => ({
    status: 403,
    times,
    match: (r) => r.path.startsWith('/fscmRestApi/'),
    body: '',
  }),
};
