import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';
import { BrokenCircuitError } from './errors.js';
import { createFallbacks } from './fallback.js';
import type { Policy } from './policy.js';
import { retry } from './retry.js';
import { TimeoutError, timeout } from './timeout.js';
import { wrap } from './wrap.js';

const unavailable = () => Object.assign(new Error('service unavailable'), { status: 503 });
const instant = async (_ms: number, signal?: AbortSignal) => signal?.throwIfAborted();

/** fallback ∘ retry ∘ breaker ∘ timeout on a fake clock, as the spec documents it. */
function composition(options: { maxRetries?: number; openAfterFailures?: number } = {}) {
  const clock = { t: 0 };
  const breaker = new CircuitBreaker({
    openAfterFailures: options.openAfterFailures ?? 5,
    resetTimeoutMs: 1000,
    now: () => clock.t,
  });
  const retries = retry({ maxRetries: options.maxRetries ?? 3, sleep: instant });
  const fallbacks = createFallbacks();
  const policy = wrap(fallbacks.for<{ cached: boolean }>('crm.sync'), retries, breaker, timeout(1000));
  return { clock, breaker, retries, fallbacks, policy };
}

describe('wrap', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the policies outermost first, handing each inner one the signal', async () => {
    const order: string[] = [];
    const tracer = (name: string): Policy => ({
      async execute(fn, signal) {
        order.push(`${name} in`);
        try {
          return await fn({ signal: signal ?? new AbortController().signal });
        } finally {
          order.push(`${name} out`);
        }
      },
    });
    const result = await wrap(tracer('a'), tracer('b'), tracer('c')).execute(() => {
      order.push('fn');
      return 7;
    });
    expect(result).toBe(7);
    expect(order).toEqual(['a in', 'b in', 'c in', 'fn', 'c out', 'b out', 'a out']);
  });

  it('counts each attempt once towards the breaker', async () => {
    const { breaker, policy, fallbacks } = composition({ maxRetries: 3, openAfterFailures: 10 });
    fallbacks.fallbackEnabled = false;
    const action = vi.fn(async () => {
      throw unavailable();
    });
    const error = await policy.execute(action).catch((e: unknown) => e);
    expect(action).toHaveBeenCalledTimes(4);
    expect(breaker.stats().failureCount).toBe(4);
    expect((error as { attempts: number }).attempts).toBe(4);
  });

  it('ends the retry loop as soon as the breaker opens', async () => {
    const { breaker, policy, fallbacks } = composition({ maxRetries: 5, openAfterFailures: 2 });
    fallbacks.fallbackEnabled = false;
    const action = vi.fn(async () => {
      throw unavailable();
    });
    const error = await policy.execute(action).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokenCircuitError);
    expect(action).toHaveBeenCalledTimes(2);
    expect(breaker.state).toBe('open');
    expect((error as { attempts: number }).attempts).toBe(3); // 2 failures + 1 rejection, never retried
  });

  it('times out each attempt, counts the timeout as a failure and retries it', async () => {
    vi.useFakeTimers();
    const { breaker, policy, fallbacks } = composition({ maxRetries: 1 });
    fallbacks.fallbackEnabled = false;
    const signals: AbortSignal[] = [];
    const pending = policy
      .execute(({ signal }) => {
        signals.push(signal);
        return new Promise(() => {}); // ignores its signal
      })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(2000);
    expect(await pending).toBeInstanceOf(TimeoutError);
    expect(signals).toHaveLength(2);
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(breaker.stats().failureCount).toBe(2);
  });

  it('answers with the registered fallback, marked fallback: true, once everything failed', async () => {
    const { policy, fallbacks } = composition({ maxRetries: 1 });
    const seen: unknown[] = [];
    fallbacks.registerFallback('crm.sync', (error) => {
      seen.push(error);
      return { cached: true };
    });
    const result = await policy.execute(async () => {
      throw unavailable();
    });
    expect(result).toEqual({ cached: true, fallback: true });
    expect((seen[0] as Error).message).toBe('service unavailable');
  });

  it('answers with the fallback when the circuit is open, without calling the action', async () => {
    const { breaker, policy, fallbacks } = composition();
    fallbacks.registerFallback('crm.sync', () => ({ cached: true }));
    const handle = breaker.isolate();
    const action = vi.fn(async () => 'live');
    await expect(policy.execute(action)).resolves.toEqual({ cached: true, fallback: true });
    expect(action).not.toHaveBeenCalled();
    handle.dispose();
    await expect(policy.execute(action)).resolves.toBe('live');
  });

  it('fails with the fallback’s own error when it throws, and skips it when fallbackEnabled is false', async () => {
    const { policy, fallbacks } = composition({ maxRetries: 0 });
    const own = new Error('fallback broke');
    fallbacks.registerFallback('crm.sync', () => {
      throw own;
    });
    await expect(policy.execute(async () => Promise.reject(unavailable()))).rejects.toBe(own);
    fallbacks.fallbackEnabled = false;
    await expect(policy.execute(async () => Promise.reject(unavailable()))).rejects.toThrow(
      'service unavailable',
    );
  });

  it('leaves no abort listeners on the caller’s signal over 10,000 composed calls', async () => {
    const { policy } = composition();
    const controller = new AbortController();
    for (let i = 0; i < 10_000; i++) {
      await policy.execute(async () => i, controller.signal);
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('propagates the caller’s abort as an abort, not a timeout, and does not count it', async () => {
    const { breaker, policy } = composition();
    const controller = new AbortController();
    const pending = policy.execute(() => new Promise(() => {}), controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    expect(breaker.stats().failureCount).toBe(0);
  });

  it('with no policy, just runs the function', async () => {
    await expect(wrap().execute(() => 3)).resolves.toBe(3);
  });
});
