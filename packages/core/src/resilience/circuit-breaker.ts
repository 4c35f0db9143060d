import { invalidOption } from './backoff.js';
import { type BreakerStrategy, ConsecutiveStrategy } from './breaker-strategy.js';
import { Emitter, type Listener, type Unsubscribe } from './emitter.js';
import { BrokenCircuitError, IsolatedCircuitError, withoutStack } from './errors.js';
import { NEVER_SIGNAL, type Policy, type PolicyContext } from './policy.js';
import { type SamplingOptions, SamplingStrategy } from './sampling.js';

/**
 * How this works: a closed circuit runs every call and feeds each *handled* outcome to its
 * strategy (consecutive failures by default, or a sampling window). When the strategy says so
 * the circuit opens and rejects calls with {@link BrokenCircuitError} without running them.
 * There is no timer: the first call at or after the break lets exactly one probe through
 * (`half-open`); its success closes the circuit, its failure opens it for another break.
 */

/** `closed` runs calls; `open` and `half-open` reject them (but one probe); `isolated` is held open by hand. */
export type CircuitState = 'closed' | 'open' | 'half-open' | 'isolated';

/** The typed events of a {@link CircuitBreaker}. */
export interface CircuitBreakerEvents {
  /** The circuit opened (from closed, from a failed probe, or by `isolate()`). */
  break: { error?: unknown; result?: unknown; isolated: boolean; breakMs: number };
  /** The circuit closed again (a probe succeeded, or the last isolation handle was disposed). */
  reset: undefined;
  /** The break is over and this call is the probe. */
  halfOpen: undefined;
  stateChange: { from: CircuitState; to: CircuitState };
  /** A call succeeded (its result was not a handled failure). */
  success: undefined;
  /** A call failed with a handled error or result. */
  failure: { error?: unknown; result?: unknown };
}

/** Counters for health reports (`getHaStats()`); counts are since the breaker was created or restored. */
export interface CircuitBreakerStats {
  state: CircuitState;
  failureCount: number;
  successCount: number;
  rejectedCount: number;
  /** Clock time of the last handled failure, or null. */
  lastFailureAt: number | null;
  /** Clock time the circuit last opened, or null while it has never opened or is closed. */
  openedAt: number | null;
}

/** What `toJSON()` returns and the `restore` option accepts. */
export interface CircuitBreakerSnapshot extends CircuitBreakerStats {
  /** When the current break ends (open only). */
  openUntil: number | null;
  /** Re-opens since the circuit last closed (drives `breakBackoff`). */
  reopens: number;
  strategy: unknown;
}

/** A growing break: the n-th consecutive re-open (n = 0 first) lasts `min(maxResetTimeoutMs, resetTimeoutMs × exponentialBase^n)`. */
export interface BreakBackoffOptions {
  /** @default 2 */
  exponentialBase?: number;
  /** The longest break. */
  maxResetTimeoutMs: number;
}

/** Options for {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /**
   * Consecutive policy: the circuit opens **at** this many consecutive handled failures
   * (seed knob `circuit_open_after_failures`). Ignored when `sampling` is set. @default 5
   */
  openAfterFailures?: number;
  /** Failure ratio over a rolling window instead of a consecutive count; see {@link SamplingOptions}. */
  sampling?: SamplingOptions;
  /** How long the circuit stays open before one probe (seed knob `circuit_reset_timeout_ms`). @default 30000 */
  resetTimeoutMs?: number;
  /** Lengthen the break over consecutive failed probes; reset when the circuit closes. @default none (fixed break) */
  breakBackoff?: BreakBackoffOptions;
  /**
   * Which thrown errors count as failures; others are rethrown untouched and change no
   * counter. The caller's own abort never counts. @default every error
   */
  handles?: (error: unknown) => boolean;
  /** Which results count as failures (the result is still returned). @default none */
  handlesResult?: (result: unknown) => boolean;
  /** Clock in ms. @default Date.now */
  now?: () => number;
  /** A `toJSON()` snapshot to continue from (an open circuit stays open for the rest of its break). */
  restore?: CircuitBreakerSnapshot;
}

/** Ends an isolation; disposing twice is harmless. */
export interface IsolationHandle {
  dispose(): void;
}

/**
 * A circuit breaker; use it alone (`breaker.execute(fn)`) or inside `wrap()`.
 *
 * @example
 * ```ts
 * const breaker = new CircuitBreaker({ openAfterFailures: 5, resetTimeoutMs: 30_000 });
 * breaker.on('break', () => log.warn('CRM circuit opened'));
 * const account = await breaker.execute(({ signal }) => crm.getAccount(id, { signal }));
 * ```
 */
export class CircuitBreaker implements Policy {
  private readonly events = new Emitter<CircuitBreakerEvents>();
  private readonly strategy: BreakerStrategy;
  private readonly resetTimeoutMs: number;
  private readonly breakBackoff: Required<BreakBackoffOptions> | undefined;
  private readonly handles: ((error: unknown) => boolean) | undefined;
  private readonly handlesResult: ((result: unknown) => boolean) | undefined;
  private readonly now: () => number;
  private readonly neverContext: PolicyContext = { signal: NEVER_SIGNAL };
  private current: CircuitState = 'closed';
  private openedAt: number | null = null;
  private openUntil = 0;
  private reopens = 0;
  private probing = false;
  private isolations = 0;
  private failureCount = 0;
  private successCount = 0;
  private rejectedCount = 0;
  private lastFailureAt: number | null = null;

  constructor(options: CircuitBreakerOptions = {}) {
    this.strategy = options.sampling
      ? new SamplingStrategy(options.sampling)
      : new ConsecutiveStrategy(options.openAfterFailures ?? 5);
    this.resetTimeoutMs = options.resetTimeoutMs ?? 30_000;
    if (!(this.resetTimeoutMs >= 0 && Number.isFinite(this.resetTimeoutMs))) {
      throw invalidOption(
        `"resetTimeoutMs" must be a finite number ≥ 0, got ${String(options.resetTimeoutMs)}`,
        'circuit',
      );
    }
    if (options.breakBackoff) {
      const { exponentialBase = 2, maxResetTimeoutMs } = options.breakBackoff;
      if (!(exponentialBase >= 1 && Number.isFinite(exponentialBase))) {
        throw invalidOption(
          `"breakBackoff.exponentialBase" must be a finite number ≥ 1, got ${exponentialBase}`,
          'circuit',
        );
      }
      if (!(maxResetTimeoutMs >= this.resetTimeoutMs && Number.isFinite(maxResetTimeoutMs))) {
        throw invalidOption(
          `"breakBackoff.maxResetTimeoutMs" must be finite and ≥ resetTimeoutMs`,
          'circuit',
        );
      }
      this.breakBackoff = { exponentialBase, maxResetTimeoutMs };
    }
    this.handles = options.handles;
    this.handlesResult = options.handlesResult;
    this.now = options.now ?? Date.now;
    if (options.restore) this.restoreFrom(options.restore);
  }

  /** The state now; an open circuit whose break is over still reads `open` until the next call probes. */
  get state(): CircuitState {
    return this.current;
  }

  /** Listens to a typed event; returns a function that removes the listener. */
  on<K extends keyof CircuitBreakerEvents>(
    event: K,
    listener: Listener<CircuitBreakerEvents[K]>,
  ): Unsubscribe {
    return this.events.on(event, listener);
  }

  /**
   * Runs `fn` when the circuit allows it. Rejects with {@link BrokenCircuitError} (open, or a
   * probe already running) or {@link IsolatedCircuitError} without calling `fn`.
   */
  execute<T>(fn: (context: PolicyContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> {
    if (this.current === 'closed') return this.run(fn, signal, false);
    return this.admit(fn, signal);
  }

  /**
   * Holds the circuit open by hand until every handle returned is disposed (reference-counted).
   *
   * @example
   * ```ts
   * const handle = breaker.isolate(); // maintenance window
   * // … later
   * handle.dispose();
   * ```
   */
  isolate(): IsolationHandle {
    this.isolations++;
    if (this.current !== 'isolated') {
      this.openedAt = this.now();
      this.probing = false;
      this.transition('isolated');
      this.events.emit('break', { isolated: true, breakMs: Number.POSITIVE_INFINITY });
    }
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        this.isolations--;
        if (this.isolations === 0 && this.current === 'isolated') this.close();
      },
    };
  }

  /** Counters for health reports. */
  stats(): CircuitBreakerStats {
    return {
      state: this.current,
      failureCount: this.failureCount,
      successCount: this.successCount,
      rejectedCount: this.rejectedCount,
      lastFailureAt: this.lastFailureAt,
      openedAt: this.current === 'closed' ? null : this.openedAt,
    };
  }

  /** A JSON-safe snapshot; pass it as `restore` to continue where this breaker was. */
  toJSON(): CircuitBreakerSnapshot {
    return {
      ...this.stats(),
      openUntil: this.current === 'open' ? this.openUntil : null,
      reopens: this.reopens,
      strategy: this.strategy.toJSON(),
    };
  }

  private restoreFrom(snapshot: CircuitBreakerSnapshot): void {
    this.failureCount = snapshot.failureCount;
    this.successCount = snapshot.successCount;
    this.rejectedCount = snapshot.rejectedCount;
    this.lastFailureAt = snapshot.lastFailureAt;
    this.openedAt = snapshot.openedAt;
    this.reopens = snapshot.reopens;
    this.strategy.restore(snapshot.strategy);
    switch (snapshot.state) {
      case 'open':
        this.current = 'open';
        this.openUntil = snapshot.openUntil ?? Number.NEGATIVE_INFINITY;
        break;
      case 'half-open':
        // the probe died with the old process: open, with the break already over
        this.current = 'open';
        this.openUntil = Number.NEGATIVE_INFINITY;
        break;
      case 'isolated':
        // no handle survives a restart; the next isolate().dispose() closes it
        this.current = 'isolated';
        break;
      default:
        this.current = 'closed';
    }
  }

  private admit<T>(fn: (context: PolicyContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> {
    if (this.current === 'isolated') {
      this.rejectedCount++;
      return Promise.reject(withoutStack(() => new IsolatedCircuitError()));
    }
    if (this.current === 'open') {
      const left = this.openUntil - this.now();
      if (left > 0) {
        this.rejectedCount++;
        return Promise.reject(withoutStack(() => new BrokenCircuitError(left)));
      }
      this.probing = true;
      this.transition('half-open');
      this.events.emit('halfOpen', undefined);
      return this.run(fn, signal, true);
    }
    if (!this.probing) {
      // the last probe ended with an error outside the filter: this call probes instead
      this.probing = true;
      return this.run(fn, signal, true);
    }
    // half-open with its probe running: fail fast
    this.rejectedCount++;
    return Promise.reject(withoutStack(() => new BrokenCircuitError(0)));
  }

  private async run<T>(
    fn: (context: PolicyContext) => PromiseLike<T> | T,
    signal: AbortSignal | undefined,
    probe: boolean,
  ): Promise<T> {
    let result: T;
    try {
      result = await fn(signal === undefined || signal === NEVER_SIGNAL ? this.neverContext : { signal });
    } catch (error) {
      if (signal?.aborted || (this.handles !== undefined && !this.handles(error))) {
        if (probe) this.probing = false; // inconclusive: the next call probes
      } else {
        this.failed(probe, error, undefined);
      }
      throw error;
    }
    if (this.handlesResult?.(result)) this.failed(probe, undefined, result);
    else this.succeeded(probe);
    return result;
  }

  private succeeded(probe: boolean): void {
    this.successCount++;
    if (this.current === 'closed') {
      const now = this.now();
      if (this.strategy.success(now)) this.open(now, undefined, undefined);
    } else if (probe && this.current === 'half-open') this.close();
    this.events.emit('success', undefined);
  }

  private failed(probe: boolean, error: unknown, result: unknown): void {
    const now = this.now();
    this.failureCount++;
    this.lastFailureAt = now;
    if (this.events.has('failure'))
      this.events.emit('failure', result === undefined ? { error } : { result });
    if (this.current === 'closed') {
      if (this.strategy.failure(now)) this.open(now, error, result);
    } else if (probe && this.current === 'half-open') {
      this.reopens++;
      this.open(now, error, result);
    }
  }

  private open(now: number, error: unknown, result: unknown): void {
    const backoff = this.breakBackoff;
    const breakMs = backoff
      ? Math.min(backoff.maxResetTimeoutMs, this.resetTimeoutMs * backoff.exponentialBase ** this.reopens)
      : this.resetTimeoutMs;
    this.openedAt = now;
    this.openUntil = now + breakMs;
    this.probing = false;
    this.transition('open');
    this.events.emit('break', {
      ...(result === undefined ? { error } : { result }),
      isolated: false,
      breakMs,
    });
  }

  private close(): void {
    this.strategy.reset();
    this.reopens = 0;
    this.probing = false;
    this.openedAt = null;
    this.transition('closed');
    this.events.emit('reset', undefined);
  }

  private transition(to: CircuitState): void {
    const from = this.current;
    this.current = to;
    if (from !== to) this.events.emit('stateChange', { from, to });
  }
}
