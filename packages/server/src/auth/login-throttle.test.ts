import { describe, expect, it } from 'vitest';
import { createLoginThrottle, lockoutMs } from './login-throttle.js';

const policy = { freeFailures: 2, baseLockSeconds: 1, maxLockSeconds: 8 };

describe('LoginThrottle', () => {
  it('computes doubling lock-outs after the free failures, capped', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 60].map((n) => lockoutMs(n, policy))).toEqual([
      0, 0, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
  });

  it('lets no more checks run at once than the name has free failures left', () => {
    const throttle = createLoginThrottle({ ...policy, now: () => 0 });
    const first = throttle.begin('a@example.com');
    throttle.begin('A@example.com ');
    expect(() => throttle.begin('a@example.com')).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }));
    first.abandoned();
    expect(() => throttle.begin('a@example.com')).not.toThrow();
  });

  it('forgets failures a while after the last one', () => {
    let clock = 0;
    const throttle = createLoginThrottle({ ...policy, forgetAfterSeconds: 60, now: () => clock });
    for (let i = 0; i < 3; i++) throttle.begin('a@example.com').failed();
    expect(() => throttle.begin('a@example.com')).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }));
    clock += 61_000;
    throttle.begin('a@example.com').failed();
    // One failure after forgetting: still free.
    expect(() => throttle.begin('a@example.com')).not.toThrow();
  });

  it('tracks at most maxEntries names, forgetting the least recently seen', () => {
    const throttle = createLoginThrottle({ ...policy, maxEntries: 2, now: () => 0 });
    for (let i = 0; i < 3; i++) throttle.begin('old@example.com').failed();
    throttle.begin('b@example.com').failed();
    throttle.begin('c@example.com').failed();
    expect(() => throttle.begin('old@example.com')).not.toThrow();
  });

  it('refuses nonsensical settings at construction', () => {
    expect(() => createLoginThrottle({ baseLockSeconds: 10, maxLockSeconds: 5 })).toThrow(/baseLockSeconds/);
    expect(() => createLoginThrottle({ freeFailures: -1 })).toThrow(/freeFailures/);
  });
});
