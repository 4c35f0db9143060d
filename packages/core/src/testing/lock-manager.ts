import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLockBusy, type LockManager } from '../locks/lock-manager.js';

/**
 * Creates managers for one test. Every call in one test must return a manager on the same
 * store (two "instances" of a deployment), with keys kept apart from other tests (a prefix).
 */
export type LockManagerFactory = () => Promise<{
  /** A new manager on the test's store (call twice for two instances). */
  open(): LockManager;
  teardown(): Promise<void>;
}>;

/**
 * The conformance suite every {@link LockManager} implementation runs unchanged: exclusion,
 * owner-only renew and release, expiry, fencing, waiting, `withLock` and release requests.
 *
 * @example
 * ```ts
 * describeLockManager('in-process', async () => {
 *   const shared = createInProcessLockManager();
 *   return { open: () => shared, teardown: async () => {} };
 * });
 * ```
 */
export function describeLockManager(name: string, factory: LockManagerFactory): void {
  describe(`LockManager conformance: ${name}`, () => {
    let a: LockManager;
    let b: LockManager;
    let teardown: () => Promise<void>;
    beforeEach(async () => {
      const made = await factory();
      a = made.open();
      b = made.open();
      teardown = async () => {
        await a.close();
        await b.close();
        await made.teardown();
      };
    });
    afterEach(async () => teardown());

    it('grants a key to one holder at a time, across instances', async () => {
      const first = await a.acquire('k', { ttlMs: 10_000 });
      expect(first).not.toBeNull();
      expect(await b.acquire('k', { ttlMs: 10_000 })).toBeNull();
      expect(await a.acquire('k', { ttlMs: 10_000 })).toBeNull();
      // Another key is independent.
      expect(await b.acquire('other', { ttlMs: 10_000 })).not.toBeNull();
      expect(await a.release(first!)).toBe(true);
      expect(await b.acquire('k', { ttlMs: 10_000 })).not.toBeNull();
    });

    it('lets only the owner release or renew (a stale token changes nothing)', async () => {
      const mine = await a.acquire('k', { ttlMs: 10_000 });
      const forged = { ...mine!, token: 'not-the-owner' };
      expect(await b.release(forged)).toBe(false);
      expect(await b.renew(forged, 10_000)).toBe(false);
      expect(await b.acquire('k', { ttlMs: 10_000 })).toBeNull();
      expect(await a.release(mine!)).toBe(true);
      // Released once: a second release (or a renew) by the old owner is refused.
      expect(await a.release(mine!)).toBe(false);
      expect(await a.renew(mine!, 10_000)).toBe(false);
    });

    it('frees a lock whose holder stopped renewing after its TTL, and the old owner cannot release the new one', async () => {
      const stale = await a.acquire('k', { ttlMs: 150 });
      expect(stale).not.toBeNull();
      expect(await b.acquire('k', { ttlMs: 10_000 })).toBeNull();
      await delay(400);
      const fresh = await b.acquire('k', { ttlMs: 10_000 });
      expect(fresh).not.toBeNull();
      expect(await a.release(stale!)).toBe(false);
      expect(await a.renew(stale!, 10_000)).toBe(false);
      expect(await a.acquire('k', { ttlMs: 10_000 })).toBeNull();
      expect(fresh!.fence).toBeGreaterThan(stale!.fence);
    });

    it('keeps a renewed lock past its first TTL', async () => {
      const lock = await a.acquire('k', { ttlMs: 1_000 });
      for (let i = 0; i < 5; i++) {
        await delay(300);
        expect(await a.renew(lock!, 1_000)).toBe(true);
      }
      expect(await b.acquire('k', { ttlMs: 10_000 })).toBeNull();
    });

    it('waits up to waitMs for a lock released meanwhile, and gives up when it stays taken', async () => {
      const held = await a.acquire('k', { ttlMs: 10_000 });
      const waiting = b.acquire('k', { ttlMs: 10_000, waitMs: 5_000, retryMs: 10 });
      await delay(100);
      await a.release(held!);
      expect(await waiting).not.toBeNull();
      expect(await a.acquire('k', { ttlMs: 10_000, waitMs: 150, retryMs: 10 })).toBeNull();
    });

    it('hands out fence numbers that grow with every grant', async () => {
      const fences: number[] = [];
      for (const manager of [a, b, a, b]) {
        const lock = await manager.acquire('k', { ttlMs: 10_000 });
        fences.push(lock!.fence);
        await manager.release(lock!);
      }
      expect([...fences].sort((x, y) => x - y)).toEqual(fences);
      expect(new Set(fences).size).toBe(4);
    });

    it('withLock runs one function at a time per key across instances, and releases on error', async () => {
      let inside = 0;
      let most = 0;
      const work = (manager: LockManager) =>
        manager.withLock(
          'k',
          async () => {
            inside++;
            most = Math.max(most, inside);
            await delay(20);
            inside--;
          },
          { ttlMs: 10_000, waitMs: 10_000, retryMs: 5 },
        );
      await Promise.all([a, b, a, b, a, b].map(work));
      expect(most).toBe(1);
      await expect(
        a.withLock('k', async () => Promise.reject(new Error('boom')), { ttlMs: 10_000 }),
      ).rejects.toThrow('boom');
      expect(await b.acquire('k', { ttlMs: 10_000 })).not.toBeNull();
    });

    it('withLock refuses with a lock-busy CONFLICT when the key stays taken, without running the function', async () => {
      await a.acquire('k', { ttlMs: 10_000 });
      let ran = false;
      const error = await b
        .withLock(
          'k',
          async () => {
            ran = true;
          },
          { ttlMs: 10_000, waitMs: 50, retryMs: 10 },
        )
        .catch((e: unknown) => e);
      expect(isLockBusy(error)).toBe(true);
      expect(ran).toBe(false);
    });

    it('withLock renews while its function runs longer than the TTL', async () => {
      const outcome = await a.withLock(
        'k',
        async (_lock, signal) => {
          await delay(1_000);
          // Still ours after several TTLs: nobody else could take it.
          expect(await b.acquire('k', { ttlMs: 10_000 })).toBeNull();
          return signal.aborted;
        },
        { ttlMs: 400 },
      );
      expect(outcome).toBe(false);
      expect(await b.acquire('k', { ttlMs: 10_000 })).not.toBeNull();
    });

    it('withLock aborts its function’s signal when the lock is lost', async () => {
      const aborted = await a.withLock(
        'k',
        async (lock, signal) => {
          // Someone releases it behind our back (as expiry during a long pause would).
          await a.release(lock);
          await b.acquire('k', { ttlMs: 10_000 });
          for (let i = 0; i < 100 && !signal.aborted; i++) await delay(20);
          return signal.aborted;
        },
        { ttlMs: 150 },
      );
      expect(aborted).toBe(true);
    });

    it('carries a request to let go from one instance to the holder of that key on another', async () => {
      const lock = (await a.acquire('k', { ttlMs: 10_000 }))!;
      const other = (await a.acquire('other', { ttlMs: 10_000 }))!;
      let asked = 0;
      let otherAsked = 0;
      const stop = a.onReleaseAsked(lock, () => {
        asked++;
        void a.release(lock);
      });
      a.onReleaseAsked(other, () => otherAsked++);
      // The listener may still be connecting: ask until the holder heard (each ask is one try).
      let taken: Awaited<ReturnType<LockManager['acquire']>> = null;
      for (let i = 0; i < 100 && !taken; i++) {
        await b.askRelease('k');
        taken = await b.acquire('k', { ttlMs: 10_000, waitMs: 50, retryMs: 10 });
      }
      expect(taken).not.toBeNull();
      expect(asked).toBeGreaterThanOrEqual(1);
      expect(otherAsked).toBe(0);
      // Unregistered, a holder hears nothing more.
      stop();
      const heard = asked;
      await b.askRelease('k');
      await delay(200);
      expect(asked).toBe(heard);
      // A handler that throws changes nothing for the others or the store.
      const again = (await a.acquire('third', { ttlMs: 10_000 }))!;
      let after = 0;
      a.onReleaseAsked(again, () => {
        throw new Error('handler failed');
      });
      a.onReleaseAsked(again, () => after++);
      for (let i = 0; i < 100 && after === 0; i++) {
        await b.askRelease('third');
        await delay(20);
      }
      expect(after).toBeGreaterThanOrEqual(1);
    });
  });
}
