import { ErrorCode } from '../errors/codes.js';
import { FileForgeError } from '../errors/fileforge-error.js';

/**
 * How a delay is randomised so that many clients retrying at once spread out:
 * `none` (the exact exponential delay), `full` (anywhere in [0, d)), `equal` (in [d/2, d)),
 * `decorrelated` (grows from the previous delay, ignoring the exponent).
 */
export type Jitter = 'none' | 'full' | 'equal' | 'decorrelated';

/** Options for {@link backoffDelay}. */
export interface BackoffOptions {
  /** Delay before the first retry, before jitter. @default 1000 */
  retryDelayMs?: number;
  /** No delay exceeds this. @default 10000 */
  maxRetryDelayMs?: number;
  /** Growth factor per retry. @default 2 */
  exponentialBase?: number;
  /** @default 'full' */
  jitter?: Jitter;
  /** Random source in [0, 1); out-of-range values are clamped. @default Math.random */
  random?: () => number;
  /**
   * `decorrelated` only: the delay used before the previous retry (start: `retryDelayMs`).
   * `retry()` threads it for you.
   * @default retryDelayMs
   */
  previousDelayMs?: number;
}

/** Backoff options with every default applied and checked. */
export type ResolvedBackoff = Required<Omit<BackoffOptions, 'previousDelayMs'>>;

const JITTERS: readonly Jitter[] = ['none', 'full', 'equal', 'decorrelated'];

/** `INVALID_CONFIG` for a bad resilience option, raised before anything runs. */
export function invalidOption(message: string, subsystem = 'retry'): FileForgeError {
  return new FileForgeError(ErrorCode.INVALID_CONFIG, `[fileforge:${subsystem}] ${message}`);
}

function nonNegative(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidOption(`"${name}" must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}

/** Applies defaults and rejects options that could yield NaN or an infinite delay. */
export function resolveBackoff(options: BackoffOptions = {}): ResolvedBackoff {
  const jitter = options.jitter ?? 'full';
  if (!JITTERS.includes(jitter)) {
    throw invalidOption(`"jitter" must be one of ${JITTERS.join(', ')}, got ${String(jitter)}`);
  }
  const exponentialBase = nonNegative('exponentialBase', options.exponentialBase ?? 2);
  if (exponentialBase === 0) throw invalidOption('"exponentialBase" must be > 0');
  return {
    retryDelayMs: nonNegative('retryDelayMs', options.retryDelayMs ?? 1000),
    maxRetryDelayMs: nonNegative('maxRetryDelayMs', options.maxRetryDelayMs ?? 10_000),
    exponentialBase,
    jitter,
    random: options.random ?? Math.random,
  };
}

/** A draw in [0, 1), whatever the injected source returns. */
function draw(random: () => number): number {
  const r = random();
  if (!(r > 0)) return 0; // NaN, negatives, -0
  return r < 1 ? r : 1 - Number.EPSILON;
}

/**
 * The delay in ms before retry `n` (0 = the first retry):
 * `d(n) = min(maxRetryDelayMs, retryDelayMs × exponentialBase^n)`, then jittered —
 * full `r × d(n)`, equal `d(n)/2 + r × d(n)/2`, decorrelated
 * `min(cap, base + r × (3 × prev − base))`. Always a finite number in [0, maxRetryDelayMs].
 *
 * @example
 * ```ts
 * backoffDelay(2, { retryDelayMs: 100, jitter: 'none' }); // 400
 * ```
 */
export function backoffDelay(n: number, options: BackoffOptions = {}): number {
  const {
    retryDelayMs: base,
    maxRetryDelayMs: cap,
    exponentialBase,
    jitter,
    random,
  } = resolveBackoff(options);
  if (jitter === 'decorrelated') {
    const previous = options.previousDelayMs;
    // Our own delays never exceed the cap; clamping a larger injected one keeps 3 × prev finite.
    const prev =
      typeof previous === 'number' && Number.isFinite(previous) && previous >= 0
        ? Math.min(previous, cap)
        : base;
    const spread = Math.max(0, 3 * prev - base);
    return Math.min(cap, base + draw(random) * spread);
  }
  const exponent = Number.isFinite(n) && n > 0 ? n : 0;
  // base 0 with an overflowing power would give 0 × Infinity = NaN.
  const d = base === 0 ? 0 : Math.min(cap, base * exponentialBase ** exponent);
  switch (jitter) {
    case 'none':
      return d;
    case 'full':
      return draw(random) * d;
    case 'equal':
      // the min guards float rounding of the halves at the very smallest magnitudes
      return Math.min(d, d / 2 + (draw(random) * d) / 2);
  }
}
