/**
 * Per-account login throttling with exponential back-off. The key is the login name (the
 * email), not the client address, so spreading guesses over many addresses buys nothing.
 *
 * How this works: the first `freeFailures` wrong passwords cost nothing; each one after that
 * locks the name for `baseLockSeconds`, doubling per further failure up to `maxLockSeconds`.
 * While locked, attempts are refused with 429 `RATE_LIMITED` before any password is checked
 * (so a guess in the window cannot succeed and costs no hashing). A correct password clears
 * the record. Names that do not exist are throttled exactly the same way, so the answers
 * never tell which emails have accounts. Attempts running at once are counted too: a name
 * with `n` free failures left takes at most `n` concurrent checks (one once it is locking),
 * so parallel requests cannot squeeze extra guesses into a window.
 *
 * State lives in memory, per process, bounded to `maxEntries` names (the least recently
 * touched are forgotten first); a record is forgotten `forgetAfterSeconds` after its last
 * failure. No timers: expiry is checked when a name is next seen.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '@fileforge/core';

/** Options for {@link createLoginThrottle}. */
export interface LoginThrottleOptions {
  /** Wrong passwords allowed before the first lock-out (LOGIN_FREE_FAILURES). @default 5 */
  freeFailures?: number;
  /** The first lock-out; each further failure doubles it. @default 1 */
  baseLockSeconds?: number;
  /** The longest lock-out (LOGIN_LOCKOUT_MAX_SECONDS). @default 900 (15 minutes) */
  maxLockSeconds?: number;
  /** A name's failures are forgotten this long after its last one. @default 86400 (a day) */
  forgetAfterSeconds?: number;
  /** Most names tracked at once; the least recently touched are dropped beyond it. @default 50000 */
  maxEntries?: number;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
}

/** One attempt in progress: report how it ended exactly once. */
export interface LoginAttempt {
  /** The password was right: the name's failures are cleared. */
  succeeded(): void;
  /** The password was wrong (or the name unknown): counts towards the lock-out. */
  failed(): void;
  /** The attempt ended without a verdict (e.g. the server was busy): counts for nothing. */
  abandoned(): void;
}

/** Tracks failures per login name. */
export interface LoginThrottle {
  /** Starts an attempt for `name`; throws `RATE_LIMITED` (with `retryAfterSeconds`) while it is locked. */
  begin(name: string): LoginAttempt;
}

interface Entry {
  failures: number;
  inFlight: number;
  lockedUntil: number;
  lastFailureAt: number;
}

const invalid = (message: string) =>
  new FileForgeError(ErrorCode.INVALID_CONFIG, `[fileforge:auth] ${message}`);

const refused = (ms: number) =>
  new FileForgeError(ErrorCode.RATE_LIMITED, 'Too many failed logins for this account; retry later', {
    details: { retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) },
  });

/** The lock-out after `failures` wrong passwords, in milliseconds (0 while failures are free). */
export function lockoutMs(
  failures: number,
  policy: { freeFailures: number; baseLockSeconds: number; maxLockSeconds: number },
): number {
  const over = failures - policy.freeFailures;
  if (over <= 0) return 0;
  return Math.min(policy.maxLockSeconds, policy.baseLockSeconds * 2 ** Math.min(over - 1, 40)) * 1000;
}

/**
 * Creates the throttle.
 *
 * @example
 * ```ts
 * const throttle = createLoginThrottle({ freeFailures: 5, maxLockSeconds: 900 });
 * const attempt = throttle.begin(email); // throws RATE_LIMITED while locked
 * if (await passwordMatches()) attempt.succeeded(); else attempt.failed();
 * ```
 */
export function createLoginThrottle(options: LoginThrottleOptions = {}): LoginThrottle {
  const policy = {
    freeFailures: options.freeFailures ?? 5,
    baseLockSeconds: options.baseLockSeconds ?? 1,
    maxLockSeconds: options.maxLockSeconds ?? 900,
  };
  const forgetAfterMs = (options.forgetAfterSeconds ?? 86_400) * 1000;
  const maxEntries = options.maxEntries ?? 50_000;
  const now = options.now ?? Date.now;
  if (!Number.isInteger(policy.freeFailures) || policy.freeFailures < 0)
    throw invalid(`freeFailures must be a non-negative integer, got ${policy.freeFailures}`);
  if (!(policy.baseLockSeconds > 0) || !(policy.maxLockSeconds >= policy.baseLockSeconds))
    throw invalid('Login lock-outs need 0 < baseLockSeconds ≤ maxLockSeconds');
  if (!Number.isInteger(maxEntries) || maxEntries < 1)
    throw invalid(`maxEntries must be a positive integer, got ${maxEntries}`);

  const entries = new Map<string, Entry>();

  /** The entry of `name`, moved to the most recently touched end; stale records start afresh. */
  function touch(name: string, at: number): Entry {
    let entry = entries.get(name);
    entries.delete(name);
    if (entry && entry.inFlight === 0 && entry.failures > 0 && at - entry.lastFailureAt > forgetAfterMs) {
      entry = undefined;
    }
    entry ??= { failures: 0, inFlight: 0, lockedUntil: 0, lastFailureAt: 0 };
    entries.set(name, entry);
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next().value as string;
      entries.delete(oldest);
    }
    return entry;
  }

  /** Drops an entry that holds nothing worth keeping. */
  function settle(name: string, entry: Entry) {
    if (entry.failures === 0 && entry.inFlight === 0 && entries.get(name) === entry) entries.delete(name);
  }

  return {
    begin(rawName) {
      const name = rawName.trim().toLowerCase();
      const at = now();
      const entry = touch(name, at);
      if (entry.lockedUntil > at) throw refused(entry.lockedUntil - at);
      // Concurrent checks may not outrun the count: only as many as there are free failures left.
      const allowance = Math.max(1, policy.freeFailures - entry.failures);
      if (entry.inFlight >= allowance) throw refused(1000);
      entry.inFlight++;
      let done = false;
      const finish = (outcome: 'succeeded' | 'failed' | 'abandoned') => {
        if (done) return;
        done = true;
        entry.inFlight--;
        if (outcome === 'succeeded') {
          entry.failures = 0;
          entry.lockedUntil = 0;
        } else if (outcome === 'failed') {
          const failedAt = now();
          entry.failures++;
          entry.lastFailureAt = failedAt;
          const lock = lockoutMs(entry.failures, policy);
          if (lock > 0) entry.lockedUntil = Math.max(entry.lockedUntil, failedAt + lock);
        }
        settle(name, entry);
      };
      return {
        succeeded: () => finish('succeeded'),
        failed: () => finish('failed'),
        abandoned: () => finish('abandoned'),
      };
    },
  };
}
