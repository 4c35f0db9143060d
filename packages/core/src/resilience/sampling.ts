import { invalidOption } from './backoff.js';
import type { BreakerStrategy } from './breaker-strategy.js';

/**
 * The sampling policy: opens when, over the rolling window,
 * `calls >= minimumThroughput && failures / calls >= failureRatio` (inclusive, as Polly and
 * resilience4j). The window is the last `windowSize` calls when that is given, else the
 * last `windowMs` of time (kept in 10 buckets, so memory stays constant under any load).
 */
export interface SamplingOptions {
  /** Failure ratio in (0, 1] at which the circuit opens. */
  failureRatio: number;
  /** Below this many calls in the window the circuit never opens. @default 10 */
  minimumThroughput?: number;
  /** Count-based window: the last N calls. Takes precedence over `windowMs`. */
  windowSize?: number;
  /** Time-based window in ms. @default 30000 */
  windowMs?: number;
}

const BUCKETS = 10;

interface Bucket {
  start: number;
  calls: number;
  failures: number;
}

/** A {@link BreakerStrategy} over a rolling window; see {@link SamplingOptions}. */
export class SamplingStrategy implements BreakerStrategy {
  private readonly ratio: number;
  private readonly minimum: number;
  private readonly size: number | undefined;
  private readonly bucketMs: number;
  /** Count-based: ring of outcomes (true = failure). */
  private ring: boolean[] = [];
  private next = 0;
  /** Time-based: buckets, oldest first. */
  private buckets: Bucket[] = [];

  constructor(options: SamplingOptions) {
    const { failureRatio, minimumThroughput = 10, windowSize, windowMs = 30_000 } = options;
    if (!(failureRatio > 0 && failureRatio <= 1)) {
      throw invalidOption(
        `"sampling.failureRatio" must be in (0, 1], got ${String(failureRatio)}`,
        'circuit',
      );
    }
    if (!Number.isInteger(minimumThroughput) || minimumThroughput < 1) {
      throw invalidOption(
        `"sampling.minimumThroughput" must be an integer ≥ 1, got ${String(minimumThroughput)}`,
        'circuit',
      );
    }
    if (windowSize !== undefined && (!Number.isInteger(windowSize) || windowSize < 1)) {
      throw invalidOption(
        `"sampling.windowSize" must be an integer ≥ 1, got ${String(windowSize)}`,
        'circuit',
      );
    }
    if (!(windowMs > 0 && Number.isFinite(windowMs))) {
      throw invalidOption(
        `"sampling.windowMs" must be a finite number > 0, got ${String(windowMs)}`,
        'circuit',
      );
    }
    this.ratio = failureRatio;
    this.minimum = minimumThroughput;
    this.size = windowSize;
    this.bucketMs = windowMs / BUCKETS;
  }

  success(now: number): boolean {
    this.record(now, false);
    return this.reached();
  }

  failure(now: number): boolean {
    this.record(now, true);
    return this.reached();
  }

  /** `calls >= minimumThroughput && failures / calls >= failureRatio` over the window. */
  private reached(): boolean {
    let calls = 0;
    let failures = 0;
    if (this.size !== undefined) {
      calls = this.ring.length;
      for (const failed of this.ring) if (failed) failures++;
    } else {
      for (const b of this.buckets) {
        calls += b.calls;
        failures += b.failures;
      }
    }
    return calls >= this.minimum && failures / calls >= this.ratio;
  }

  reset(): void {
    this.ring = [];
    this.next = 0;
    this.buckets = [];
  }

  toJSON(): unknown {
    return this.size !== undefined ? { ring: this.ring, next: this.next } : { buckets: this.buckets };
  }

  restore(state: unknown): void {
    const s = state as { ring?: unknown; next?: unknown; buckets?: unknown } | undefined;
    if (this.size !== undefined && Array.isArray(s?.ring)) {
      this.ring = s.ring.slice(0, this.size).map(Boolean);
      this.next = typeof s.next === 'number' ? s.next % this.size : 0;
    } else if (this.size === undefined && Array.isArray(s?.buckets)) {
      this.buckets = (s.buckets as Bucket[]).map((b) => ({
        start: b.start,
        calls: b.calls,
        failures: b.failures,
      }));
    }
  }

  private record(now: number, failed: boolean): void {
    if (this.size !== undefined) {
      if (this.ring.length < this.size) this.ring.push(failed);
      else this.ring[this.next] = failed;
      this.next = (this.next + 1) % this.size;
      return;
    }
    const horizon = now - this.bucketMs * BUCKETS;
    while (this.buckets.length > 0 && this.buckets[0]!.start + this.bucketMs <= horizon) this.buckets.shift();
    let last = this.buckets.at(-1);
    if (!last || now >= last.start + this.bucketMs) {
      last = { start: now - ((now - (last?.start ?? now)) % this.bucketMs), calls: 0, failures: 0 };
      this.buckets.push(last);
    }
    last.calls++;
    if (failed) last.failures++;
  }
}
