/**
 * Resilience primitives: retry with exponential backoff and jitter, and per-call timeouts.
 *
 * @module
 */
export { type BackoffOptions, backoffDelay, type Jitter } from './backoff.js';
export { type RetryContext, type RetryOptions, retry } from './retry.js';
export { isRetryableError, retryAfterMsOf } from './retryable.js';
export { TimeoutError, withTimeout } from './timeout.js';
