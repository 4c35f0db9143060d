import { abortError, sleep as defaultSleep } from './abort.js';
import {
  type BackoffOptions,
  backoffDelay,
  invalidOption,
  type ResolvedBackoff,
  resolveBackoff,
} from './backoff.js';
import { Emitter, type Listener, type Unsubscribe } from './emitter.js';
import { NEVER_SIGNAL, type Policy } from './policy.js';
import { isRetryableError, retryAfterMsOf } from './retryable.js';

/** What a retried action receives on each call. */
export interface RetryContext {
  /** 0 for the first call, then the number of the retry (1, 2, …), as in `onRetry`. */
  attempt: number;
  /** The caller's signal (one that never aborts when none was given). */
  signal: AbortSignal;
}

/** The typed events of a {@link RetryPolicy}. */
export interface RetryEvents {
  /** Before each delay; `attempt` is the retry about to happen (from 1). */
  retry: { attempt: number; delayMs: number; error: unknown };
  /** Once, when the call finally fails (not on the caller's abort). */
  giveUp: { error: unknown; attempts: number };
}

/** Options for `retry()`. Backoff options are those of `backoffDelay()`. */
export interface RetryOptions extends Omit<BackoffOptions, 'previousDelayMs'> {
  /** Retries after the first call: total calls = `maxRetries + 1` (seed knob `max_retries`). @default 3 */
  maxRetries?: number;
  /** Cap on a `Retry-After` the remote sent (429/503); a longer wait is cut to this. @default 60000 */
  maxRetryAfterMs?: number;
  /**
   * Whether an error is worth another attempt: network errors, timeouts, 408/429/5xx; never
   * 4xx validation, a `BrokenCircuitError` or an abort. @default isRetryableError
   */
  shouldRetry?: (error: unknown) => boolean;
  /** Waits between attempts; must reject when `signal` aborts. @default a setTimeout sleep (cleared on abort) */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Aborting stops at once, during an attempt or a delay; rejects with `ABORTED` (or the reason, when a FileForge error). */
  signal?: AbortSignal;
  /** Called before each delay; `attempt` is the retry about to happen (from 1). Same as the `retry` event. */
  onRetry?: (event: RetryEvents['retry']) => void;
  /** Called once when the call finally fails (not on the caller's abort). Same as the `giveUp` event. */
  onGiveUp?: (event: RetryEvents['giveUp']) => void;
}

function recordAttempts(error: unknown, attempts: number): void {
  if (typeof error !== 'object' || error === null) return;
  try {
    Object.defineProperty(error, 'attempts', { value: attempts, configurable: true, writable: true });
  } catch {
    // a frozen error keeps its shape; the count is also in giveUp
  }
}

/** Settles as soon as `signal` aborts even if the attempt ignores it. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal, 'retry'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Retry as a reusable policy: options are checked once, here, and `execute()` runs the loop
 * of `retry()` (see there). Made by `retry(options)`.
 */
export class RetryPolicy implements Policy {
  private readonly events = new Emitter<RetryEvents>();
  private readonly backoff: ResolvedBackoff;
  private readonly maxRetries: number;
  private readonly maxRetryAfterMs: number;
  private readonly shouldRetry: (error: unknown) => boolean;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly options: RetryOptions;

  constructor(options: RetryOptions = {}) {
    this.backoff = resolveBackoff(options);
    const maxRetries = options.maxRetries ?? 3;
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      throw invalidOption(`"maxRetries" must be an integer ≥ 0, got ${String(maxRetries)}`);
    }
    const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    if (!Number.isFinite(maxRetryAfterMs) || maxRetryAfterMs < 0) {
      throw invalidOption(`"maxRetryAfterMs" must be a finite number ≥ 0, got ${String(maxRetryAfterMs)}`);
    }
    this.maxRetries = maxRetries;
    this.maxRetryAfterMs = maxRetryAfterMs;
    this.shouldRetry = options.shouldRetry ?? isRetryableError;
    this.sleep = options.sleep ?? defaultSleep;
    this.options = options;
  }

  /** Listens to a typed event; returns a function that removes the listener. */
  on<K extends keyof RetryEvents>(event: K, listener: Listener<RetryEvents[K]>): Unsubscribe {
    return this.events.on(event, listener);
  }

  /** Runs `fn` until it succeeds or retrying is over; see `retry()`. */
  async execute<T>(fn: (context: RetryContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> {
    const caller = signal ?? this.options.signal ?? NEVER_SIGNAL;
    if (caller !== NEVER_SIGNAL) return this.loop(fn, caller);
    // the common case, kept lean: no signal to watch, and the first attempt succeeds
    try {
      return await fn({ attempt: 0, signal: caller });
    } catch (error) {
      return this.loop(fn, caller, error);
    }
  }

  /** The retry loop; `firstError` when attempt 0 already ran (and failed) in `execute()`. */
  private async loop<T>(
    fn: (context: RetryContext) => PromiseLike<T> | T,
    caller: AbortSignal,
    ...firstError: [unknown?]
  ): Promise<T> {
    let previousDelayMs = this.backoff.retryDelayMs;
    for (let attempt = 0; ; attempt++) {
      let error: unknown;
      if (attempt === 0 && firstError.length > 0) {
        error = firstError[0];
      } else {
        if (caller.aborted) throw abortError(caller, 'retry');
        try {
          if (caller === NEVER_SIGNAL) return await fn({ attempt, signal: caller });
          const work = Promise.resolve().then(() => fn({ attempt, signal: caller }));
          work.catch(() => {}); // may reject after an abort has already settled the race
          return await raceAbort(work, caller);
        } catch (thrown) {
          error = thrown;
        }
      }
      if (caller.aborted) throw abortError(caller, 'retry');
      const attempts = attempt + 1;
      if (attempt >= this.maxRetries || !this.shouldRetry(error)) {
        recordAttempts(error, attempts);
        this.options.onGiveUp?.({ error, attempts });
        this.events.emit('giveUp', { error, attempts });
        throw error;
      }
      const retryAfter = retryAfterMsOf(error);
      const delayMs =
        retryAfter === undefined
          ? backoffDelay(attempt, { ...this.backoff, previousDelayMs })
          : Math.min(retryAfter, this.maxRetryAfterMs);
      previousDelayMs = delayMs;
      const event = { attempt: attempts, delayMs, error };
      this.options.onRetry?.(event);
      this.events.emit('retry', event);
      try {
        await this.sleep(delayMs, caller === NEVER_SIGNAL ? undefined : caller);
      } catch (sleepError) {
        if (caller.aborted) throw abortError(caller, 'retry');
        throw sleepError;
      }
      // an injected sleep may resolve even though the signal fired meanwhile
      if (caller.aborted) throw abortError(caller, 'retry');
    }
  }
}
