/**
 * Ready-made faults of the Dynamics 365 fake: injected answers in the vendor's own words
 * (status, headers, body), for `fake.service.inject(...)`.
 *
 * @module
 */
import type { Fault } from './fake-service.js';

/** Ready-made injected answers in Dataverse's words, for `fake.service.inject(...)`. */
export const dynamicsFaults = {
  /** 429 service protection with `Retry-After` (requests, execution time or concurrency limit). */
  serviceProtection: (
    retryAfterSec = 5,
    limit: 'requests' | 'time' | 'concurrency' = 'requests',
    times = 1,
  ): Fault => {
    const messages = {
      requests: [
        '0x80072322',
        'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
      ],
      time: [
        '0x80072321',
        'Combined execution time of incoming requests exceeded limit of 1,200,000 milliseconds over time window of 300 seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.',
      ],
      concurrency: ['0x80072326', 'Number of concurrent requests exceeded the limit of 52.'],
    } as const;
    const [code, message] = messages[limit];
    return {
      status: 429,
      times,
      headers: { 'Retry-After': String(retryAfterSec) },
      body: { error: { code, message } },
      match: (r) => r.path.startsWith('/api/data/'),
    };
  },
  /** 500 generic platform error. */
  serverError: (times = 1): Fault => ({
    status: 500,
    times,
    match: (r) => r.path.startsWith('/api/data/'),
    body: { error: { code: '0x80040216', message: 'An unexpected error occurred.' } },
  }),
};
