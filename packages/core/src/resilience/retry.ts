import { type RetryContext, type RetryOptions, RetryPolicy } from './retry-policy.js';

/**
 * Calls `fn` until it succeeds, it throws something `shouldRetry` rejects, or `maxRetries`
 * retries are spent, waiting `backoffDelay(n)` — or the remote's `Retry-After`, capped by
 * `maxRetryAfterMs` — before retry n. The **last** error is rethrown with an `attempts`
 * property (total calls made). The caller's abort ends everything at once and is rethrown as
 * an abort, never retried.
 *
 * Called with options only, returns a reusable {@link RetryPolicy} for `wrap()` (options
 * checked at once; bad ones throw `INVALID_CONFIG`).
 *
 * @example
 * ```ts
 * const body = await retry(({ signal }) => fetchJson(url, { signal }), {
 *   maxRetries: 5,
 *   retryDelayMs: 200,
 *   onRetry: ({ attempt, delayMs }) => log.warn(`retry ${attempt} in ${delayMs} ms`),
 * });
 * const policy = wrap(retry({ maxRetries: 3 }), breaker, timeout(30_000));
 * ```
 */
export function retry(options?: RetryOptions): RetryPolicy;
export function retry<T>(
  fn: (context: RetryContext) => PromiseLike<T> | T,
  options?: RetryOptions,
): Promise<T>;
export function retry<T>(
  fnOrOptions?: ((context: RetryContext) => PromiseLike<T> | T) | RetryOptions,
  options: RetryOptions = {},
): Promise<T> | RetryPolicy {
  if (typeof fnOrOptions !== 'function') return new RetryPolicy(fnOrOptions);
  let policy: RetryPolicy;
  try {
    policy = new RetryPolicy(options);
  } catch (error) {
    return Promise.reject(error);
  }
  return policy.execute(fnOrOptions, options.signal);
}

export { type RetryContext, type RetryOptions, RetryPolicy } from './retry-policy.js';
