import { backoffDelay, resolveBackoff } from '../resilience/backoff.js';

/** Computes the delay before retry number `attempt` (1 = first retry). */
export type Backoff = (attempt: number) => number;

/** Options for {@link exponentialBackoff}. */
export interface ExponentialBackoffOptions {
  /** @default 1000 */
  initialMs?: number;
  /** @default 60000 */
  maxMs?: number;
  /** Random source in [0, 1) for the jitter. @default Math.random */
  random?: () => number;
}

/**
 * Exponential backoff with "equal" jitter (`backoffDelay` of the resilience module): a whole
 * number of ms drawn from [d/2, d] where d = initial·2^(n-1), capped at `maxMs`.
 */
export function exponentialBackoff(options: ExponentialBackoffOptions = {}): Backoff {
  const resolved = resolveBackoff({
    retryDelayMs: options.initialMs ?? 1000,
    maxRetryDelayMs: options.maxMs ?? 60_000,
    exponentialBase: 2,
    jitter: 'equal',
    ...(options.random ? { random: options.random } : {}),
  });
  return (attempt) => Math.round(backoffDelay(Math.max(0, attempt - 1), resolved));
}
