/**
 * The per-upload lock of the tus routes, over the forge's {@link LockManager} (in-process in
 * an embedded server, Redis with REDIS_URL, so instances behind one balancer exclude each
 * other). A held lock is renewed while its request runs; a process that dies holding it
 * frees it after `ttlMs`.
 *
 * A request that finds the lock held asks the holder to let go (`LockManager.askRelease`:
 * in this process, or through Redis in any instance) and takes the lock once it is free,
 * waiting up to `takeoverMs`. The holder's @tus/server request then stops reading its body
 * after its drain time, keeping the bytes so far. So a client resuming after its connection
 * died unseen (no FIN, the old request still waiting for bytes) gets its upload back in about
 * a second, not after the body's idle timeout, whichever instance the balancer sends it to;
 * the offset it then reads with HEAD counts every byte the old request stored. A holder that
 * does not let go in time (a dead instance, whose lock falls free at `ttlMs`) gets the answer
 * 423 `UPLOAD_LOCKED` (tus clients retry 423).
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, FileForgeError, type Lock, type LockManager } from '@fileforge/core';
import type { Locker, Lock as TusLock } from '@tus/server';

/** Options for {@link createUploadLocker}. */
export interface UploadLockerOptions {
  /** How long a lock stays held without renewal (a dead holder's). @default 30000 */
  ttlMs?: number;
  /** How long a request waits for the holder it asked to let go. @default 5000 */
  takeoverMs?: number;
  /** How often the request is sent again while waiting (a holder still subscribing). @default 1000 */
  askEveryMs?: number;
  /** Pause between tries while waiting. @default 25 */
  retryMs?: number;
}

/** Creates the tus `Locker` over `locks`. */
export function createUploadLocker(locks: LockManager, options: UploadLockerOptions = {}): Locker {
  const { ttlMs = 30_000, takeoverMs = 5000, askEveryMs = 1000, retryMs = 25 } = options;
  const key = (id: string) => `upload:${id}`;
  const unavailable = (error: unknown) =>
    new FileForgeError(ErrorCode.LOCKS_UNAVAILABLE, '[fileforge:uploads] Lock store unavailable', {
      cause: error,
    });
  const acquire = (id: string) =>
    locks.acquire(key(id), { ttlMs }).catch((error: unknown) => {
      throw unavailable(error);
    });

  /** Asks the holder of `id` to let go, then tries until it did, `takeoverMs` at most. */
  async function takeOver(id: string, signal: AbortSignal) {
    const deadline = Date.now() + takeoverMs;
    let askedAt = Number.NEGATIVE_INFINITY;
    while (!signal.aborted && Date.now() < deadline) {
      if (Date.now() - askedAt >= askEveryMs) {
        askedAt = Date.now();
        await locks.askRelease(key(id)).catch((error: unknown) => {
          throw unavailable(error);
        });
      }
      await sleep(retryMs);
      const lock = await acquire(id);
      if (lock) return lock;
    }
    return null;
  }

  return {
    newLock(id: string): TusLock {
      let held: Lock | null = null;
      let renewal: NodeJS.Timeout | undefined;
      let stopListening: (() => void) | undefined;
      return {
        async lock(signal, requestRelease) {
          const lock = (await acquire(id)) ?? (await takeOver(id, signal));
          if (!lock) {
            throw new FileForgeError(
              ErrorCode.UPLOAD_LOCKED,
              'Another request is writing to this upload; retry when it has finished',
              { details: { retryAfterSeconds: 1 } },
            );
          }
          held = lock;
          stopListening = locks.onReleaseAsked(lock, requestRelease);
          renewal = setInterval(
            () => void locks.renew(lock, ttlMs).catch(() => {}),
            Math.max(1, Math.floor(ttlMs / 3)),
          );
          renewal.unref();
        },
        async unlock() {
          clearInterval(renewal);
          stopListening?.();
          stopListening = undefined;
          const lock = held;
          held = null;
          if (lock) await locks.release(lock).catch(() => {});
        },
      };
    },
  };
}
