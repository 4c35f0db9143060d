import { invalidOption } from './backoff.js';

/**
 * When a closed circuit opens: fed every handled outcome while closed, it answers whether
 * the circuit opens now. Reset whenever the circuit closes.
 */
export interface BreakerStrategy {
  /**
   * Records a success; true when the circuit must open now all the same (a sampling window
   * whose failure ratio still reaches its threshold once it has seen enough calls).
   */
  success(now: number): boolean;
  /** Records a handled failure; true when the circuit must open now. */
  failure(now: number): boolean;
  reset(): void;
  /** JSON-safe state for `CircuitBreaker.toJSON()`. */
  toJSON(): unknown;
  restore(state: unknown): void;
}

/**
 * The default: opens **at** the `openAfterFailures`-th consecutive handled failure; any
 * success starts the count again.
 */
export class ConsecutiveStrategy implements BreakerStrategy {
  private count = 0;

  constructor(private readonly threshold: number) {
    if (!Number.isInteger(threshold) || threshold < 1) {
      throw invalidOption(`"openAfterFailures" must be an integer ≥ 1, got ${String(threshold)}`, 'circuit');
    }
  }

  success(): boolean {
    this.count = 0;
    return false;
  }

  failure(): boolean {
    this.count++;
    return this.count >= this.threshold;
  }

  reset(): void {
    this.count = 0;
  }

  toJSON(): unknown {
    return { consecutiveFailures: this.count };
  }

  restore(state: unknown): void {
    const n = (state as { consecutiveFailures?: unknown } | undefined)?.consecutiveFailures;
    this.count = typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : 0;
  }
}
