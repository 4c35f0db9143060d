import { randomUUID } from 'node:crypto';
import { type LockManager, type LockPrimitives, lockManagerOf } from './lock-manager.js';

/** Options for {@link createInProcessLockManager}. */
export interface InProcessLockManagerOptions {
  /** Clock in ms (expiry). @default Date.now */
  now?: () => number;
}

/**
 * Locks held in this process's memory: the embedded default. They order the work of one
 * process (and of several forges in it that share the manager); they mean nothing to another
 * process: instances on several machines need {@link createRedisLockManager}.
 *
 * @example
 * ```ts
 * const locks = createInProcessLockManager();
 * await locks.withLock('report', async () => build(), { ttlMs: 30_000, waitMs: 5_000 });
 * ```
 */
export function createInProcessLockManager(options: InProcessLockManagerOptions = {}): LockManager {
  const now = options.now ?? Date.now;
  const held = new Map<string, { token: string; expiresAt: number }>();
  let fence = 0;
  const live = (key: string) => {
    const entry = held.get(key);
    if (entry && entry.expiresAt <= now()) {
      held.delete(key);
      return undefined;
    }
    return entry;
  };
  const store: LockPrimitives = {
    kind: 'in-process',
    async tryAcquire(key, token, ttlMs) {
      if (live(key)) return null;
      held.set(key, { token, expiresAt: now() + ttlMs });
      return { fence: ++fence };
    },
    async renew(key, token, ttlMs) {
      const entry = live(key);
      if (entry?.token !== token) return false;
      entry.expiresAt = now() + ttlMs;
      return true;
    },
    async release(key, token) {
      if (live(key)?.token !== token) return false;
      held.delete(key);
      return true;
    },
    async ping() {},
    async close() {},
  };
  return lockManagerOf(store, randomUUID);
}
