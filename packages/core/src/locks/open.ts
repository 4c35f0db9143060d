import { createInProcessLockManager } from './in-process.js';
import type { LockManager } from './lock-manager.js';
import { createRedisLockManager } from './redis.js';

/** Options for {@link openLockManager}. */
export interface OpenLockManagerOptions {
  /** REDIS_URL: locks shared by every instance on that Redis. @default none: in-process locks */
  url?: string;
  /** Key prefix in Redis. @default 'fileforge:lock:' */
  prefix?: string;
  /** Clock of the in-process manager. @default Date.now */
  now?: () => number;
}

/**
 * The one place that chooses the lock store: Redis when a URL is given (every instance of a
 * scaled-out deployment must see the same locks), in-process otherwise (embedded: one process).
 */
export function openLockManager(options: OpenLockManagerOptions = {}): LockManager {
  if (options.url) {
    return createRedisLockManager({
      url: options.url,
      ...(options.prefix ? { prefix: options.prefix } : {}),
    });
  }
  return createInProcessLockManager(options.now ? { now: options.now } : {});
}
