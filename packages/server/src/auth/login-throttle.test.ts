import { describe, expect, it } from 'vitest';
import { createLoginThrottle, lockoutMs } from './login-throttle.js';

const policy = { freeFailures: 2, baseLockSeconds: 1, maxLockSeconds: 8 };

describe('LoginThrottle', () => {
  it('computes doubling lock-outs after the free failures, capped', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 60].map((n) => lockoutMs(n, policy))).toEqual([
      0, 0, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
  });

  const locked = expect.objectContaining({ code: 'RATE_LIMITED' });

  it('lets no more checks run at once than the name has free failures left', async () => {
    const throttle = createLoginThrottle({ ...policy, now: () => 0 });
    const first = await throttle.begin('a@example.com');
    await throttle.begin('A@example.com ');
    await expect(throttle.begin('a@example.com')).rejects.toThrow(locked);
    first.abandoned();
    await expect(throttle.begin('a@example.com')).resolves.toBeDefined();
  });

  it('forgets failures a while after the last one', async () => {
    let clock = 0;
    const throttle = createLoginThrottle({ ...policy, forgetAfterSeconds: 60, now: () => clock });
    for (let i = 0; i < 3; i++) await (await throttle.begin('a@example.com')).failed();
    await expect(throttle.begin('a@example.com')).rejects.toThrow(locked);
    clock += 61_000;
    await (await throttle.begin('a@example.com')).failed();
    // One failure after forgetting: still free.
    await expect(throttle.begin('a@example.com')).resolves.toBeDefined();
  });

  it('tracks at most maxEntries names, forgetting the least recently seen', async () => {
    const throttle = createLoginThrottle({ ...policy, maxEntries: 2, now: () => 0 });
    for (let i = 0; i < 3; i++) await (await throttle.begin('old@example.com')).failed();
    await expect(throttle.begin('old@example.com')).rejects.toThrow(locked);
    await (await throttle.begin('b@example.com')).failed();
    await (await throttle.begin('c@example.com')).failed();
    await expect(throttle.begin('old@example.com')).resolves.toBeDefined();
  });

  it('refuses nonsensical settings at construction', () => {
    expect(() => createLoginThrottle({ baseLockSeconds: 10, maxLockSeconds: 5 })).toThrow(/baseLockSeconds/);
    expect(() => createLoginThrottle({ freeFailures: -1 })).toThrow(/freeFailures/);
  });
});
