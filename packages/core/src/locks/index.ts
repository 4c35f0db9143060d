/**
 * Locks shared between the instances of a deployment: in-process (embedded) or Redis.
 *
 * @module
 */
export { createInProcessLockManager, type InProcessLockManagerOptions } from './in-process.js';
export {
  type AcquireOptions,
  isLockBusy,
  type Lock,
  type LockManager,
  type LockPrimitives,
  lockManagerOf,
  type WithLockOptions,
} from './lock-manager.js';
export { type OpenLockManagerOptions, openLockManager } from './open.js';
export { createRedisLockManager, type RedisLockManagerOptions } from './redis.js';
