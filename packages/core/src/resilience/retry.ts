import { abortError, sleep as defaultSleep } from './abort.js';
import { type BackoffOptions, backoffDelay, invalidOption, resolveBackoff } from './backoff.js';
import { isRetryableError, retryAfterMsOf } from './retryable.js';

/** What `retry()` passes to the action on each call. */
export interface RetryContext {
  /** 0 for the first call, then the number of the retry (1, 2, …), as in `onRetry`. */
  attempt: number;
  /** The caller's signal (one that never aborts when none was given). */
  signal: AbortSignal;
}

/** Options for {@link retry}. Backoff options are those of `backoffDelay()`. */
export interface RetryOptions extends Omit<BackoffOptions, 'previousDelayMs'> {
  /** Retries after the first call: total calls = `maxRetries + 1`. @default 3 */
  maxRetries?: number;
  /** Cap on a `Retry-After` the remote sent (429/503); a longer wait is cut to this. @default 60000 */
  maxRetryAfterMs?: number;
  /** Whether an error is worth another attempt. @default isRetryableError */
  shouldRetry?: (error: unknown) => boolean;
  /** Waits between attempts; must reject when `signal` aborts. @default a setTimeout sleep */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Aborting stops at once, during an attempt or a delay; rejects with `ABORTED` (or the reason, when a FileForge error). */
  signal?: AbortSignal;
  /** Called before each delay; `attempt` is the retry about to happen (from 1). */
  onRetry?: (event: { attempt: number; delayMs: number; error: unknown }) => void;
  /** Called once when the call finally fails (not on the caller's abort). */
  onGiveUp?: (event: { error: unknown; attempts: number }) => void;
}

const NEVER = new AbortController().signal;

function recordAttempts(error: unknown, attempts: number): void {
  if (typeof error !== 'object' || error === null) return;
  try {
    Object.defineProperty(error, 'attempts', { value: attempts, configurable: true, writable: true });
  } catch {
    // a frozen error keeps its shape; the count is also in onGiveUp
  }
}

/** Runs one attempt, but settles as soon as `signal` aborts even if the action ignores it. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal === NEVER) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal, 'retry'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Calls `fn` until it succeeds, it throws something `shouldRetry` rejects, or `maxRetries`
 * retries are spent, waiting `backoffDelay(n)` — or the remote's `Retry-After`, capped by
 * `maxRetryAfterMs` — before retry n. The **last** error is rethrown with an `attempts`
 * property (total calls made). The caller's abort ends everything at once and is rethrown as
 * an abort, never retried.
 *
 * @example
 * ```ts
 * const body = await retry(({ signal }) => fetchJson(url, { signal }), {
 *   maxRetries: 5,
 *   retryDelayMs: 200,
 *   onRetry: ({ attempt, delayMs }) => log.warn(`retry ${attempt} in ${delayMs} ms`),
 * });
 * ```
 */
export async function retry<T>(
  fn: (context: RetryContext) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const backoff = resolveBackoff(options);
  const maxRetries = options.maxRetries ?? 3;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw invalidOption(`"maxRetries" must be an integer ≥ 0, got ${String(maxRetries)}`);
  }
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  if (!Number.isFinite(maxRetryAfterMs) || maxRetryAfterMs < 0) {
    throw invalidOption(`"maxRetryAfterMs" must be a finite number ≥ 0, got ${String(maxRetryAfterMs)}`);
  }
  const shouldRetry = options.shouldRetry ?? isRetryableError;
  const sleep = options.sleep ?? defaultSleep;
  const signal = options.signal ?? NEVER;
  let previousDelayMs = backoff.retryDelayMs;

  for (let attempt = 0; ; attempt++) {
    if (signal.aborted) throw abortError(signal, 'retry');
    try {
      const work = Promise.resolve().then(() => fn({ attempt, signal }));
      work.catch(() => {}); // may reject after an abort has already settled the race
      return await raceAbort(work, signal);
    } catch (error) {
      if (signal.aborted) throw abortError(signal, 'retry');
      const attempts = attempt + 1;
      if (attempt >= maxRetries || !shouldRetry(error)) {
        recordAttempts(error, attempts);
        options.onGiveUp?.({ error, attempts });
        throw error;
      }
      const retryAfter = retryAfterMsOf(error);
      const delayMs =
        retryAfter === undefined
          ? backoffDelay(attempt, { ...backoff, previousDelayMs })
          : Math.min(retryAfter, maxRetryAfterMs);
      previousDelayMs = delayMs;
      options.onRetry?.({ attempt: attempts, delayMs, error });
      try {
        await sleep(delayMs, signal === NEVER ? undefined : signal);
      } catch (sleepError) {
        if (signal.aborted) throw abortError(signal, 'retry');
        throw sleepError;
      }
      // an injected sleep may resolve even though the signal fired meanwhile
      if (signal.aborted) throw abortError(signal, 'retry');
    }
  }
}
