import { ErrorCode } from '../errors/codes.js';
import { FileForgeError, type FileForgeErrorOptions } from '../errors/fileforge-error.js';
import { abortError } from './abort.js';
import { invalidOption } from './backoff.js';
import { nameError } from './errors.js';
import { NEVER_SIGNAL, type Policy, type PolicyContext } from './policy.js';

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
    nameError(this, 'TimeoutError');
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
    return Promise.reject(
      invalidOption(`"timeoutMs" must be a number > 0, got ${String(timeoutMs)}`, 'timeout'),
    );
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

/**
 * The context a {@link TimeoutPolicy} hands its action. The `AbortController` is made only
 * when the action reads `signal`: building one costs microseconds, and many actions (cached
 * reads, in-memory work) never look at it. Read after the deadline, the signal is already aborted.
 */
class DeadlineContext implements PolicyContext {
  private controller: AbortController | undefined;
  private aborted = false;
  private reason: unknown;

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}

/** A per-attempt deadline as a policy for `wrap()`; made by {@link timeout}. */
export class TimeoutPolicy implements Policy {
  constructor(readonly timeoutMs: number) {
    if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs <= 0) {
      throw invalidOption(`"timeoutMs" must be a number > 0, got ${String(timeoutMs)}`, 'timeout');
    }
  }

  /**
   * Runs `fn` under the deadline, with the semantics of {@link withTimeout}: the context's
   * signal aborts at the deadline and the call rejects with {@link TimeoutError} then, even if
   * `fn` ignores it; the caller's abort propagates and rejects as an abort. Timer and listener
   * are removed as soon as the call settles.
   */
  execute<T>(fn: (context: PolicyContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError(signal, 'timeout'));
    const caller = signal === NEVER_SIGNAL ? undefined : signal;
    const timeoutMs = this.timeoutMs;
    const context = new DeadlineContext();
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        settled = true;
        if (timer !== undefined) clearTimeout(timer);
        caller?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        const error = abortError(caller!, 'timeout');
        context.abort(error);
        finish();
        reject(error);
      };
      if (timeoutMs <= MAX_TIMER_MS) {
        timer = setTimeout(() => {
          if (settled) return;
          const error = new TimeoutError(timeoutMs);
          context.abort(error);
          finish();
          reject(error);
        }, timeoutMs);
      }
      caller?.addEventListener('abort', onAbort, { once: true });
      let result: PromiseLike<T> | T;
      try {
        result = fn(context);
      } catch (error) {
        finish();
        reject(error);
        return;
      }
      Promise.resolve(result).then(
        (value) => {
          if (settled) return;
          finish();
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          finish();
          reject(error);
        },
      );
    });
  }
}

/**
 * A timeout policy: each `execute()` gets a signal aborting at `timeoutMs` (seed knob
 * `timeout_ms`) and rejects with {@link TimeoutError} at the deadline even if the action
 * ignores it. Bad deadlines throw `INVALID_CONFIG` here, not on first use.
 *
 * @param timeoutMs Deadline in ms (> 0); `Infinity` means none. @default 30000
 * @example
 * ```ts
 * const perAttempt = timeout(5_000);
 * const page = await perAttempt.execute(({ signal }) => fetch(url, { signal }));
 * ```
 */
export function timeout(timeoutMs = 30_000): TimeoutPolicy {
  return new TimeoutPolicy(timeoutMs);
}
