/**
 * Polite retries: which requests may be repeated, how long `Retry-After` asks to wait, and an
 * abortable sleep.
 * @module
 */

/** How the client retries idempotent requests answered 429 or 503. */
export interface RetryOptions {
  /**
   * Attempts in all, the first included; `1` turns retrying off.
   * @default 4
   */
  attempts?: number;
  /**
   * Wait when the server sends no `Retry-After`, doubled for each further attempt.
   * @default 500
   */
  baseDelayMs?: number;
  /**
   * The longest wait the client accepts; a `Retry-After` beyond it ends the retries (the
   * caller sees the 429/503) rather than stalling for minutes.
   * @default 30000
   */
  maxDelayMs?: number;
}

/** {@link RetryOptions} with every default applied. */
export type RetryPolicy = Required<RetryOptions>;

/** Applies the defaults of {@link RetryOptions}; `false` means a single attempt. */
export function retryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) return { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 };
  const policy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 30_000, ...options };
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) {
    throw new TypeError('[fileforge:client] retry.attempts must be an integer of at least 1');
  }
  return policy;
}

/** Statuses that mean "try again later". */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** Methods whose repetition changes nothing more than the first call did. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Whether a request may be sent again: an idempotent method, or one carrying an `Idempotency-Key`. */
export function isIdempotent(method: string, headers: Headers): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase()) || headers.has('idempotency-key');
}

/**
 * Milliseconds a `Retry-After` header asks for: delta-seconds or an HTTP date; `undefined`
 * when absent or unreadable.
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
