/**
 * When an attempt that failed is tried again: Svix's schedule (5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 10 h after the first attempt; 8 attempts in all), each delay jittered by ±20 %, and a
 * `Retry-After` on 429/503 honoured within [d, 2d] of the scheduled delay d.
 *
 * @module
 */

/** Delays (ms) after attempts 1, 2, …; its length + 1 is the number of attempts. */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

/** Options for {@link retryDelay}. */
export interface RetryDelayOptions {
  schedule: readonly number[];
  /** ± fraction of each delay. @default 0.2 */
  jitter: number;
  /** Uniform in [0, 1). @default Math.random */
  random: () => number;
}

/**
 * The delay before attempt `attempt + 1` after attempt `attempt` failed, or `null` when the
 * schedule is exhausted. `retryAfterMs` (from a 429/503) moves it within [d, 2d].
 */
export function retryDelay(
  attempt: number,
  options: RetryDelayOptions,
  retryAfterMs?: number,
): number | null {
  const base = options.schedule[attempt - 1];
  if (base === undefined) return null;
  const d = Math.round(base * (1 + options.jitter * (2 * options.random() - 1)));
  if (retryAfterMs === undefined) return d;
  return Math.min(Math.max(retryAfterMs, d), 2 * d);
}

/** The `Retry-After` header (seconds or an HTTP date) in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
