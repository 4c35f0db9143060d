import { createInProcessLockManager, ErrorCode, FileForgeError } from '@fileforge/core';
import { describe, expect, it } from 'vitest';
import { createUploadLocker } from './locker.js';

const never = new AbortController().signal;

describe('createUploadLocker', () => {
  it('asks a holder of this process to let go and takes the lock once it did', async () => {
    const locker = createUploadLocker(createInProcessLockManager(), { takeoverMs: 2000, retryMs: 5 });
    const holder = locker.newLock('u1');
    let asked = 0;
    await holder.lock(never, () => {
      asked++;
      // The holder stops a moment later (its body drained), as @tus/server's does.
      setTimeout(() => void holder.unlock(), 50);
    });
    const next = locker.newLock('u1');
    await next.lock(never, () => {});
    expect(asked).toBe(1);
    await next.unlock();
  });

  it('asks a holder elsewhere through the lock store, and answers 423 UPLOAD_LOCKED when it stays silent', async () => {
    const locks = createInProcessLockManager();
    // Held outside this locker (another instance) by a holder that listens for requests.
    const elsewhere = (await locks.acquire('upload:u2', { ttlMs: 30_000 }))!;
    let asked = 0;
    const stop = locks.onReleaseAsked(elsewhere, () => {
      asked++;
      setTimeout(() => void locks.release(elsewhere), 20);
    });
    const locker = createUploadLocker(locks, { takeoverMs: 2000, retryMs: 5 });
    const taken = locker.newLock('u2');
    await taken.lock(never, () => {});
    expect(asked).toBe(1);
    stop();
    await taken.unlock();
    // A holder that never answers (a dead instance): 423 once the takeover time is up.
    await locks.acquire('upload:u2', { ttlMs: 30_000 });
    const started = Date.now();
    const error = await createUploadLocker(locks, { takeoverMs: 300, retryMs: 5 })
      .newLock('u2')
      .lock(never, () => {})
      .catch((e: unknown) => e);
    expect(FileForgeError.is(error) && error.code).toBe(ErrorCode.UPLOAD_LOCKED);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('answers 423 when the holder it asked does not let go in time, and keeps the holder', async () => {
    const locker = createUploadLocker(createInProcessLockManager(), { takeoverMs: 100, retryMs: 5 });
    const holder = locker.newLock('u3');
    await holder.lock(never, () => {});
    const error = await locker
      .newLock('u3')
      .lock(never, () => {})
      .catch((e: unknown) => e);
    expect(FileForgeError.is(error) && error.code).toBe(ErrorCode.UPLOAD_LOCKED);
    // Still held: a third request is asked to wait too.
    await expect(locker.newLock('u3').lock(never, () => {})).rejects.toMatchObject({
      code: ErrorCode.UPLOAD_LOCKED,
    });
    await holder.unlock();
    await locker.newLock('u3').lock(never, () => {});
  });
});
