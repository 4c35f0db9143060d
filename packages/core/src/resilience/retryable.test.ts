import { describe, expect, it } from 'vitest';
import { FileForgeError, toFileForgeError } from '../errors/fileforge-error.js';
import { isRetryableError, retryAfterMsOf } from './retryable.js';
import { TimeoutError } from './timeout.js';

const withStatus = (status: number, key: 'status' | 'statusCode' = 'status') =>
  Object.assign(new Error(`HTTP ${status}`), { [key]: status });

describe('isRetryableError', () => {
  it('retries 408, 429 and 5xx, not other 4xx', () => {
    expect([408, 429, 500, 502, 503, 504].map((s) => isRetryableError(withStatus(s)))).toEqual(
      Array(6).fill(true),
    );
    expect(isRetryableError(withStatus(503, 'statusCode'))).toBe(true);
    expect([400, 401, 403, 404, 409, 422].map((s) => isRetryableError(withStatus(s)))).toEqual(
      Array(6).fill(false),
    );
  });

  it('retries network errors, also under fetch’s "fetch failed" TypeError', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(isRetryableError(reset)).toBe(true);
    expect(isRetryableError(new TypeError('fetch failed', { cause: reset }))).toBe(true);
    expect(isRetryableError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
  });

  it('retries timeouts and transient FileForge codes, not validation or unknown errors', () => {
    expect(isRetryableError(new TimeoutError(10))).toBe(true);
    expect(isRetryableError(new DOMException('t', 'TimeoutError'))).toBe(true);
    expect(isRetryableError(new FileForgeError('STORAGE_UNAVAILABLE', 'x'))).toBe(true);
    expect(isRetryableError(new FileForgeError('RATE_LIMITED', 'x'))).toBe(true);
    expect(isRetryableError(new FileForgeError('VALIDATION_FAILED', 'x'))).toBe(false);
    expect(isRetryableError(new FileForgeError('NOT_FOUND', 'x'))).toBe(false);
    expect(isRetryableError(new Error('boom'))).toBe(false);
    expect(isRetryableError('a string')).toBe(false);
  });

  it('looks through an INTERNAL wrapper to its cause', () => {
    const wrapped = toFileForgeError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }));
    expect(wrapped.code).toBe('INTERNAL');
    expect(isRetryableError(wrapped)).toBe(true);
  });

  it('judges an UPSTREAM_ERROR by details.retryable, then details.status, then its cause (issue 11)', () => {
    const upstream = (details: Record<string, unknown>, cause?: unknown) =>
      new FileForgeError('UPSTREAM_ERROR', 'x', { details, cause });
    expect([408, 429, 500, 503].map((status) => isRetryableError(upstream({ status })))).toEqual(
      Array(4).fill(true),
    );
    expect([400, 404, 410, 200].map((status) => isRetryableError(upstream({ status })))).toEqual(
      Array(4).fill(false),
    );
    expect(
      isRetryableError(upstream({}, Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))),
    ).toBe(true);
    expect(isRetryableError(upstream({ status: 503, retryable: false }))).toBe(false);
    expect(isRetryableError(upstream({}))).toBe(false);
  });

  it('never retries an abort or an open circuit', () => {
    expect(isRetryableError(new DOMException('a', 'AbortError'))).toBe(false);
    expect(isRetryableError(new FileForgeError('ABORTED', 'x'))).toBe(false);
    expect(isRetryableError(Object.assign(withStatus(503), { name: 'BrokenCircuitError' }))).toBe(false);
  });
});

describe('retryAfterMsOf', () => {
  it('reads retryAfterMs, retryAfter seconds and FileForge details', () => {
    expect(retryAfterMsOf(Object.assign(new Error(), { retryAfterMs: 250 }))).toBe(250);
    expect(retryAfterMsOf(Object.assign(new Error(), { retryAfter: 1.5 }))).toBe(1500);
    expect(retryAfterMsOf(Object.assign(new Error(), { retryAfter: '7' }))).toBe(7000);
    expect(retryAfterMsOf(new FileForgeError('BUSY', 'x', { details: { retryAfterSeconds: 2 } }))).toBe(2000);
    expect(retryAfterMsOf(Object.assign(new Error(), { retryAfter: 'soon' }))).toBeUndefined();
    expect(retryAfterMsOf(new Error())).toBeUndefined();
  });
});
