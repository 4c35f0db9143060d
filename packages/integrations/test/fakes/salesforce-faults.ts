/**
 * Ready-made faults of the Salesforce fake: injected answers in the vendor's own words
 * (status, headers, body), for `fake.service.inject(...)`.
 *
 * @module
 */
import type { Fault } from './fake-service.js';

/** Ready-made injected answers in Salesforce's words, for `fake.service.inject(...)`. */
export const salesforceFaults = {
  /** 403 REQUEST_LIMIT_EXCEEDED (Salesforce's rate limit: no Retry-After). */
  requestLimitExceeded: (times = 1): Fault => ({
    status: 403,
    times,
    match: (r) => r.path.startsWith('/services/data/v'),
    body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
  }),
  /** 503 SERVER_UNAVAILABLE. */
  unavailable: (times = 1): Fault => ({
    status: 503,
    times,
    body: [{ message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }],
  }),
  /** 400 DUPLICATES_DETECTED on the next create of `type`. */
  duplicatesDetected: (type: string): Fault => ({
    status: 400,
    match: (r) => r.method === 'POST' && new RegExp(`/sobjects/${type}/?$`).test(r.path),
    body: [{ message: 'Use one of these records?', errorCode: 'DUPLICATES_DETECTED', fields: [] }],
  }),
};
