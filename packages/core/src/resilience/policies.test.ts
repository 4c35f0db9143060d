import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BrokenCircuitError } from './errors.js';
import { fallback } from './fallback.js';
import { retry } from './retry.js';
import { TimeoutError, timeout } from './timeout.js';

const unavailable = () => Object.assign(new Error('service unavailable'), { status: 503 });

describe('retry() as a policy', () => {
  it('emits typed retry and giveUp events and rethrows the last error with the attempt count', async () => {
    const policy = retry({ maxRetries: 2, retryDelayMs: 100, jitter: 'none', sleep: async () => {} });
    const events: string[] = [];
    policy.on('retry', ({ attempt, delayMs }) => events.push(`retry ${attempt} ${delayMs}`));
    policy.on('giveUp', ({ attempts }) => events.push(`giveUp ${attempts}`));
    const errors: Error[] = [];
    const error = await policy
      .execute(() => {
        errors.push(unavailable());
        throw errors.at(-1);
      })
      .catch((e: unknown) => e);
    expect(error).toBe(errors[2]);
    expect(events).toEqual(['retry 1 100', 'retry 2 200', 'giveUp 3']);
  });

  it('jitters with the injected random source: full, r = 0.5 → 50, 100, 200, 400', async () => {
    const delays: number[] = [];
    const policy = retry({
      maxRetries: 4,
      retryDelayMs: 100,
      maxRetryDelayMs: 10_000,
      random: () => 0.5,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    await policy.execute(() => Promise.reject(unavailable())).catch(() => {});
    expect(delays).toEqual([50, 100, 200, 400]);
  });

  it('equal jitter, r = 0.5 → 75, 150, 300, 600', async () => {
    const delays: number[] = [];
    const policy = retry({
      maxRetries: 4,
      retryDelayMs: 100,
      jitter: 'equal',
      random: () => 0.5,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    await policy.execute(() => Promise.reject(unavailable())).catch(() => {});
    expect(delays).toEqual([75, 150, 300, 600]);
  });

  it('never retries a BrokenCircuitError', async () => {
    const fn = vi.fn(() => Promise.reject(new BrokenCircuitError(500)));
    await expect(retry({ sleep: async () => {} }).execute(fn)).rejects.toBeInstanceOf(BrokenCircuitError);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('defaults to 3 retries: 4 calls in all', async () => {
    const fn = vi.fn(() => Promise.reject(unavailable()));
    await retry({ sleep: async () => {} })
      .execute(fn)
      .catch(() => {});
    expect(fn).toHaveBeenCalledTimes(4);
  });

  it('throws INVALID_CONFIG at construction for bad options', () => {
    expect(() => retry({ maxRetries: 1.5 })).toThrow(/maxRetries/);
  });
});

describe('timeout()', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('rejects with TimeoutError at the deadline even if the action ignores its signal, aborting the signal', async () => {
    vi.useFakeTimers();
    let seen: AbortSignal | undefined;
    const pending = timeout(500)
      .execute(({ signal }) => {
        seen = signal;
        return new Promise(() => {});
      })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(499);
    expect(seen?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await pending;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'TIMEOUT', name: 'TimeoutError', timeoutMs: 500 });
    expect(seen?.aborted).toBe(true);
  });

  it('hands a signal that is already aborted when first read after the deadline', async () => {
    vi.useFakeTimers();
    let context: { signal: AbortSignal } | undefined;
    const pending = timeout(100)
      .execute((c) => {
        context = c;
        return new Promise(() => {});
      })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(await pending).toBeInstanceOf(TimeoutError);
    expect(context?.signal.aborted).toBe(true);
    expect(context?.signal.reason).toBeInstanceOf(TimeoutError);
  });

  it('propagates the caller’s abort, not as a timeout', async () => {
    const controller = new AbortController();
    const pending = timeout(10_000).execute(() => new Promise(() => {}), controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('leaves no abort listeners on the caller’s signal over 10,000 calls', async () => {
    const policy = timeout(1000);
    const controller = new AbortController();
    for (let i = 0; i < 10_000; i++) {
      await policy.execute(async () => i, controller.signal);
      await policy.execute(() => Promise.reject(new Error('x')), controller.signal).catch(() => {});
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('defaults to 30 s and rejects a bad deadline at construction', () => {
    expect(timeout().timeoutMs).toBe(30_000);
    expect(() => timeout(0)).toThrow(/timeoutMs/);
  });
});

describe('fallback()', () => {
  it('passes a success through untouched and marks a fallback value', async () => {
    const policy = fallback((error) => ({ reason: (error as Error).message }));
    await expect(policy.execute(() => ({ live: true }))).resolves.toEqual({ live: true });
    await expect(policy.execute(() => Promise.reject(new Error('down')))).resolves.toEqual({
      reason: 'down',
      fallback: true,
    });
  });

  it('does not cover up the caller’s own abort', async () => {
    const controller = new AbortController();
    controller.abort();
    const policy = fallback(() => ({ cached: true }));
    await expect(
      policy.execute(({ signal }) => signal.throwIfAborted(), controller.signal),
    ).rejects.toThrow();
  });
});
