/**
 * The per-upload lock of the tus routes, over the forge's {@link LockManager} (in-process in
 * an embedded server, Redis with REDIS_URL, so instances behind one balancer exclude each
 * other). A held lock is renewed while its request runs; a process that dies holding it
 * frees it after `ttlMs`.
 *
 * A request that finds the lock held by a request of this process asks that one to let go
 * (@tus/server then stops reading its body after its drain time, keeping the bytes so far)
 * and takes the lock once it is free, waiting up to `takeoverMs`: a client resuming after its
 * connection died unseen (no FIN, the old request still waiting for bytes) gets its upload
 * back in about a second, not after the body's idle timeout. The offset it then reads with
 * HEAD counts every byte the old request stored. Held by another instance (which cannot be
 * asked), or not freed in time, the answer is 423 `UPLOAD_LOCKED` at once (tus clients retry
 * 423).
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, FileForgeError, type LockManager } from '@fileforge/core';
import type { Locker, RequestRelease, Lock as TusLock } from '@tus/server';

/** Options for {@link createUploadLocker}. */
export interface UploadLockerOptions {
  /** How long a lock stays held without renewal (a dead holder's). @default 30000 */
  ttlMs?: number;
  /** How long a request waits for a holder of this process it asked to let go. @default 5000 */
  takeoverMs?: number;
  /** Pause between tries while waiting. @default 25 */
  retryMs?: number;
}

/** Creates the tus `Locker` over `locks`. */
export function createUploadLocker(locks: LockManager, options: UploadLockerOptions = {}): Locker {
  const { ttlMs = 30_000, takeoverMs = 5000, retryMs = 25 } = options;
  /** The requests of this process holding an upload's lock, each with its way to be asked to let go. */
  const holders = new Map<string, RequestRelease>();

  const acquire = (id: string) =>
    locks.acquire(`upload:${id}`, { ttlMs }).catch((error: unknown) => {
      throw new FileForgeError(ErrorCode.LOCKS_UNAVAILABLE, '[fileforge:uploads] Lock store unavailable', {
        cause: error,
      });
    });

  /** Asks this process's holder of `id` to let go, then tries until it did, `takeoverMs` at most. */
  async function takeOver(id: string, signal: AbortSignal) {
    const release = holders.get(id);
    if (!release) return null;
    await release();
    const deadline = Date.now() + takeoverMs;
    while (!signal.aborted && Date.now() < deadline) {
      await sleep(retryMs);
      const lock = await acquire(id);
      if (lock) return lock;
    }
    return null;
  }

  return {
    newLock(id: string): TusLock {
      let held: Awaited<ReturnType<LockManager['acquire']>> = null;
      let renewal: NodeJS.Timeout | undefined;
      let ours: RequestRelease | undefined;
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
          ours = requestRelease;
          holders.set(id, requestRelease);
          renewal = setInterval(
            () => void locks.renew(lock, ttlMs).catch(() => {}),
            Math.max(1, Math.floor(ttlMs / 3)),
          );
          renewal.unref();
        },
        async unlock() {
          clearInterval(renewal);
          if (ours && holders.get(id) === ours) holders.delete(id);
          ours = undefined;
          const lock = held;
          held = null;
          if (lock) await locks.release(lock).catch(() => {});
        },
      };
    },
  };
}
