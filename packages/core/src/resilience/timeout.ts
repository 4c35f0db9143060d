import { ErrorCode } from '../errors/codes.js';
import { FileForgeError, type FileForgeErrorOptions } from '../errors/fileforge-error.js';
import { abortError } from './abort.js';
import { invalidOption } from './backoff.js';

/** Thrown by {@link withTimeout} when the deadline passes; code `TIMEOUT`, retryable by default. */
export class TimeoutError extends FileForgeError {
  /** The deadline that passed, in ms. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number, message?: string, options: FileForgeErrorOptions = {}) {
    super(ErrorCode.TIMEOUT, message ?? `[fileforge:timeout] Did not finish within ${timeoutMs} ms`, {
      ...options,
      details: { timeoutMs, ...options.details },
    });
    this.timeoutMs = timeoutMs;
  }
}

// setTimeout fires at once for delays past 2^31 − 1 ms; such a deadline is as good as none.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs `fn` with a signal that aborts at the deadline, and rejects with {@link TimeoutError}
 * at the deadline even if `fn` ignores the signal (its late result is dropped). The caller's
 * own `signal` propagates into `fn`'s and rejects with `ABORTED` (or its reason, when a
 * FileForge error) — never reported as a timeout. The timer and listener are removed when the
 * call settles, so nothing leaks over many calls.
 *
 * @param timeoutMs Deadline in ms (> 0); `Infinity` means none.
 * @example
 * ```ts
 * const text = await withTimeout((signal) => extract(file, { signal }), 30_000, jobSignal);
 * ```
 */
export function withTimeout<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<T> {
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs <= 0) {
    return Promise.reject(invalidOption(`"timeoutMs" must be a number > 0, got ${String(timeoutMs)}`));
  }
  if (signal?.aborted) return Promise.reject(abortError(signal, 'timeout'));
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      const error = abortError(signal!, 'timeout');
      controller.abort(error);
      settle(() => reject(error));
    };
    const settle = (finish: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      finish();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs <= MAX_TIMER_MS) {
      timer = setTimeout(() => {
        const error = new TimeoutError(timeoutMs);
        controller.abort(error);
        settle(() => reject(error));
      }, timeoutMs);
    }
    Promise.resolve()
      .then(() => fn(controller.signal))
      .then(
        (value) => settle(() => resolve(value)),
        (error) => settle(() => reject(error)),
      );
  });
}
