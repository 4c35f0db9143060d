/**
 * Locks shared by the instances of one deployment (the `LockManager` adapter family).
 *
 * What a lock here means — and what it does not:
 *
 * - **Owner token.** `acquire` answers a {@link Lock} carrying a random `token`; only that
 *   token renews or releases it (compare-and-delete), so an instance whose lock expired can
 *   never release the lock another instance holds now.
 * - **Expiry.** Every lock has a TTL. An instance that dies (crash, `kill -9`, lost network)
 *   stops renewing and its locks fall free after at most `ttlMs`; nothing waits for an
 *   operator. {@link LockManager.withLock} renews at a third of the TTL while its function runs.
 * - **Fencing.** A lock is a lease, not a guarantee: a holder paused longer than its TTL (a
 *   long GC, a stopped VM, a partition from Redis) may still be running when the next holder
 *   starts. Each grant therefore carries a `fence` number that only grows (for one manager
 *   store); a resource that remembers the highest fence it accepted can refuse the stale
 *   holder. FileForge's own uses keep a final compare-and-set in the catalog (a record's path
 *   changes only from the place the move read; a claim id can become one record only), so a
 *   lock lost that way costs duplicate work, never a duplicate effect. The lock is what makes
 *   the normal case do the work once.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '../errors/index.js';

/** A lock held by this process. */
export interface Lock {
  /** The key locked (without the manager's prefix). */
  readonly key: string;
  /** The owner's random token: only it renews or releases the lock. */
  readonly token: string;
  /** Grows with every grant of any key by this manager's store: give it to resources that can fence. */
  readonly fence: number;
}

/** Options for {@link LockManager.acquire}. */
export interface AcquireOptions {
  /** How long the lock lives unless renewed (ms, ≥ 1). */
  ttlMs: number;
  /** How long to wait for a lock held by someone else before giving up (ms). @default 0: one try */
  waitMs?: number;
  /** Pause between tries while waiting (ms); jittered. @default 25 */
  retryMs?: number;
  /** Stops waiting (rejects with the signal's reason). */
  signal?: AbortSignal;
}

/** Options for {@link LockManager.withLock}. */
export interface WithLockOptions extends AcquireOptions {}

/** A lock store: in-process (embedded) or Redis (shared by every instance). */
export interface LockManager {
  /** Which store this is (`in-process`, `redis`). */
  readonly kind: string;
  /** Takes `key` for `ttlMs`; `null` when someone else still holds it after `waitMs`. */
  acquire(key: string, options: AcquireOptions): Promise<Lock | null>;
  /** Extends a held lock to `ttlMs` from now; `false` when it is no longer ours (expired, taken). */
  renew(lock: Lock, ttlMs: number): Promise<boolean>;
  /** Releases a lock if it is still ours; `false` when it had expired or been taken. */
  release(lock: Lock): Promise<boolean>;
  /**
   * Runs `fn` holding `key`: acquires (waiting up to `waitMs`), renews every `ttlMs / 3`
   * while `fn` runs, releases afterwards. `fn`'s signal aborts when a renewal finds the lock
   * lost. Rejects with `CONFLICT` (`details.reason: 'locked'`, see {@link isLockBusy}) when
   * the lock stays taken.
   */
  withLock<T>(
    key: string,
    fn: (lock: Lock, signal: AbortSignal) => Promise<T>,
    options: WithLockOptions,
  ): Promise<T>;
  /**
   * Asks whoever holds `key` to let go: every handler registered for it with
   * {@link LockManager.onReleaseAsked} runs, in this process or (Redis) in any instance on the
   * same Redis and prefix. A request, not a release: it resolves once sent, and whether the
   * holder let go shows in the next `acquire`. A holder that registered nothing (or is dead)
   * never hears it; its lock falls free at its TTL.
   */
  askRelease(key: string): Promise<void>;
  /**
   * Registers `handler` to run when someone asks for `lock.key` (see {@link LockManager.askRelease}).
   * Returns the function that unregisters it; call it when the lock is released. The handler
   * should only start letting go (it runs from the store's message callback; what it throws is
   * ignored).
   */
  onReleaseAsked(lock: Lock, handler: () => void): () => void;
  /** Round trip to the store (health checks); resolves at once in-process. */
  ping(): Promise<void>;
  /** Closes the store's connection (when the manager opened it). Held locks expire by TTL. */
  close(): Promise<void>;
}

/** A lock store's primitive operations: what an implementation provides; {@link lockManagerOf} adds the rest. */
export interface LockPrimitives {
  kind: string;
  /** One try: the new lock, or `null` when the key is held. */
  tryAcquire(key: string, token: string, ttlMs: number): Promise<{ fence: number } | null>;
  renew(key: string, token: string, ttlMs: number): Promise<boolean>;
  release(key: string, token: string): Promise<boolean>;
  /**
   * Sends a release request for `key` to every manager on this store, this one included.
   * Absent for a store of one process: the manager then hands it to its own handlers.
   */
  publishRelease?(key: string): Promise<void>;
  /** Starts handing the release requests published for any key to `deliver` (called once). */
  subscribeReleases?(deliver: (key: string) => void): void;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** True for the error {@link LockManager.withLock} rejects with when the lock stays taken. */
export function isLockBusy(error: unknown): boolean {
  return (
    FileForgeError.is(error) &&
    error.code === ErrorCode.CONFLICT &&
    (error.details as { reason?: string } | undefined)?.reason === 'locked'
  );
}

function invalid(message: string): FileForgeError {
  return new FileForgeError(ErrorCode.INVALID_CONFIG, `[fileforge:locks] ${message}`);
}

function checkTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs < 1) throw invalid(`"ttlMs" must be an integer ≥ 1, got ${ttlMs}`);
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Builds a {@link LockManager} (waiting, renewal, `withLock`) over a store's primitives. */
export function lockManagerOf(store: LockPrimitives, newToken: () => string): LockManager {
  const acquire: LockManager['acquire'] = async (key, options) => {
    checkTtl(options.ttlMs);
    const waitMs = options.waitMs ?? 0;
    const retryMs = options.retryMs ?? 25;
    const deadline = Date.now() + waitMs;
    const token = newToken();
    for (;;) {
      options.signal?.throwIfAborted();
      let granted: { fence: number } | null;
      try {
        granted = await store.tryAcquire(key, token, options.ttlMs);
      } catch (error) {
        // The grant may have landed with its answer lost: give it back, or the key stays held
        // by nobody until its TTL (every acquire meanwhile answered "locked"). Unreachable,
        // the store lets it expire.
        await store.release(key, token).catch(() => {});
        throw error;
      }
      if (granted) return { key, token, fence: granted.fence };
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await pause(Math.min(left, retryMs * (0.5 + Math.random())), options.signal);
    }
  };
  /** Release handlers of this process's holders, by key. */
  const asked = new Map<string, Set<() => void>>();
  const deliver = (key: string) => {
    for (const handler of [...(asked.get(key) ?? [])]) {
      try {
        handler();
      } catch {
        // A holder's handler failing must not reach the store's message callback.
      }
    }
  };
  let subscribed = false;
  return {
    kind: store.kind,
    acquire,
    async askRelease(key) {
      if (store.publishRelease) await store.publishRelease(key);
      else deliver(key);
    },
    onReleaseAsked(lock, handler) {
      if (!subscribed && store.subscribeReleases) {
        subscribed = true;
        store.subscribeReleases(deliver);
      }
      const handlers = asked.get(lock.key) ?? new Set();
      asked.set(lock.key, handlers);
      // Wrapped, so one handler registered twice is also removed twice.
      const entry = () => handler();
      handlers.add(entry);
      return () => {
        handlers.delete(entry);
        if (handlers.size === 0 && asked.get(lock.key) === handlers) asked.delete(lock.key);
      };
    },
    renew: (lock, ttlMs) => {
      checkTtl(ttlMs);
      return store.renew(lock.key, lock.token, ttlMs);
    },
    release: (lock) => store.release(lock.key, lock.token),
    async withLock(key, fn, options) {
      const lock = await acquire(key, options);
      if (!lock) {
        throw new FileForgeError(
          ErrorCode.CONFLICT,
          `[fileforge:locks] "${key}" is locked by another instance`,
          {
            details: { reason: 'locked', key },
          },
        );
      }
      const lost = new AbortController();
      const timer = setInterval(
        () => {
          store.renew(key, lock.token, options.ttlMs).then(
            (held) => {
              if (!held) lost.abort(lockLost(key));
            },
            (err: unknown) => {
              // The store is unreachable: the lock may expire before it answers again.
              lost.abort(lockLost(key, err));
            },
          );
        },
        Math.max(1, Math.floor(options.ttlMs / 3)),
      );
      timer.unref?.();
      try {
        return await fn(lock, lost.signal);
      } finally {
        clearInterval(timer);
        await store.release(key, lock.token).catch(() => {});
      }
    },
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

function lockLost(key: string, cause?: unknown): FileForgeError {
  return new FileForgeError(
    ErrorCode.CONFLICT,
    `[fileforge:locks] Lost the lock on "${key}" (expired or unreachable)`,
    {
      details: { reason: 'lock-lost', key },
      ...(cause === undefined ? {} : { cause }),
    },
  );
}
