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
 * With `storageUrl` set to `redis://…` the failure records live in Redis (one hash per name,
 * expiring `forgetAfterSeconds` after its last failure), so every server process sharing that
 * Redis counts the same failures and honours the same lock-outs; while Redis cannot be reached
 * each process counts in memory meanwhile. The cap on concurrent checks is per process.
 * Otherwise state lives in memory, per process, bounded to `maxEntries` names (the least
 * recently touched are forgotten first); a record is forgotten `forgetAfterSeconds` after its
 * last failure. No timers: expiry is checked when a name is next seen.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '@fileforge/core';
import { createRedisFailureStore } from './login-failures-redis.js';

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
  /**
   * `redis://` / `rediss://` shares the failure counts between all server processes (the
   * server passes RATELIMIT_STORAGE_URL, else REDIS_URL); `memory://` counts per process.
   * @default 'memory://'
   */
  storageUrl?: string;
  /** Prefix of the Redis keys. @default 'fileforge:login' */
  keyPrefix?: string;
  /** Hears Redis errors (each process counts in memory meanwhile). @default ignore */
  onStoreError?: (error: Error) => void;
}

/** One attempt in progress: report how it ended exactly once (await it before answering). */
export interface LoginAttempt {
  /** The password was right: the name's failures are cleared. */
  succeeded(): Promise<void>;
  /** The password was wrong (or the name unknown): counts towards the lock-out. */
  failed(): Promise<void>;
  /** The attempt ended without a verdict (e.g. the server was busy): counts for nothing. */
  abandoned(): void;
}

/** Tracks failures per login name. */
export interface LoginThrottle {
  /** Starts an attempt for `name`; rejects `RATE_LIMITED` (with `retryAfterSeconds`) while it is locked. */
  begin(name: string): Promise<LoginAttempt>;
  /** Resolves once the store is connected; rejects (`INVALID_CONFIG`) if Redis cannot be reached. */
  ready(): Promise<void>;
  /** Disconnects from Redis. */
  close(): Promise<void>;
}

/** A name's failure record as a store keeps it. */
export interface FailureRecord {
  failures: number;
  lockedUntil: number;
  lastFailureAt: number;
}

/** Where failure records live: this process's memory, or Redis shared by all processes. */
export interface FailureStore {
  /** The record of `name` at `at` (a record idle for longer than the forget window reads as empty). */
  read(name: string, at: number): Promise<FailureRecord>;
  /** Counts one failure at `failedAt`; `lockFor(failures)` gives the lock-out it earns (ms). */
  fail(name: string, failedAt: number, lockFor: (failures: number) => number): Promise<void>;
  /** Clears the record of `name`. */
  clear(name: string): Promise<void>;
  ready(): Promise<void>;
  close(): Promise<void>;
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

/** The in-memory store: per process, bounded to `maxEntries` names, least recently touched dropped first. */
export function createMemoryFailureStore(forgetAfterMs: number, maxEntries: number): FailureStore {
  const entries = new Map<string, FailureRecord>();
  /** The record of `name`, moved to the most recently touched end; stale records start afresh. */
  function touch(name: string, at: number): FailureRecord {
    let entry = entries.get(name);
    entries.delete(name);
    if (entry && entry.failures > 0 && at - entry.lastFailureAt > forgetAfterMs) entry = undefined;
    entry ??= { failures: 0, lockedUntil: 0, lastFailureAt: 0 };
    entries.set(name, entry);
    while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    return entry;
  }
  return {
    async read(name, at) {
      const entry = touch(name, at);
      if (entry.failures === 0) entries.delete(name);
      return { ...entry };
    },
    async fail(name, failedAt, lockFor) {
      const entry = touch(name, failedAt);
      entry.failures++;
      entry.lastFailureAt = failedAt;
      const lock = lockFor(entry.failures);
      if (lock > 0) entry.lockedUntil = Math.max(entry.lockedUntil, failedAt + lock);
    },
    async clear(name) {
      entries.delete(name);
    },
    ready: async () => {},
    close: async () => {},
  };
}

/**
 * Creates the throttle.
 *
 * @example
 * ```ts
 * const throttle = createLoginThrottle({ freeFailures: 5, maxLockSeconds: 900, storageUrl: 'redis://127.0.0.1:6379' });
 * const attempt = await throttle.begin(email); // rejects RATE_LIMITED while locked
 * if (await passwordMatches()) await attempt.succeeded(); else await attempt.failed();
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

  const memory = createMemoryFailureStore(forgetAfterMs, maxEntries);
  const storageUrl = options.storageUrl || 'memory://';
  let store = memory;
  if (!/^memory:\/\//i.test(storageUrl)) {
    if (!/^rediss?:\/\//i.test(storageUrl) || !URL.canParse(storageUrl))
      throw invalid('The login throttle storage must be a redis://, rediss:// or memory:// URL');
    store = createRedisFailureStore({
      url: storageUrl,
      keyPrefix: options.keyPrefix ?? 'fileforge:login',
      forgetAfterMs,
      insurance: memory,
      ...(options.onStoreError ? { onError: options.onStoreError } : {}),
    });
  }
  /** Checks running per name in this process (the store cannot see them). */
  const inFlight = new Map<string, number>();
  const lockFor = (failures: number) => lockoutMs(failures, policy);

  return {
    async begin(rawName) {
      const name = rawName.trim().toLowerCase();
      const at = now();
      const record = await store.read(name, at);
      if (record.lockedUntil > at) throw refused(record.lockedUntil - at);
      // Concurrent checks may not outrun the count: only as many as there are free failures left.
      const allowance = Math.max(1, policy.freeFailures - record.failures);
      const running = inFlight.get(name) ?? 0;
      if (running >= allowance) throw refused(1000);
      inFlight.set(name, running + 1);
      let done = false;
      const release = () => {
        const left = (inFlight.get(name) ?? 1) - 1;
        if (left > 0) inFlight.set(name, left);
        else inFlight.delete(name);
      };
      /** Records the verdict once; the check stays counted as running until the store has it. */
      const finish = async (record?: () => Promise<void>) => {
        if (done) return;
        done = true;
        try {
          await record?.();
        } finally {
          release();
        }
      };
      return {
        succeeded: () => finish(() => store.clear(name)),
        failed: () => finish(() => store.fail(name, now(), lockFor)),
        abandoned: () => void finish(),
      };
    },
    ready: () => store.ready(),
    close: () => store.close(),
  };
}
