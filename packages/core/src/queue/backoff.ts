/** Computes the delay before retry number `attempt` (1 = first retry). */
export type Backoff = (attempt: number) => number;

/** Options for {@link exponentialBackoff}. */
export interface ExponentialBackoffOptions {
  /** @default 1000 */
  initialMs?: number;
  /** @default 60000 */
  maxMs?: number;
  /** Random source in [0, 1) for full jitter. @default Math.random */
  random?: () => number;
}

/**
 * Exponential backoff with "decorrelated" full jitter: a delay drawn from
 * [initial·2^(n-1)/2, initial·2^(n-1)], capped at `maxMs`.
 */
export function exponentialBackoff(options: ExponentialBackoffOptions = {}): Backoff {
  const initial = options.initialMs ?? 1000;
  const max = options.maxMs ?? 60_000;
  const random = options.random ?? Math.random;
  return (attempt) => {
    const ceiling = Math.min(max, initial * 2 ** Math.max(0, attempt - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  };
}
