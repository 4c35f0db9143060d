/**
 * The per-upload lock of the tus routes, over the forge's {@link LockManager} (in-process in
 * an embedded server, Redis with REDIS_URL, so instances behind one balancer exclude each
 * other). Unlike @tus/server's own locker it never waits and never asks the holder to let go:
 * a second request on an upload that one is writing is answered 423 `UPLOAD_LOCKED` at once
 * (tus clients retry 423). A held lock is renewed while its request runs; a process that dies
 * holding it frees it after `ttlMs`.
 *
 * @module
 */
import { ErrorCode, FileForgeError, type LockManager } from '@fileforge/core';
import type { Locker, Lock as TusLock } from '@tus/server';

/** Creates the tus `Locker` over `locks`. */
export function createUploadLocker(locks: LockManager, ttlMs = 30_000): Locker {
  return {
    newLock(id: string): TusLock {
      let held: Awaited<ReturnType<LockManager['acquire']>> = null;
      let renewal: NodeJS.Timeout | undefined;
      return {
        async lock() {
          const lock = await locks.acquire(`upload:${id}`, { ttlMs }).catch((error: unknown) => {
            throw new FileForgeError(
              ErrorCode.LOCKS_UNAVAILABLE,
              '[fileforge:uploads] Lock store unavailable',
              {
                cause: error,
              },
            );
          });
          if (!lock) {
            throw new FileForgeError(
              ErrorCode.UPLOAD_LOCKED,
              'Another request is writing to this upload; retry when it has finished',
              { details: { retryAfterSeconds: 1 } },
            );
          }
          held = lock;
          renewal = setInterval(
            () => void locks.renew(lock, ttlMs).catch(() => {}),
            Math.max(1, Math.floor(ttlMs / 3)),
          );
          renewal.unref();
        },
        async unlock() {
          clearInterval(renewal);
          const lock = held;
          held = null;
          if (lock) await locks.release(lock).catch(() => {});
        },
      };
    },
  };
}
