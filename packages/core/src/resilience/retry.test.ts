import { describe, expect, it, vi } from 'vitest';
import { FileForgeError } from '../errors/fileforge-error.js';
import { retry } from './retry.js';

const transient = () => Object.assign(new Error('service unavailable'), { status: 503 });

/** A sleep that records each delay and returns at once (still honouring the signal). */
function recordingSleep() {
  const delays: number[] = [];
  const sleep = async (ms: number, signal?: AbortSignal) => {
    delays.push(ms);
    signal?.throwIfAborted();
  };
  return { delays, sleep };
}

describe('retry', () => {
  it('makes maxRetries + 1 calls in all and rethrows the last error with the attempt count', async () => {
    const { sleep } = recordingSleep();
    const errors: Error[] = [];
    const fn = vi.fn(async () => {
      const error = transient();
      errors.push(error);
      throw error;
    });
    const failure = await retry(fn, { maxRetries: 3, sleep }).catch((e: unknown) => e);
    expect(fn).toHaveBeenCalledTimes(4);
    expect(failure).toBe(errors[3]);
    expect((failure as { attempts: number }).attempts).toBe(4);
  });

  it('returns the first success, passing the attempt number and signal', async () => {
    const { sleep } = recordingSleep();
    const seen: number[] = [];
    const result = await retry(
      async ({ attempt, signal }) => {
        seen.push(attempt);
        expect(signal).toBeInstanceOf(AbortSignal);
        if (attempt < 2) throw transient();
        return 'ok';
      },
      { sleep },
    );
    expect(result).toBe('ok');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('waits the backoff between attempts (none: 100, 200, 400)', async () => {
    const { delays, sleep } = recordingSleep();
    await retry(
      async () => {
        throw transient();
      },
      { maxRetries: 3, retryDelayMs: 100, jitter: 'none', sleep },
    ).catch(() => {});
    expect(delays).toEqual([100, 200, 400]);
  });

  it('threads the previous delay through decorrelated jitter', async () => {
    const { delays, sleep } = recordingSleep();
    await retry(
      async () => {
        throw transient();
      },
      { maxRetries: 4, retryDelayMs: 100, jitter: 'decorrelated', random: () => 0.5, sleep },
    ).catch(() => {});
    expect(delays).toEqual([200, 350, 575, 912.5]);
  });

  it('honours Retry-After (ms, seconds, or a FileForge error detail), capped by maxRetryAfterMs', async () => {
    const { delays, sleep } = recordingSleep();
    const thrown = [
      Object.assign(new Error('slow down'), { status: 429, retryAfterMs: 1234 }),
      Object.assign(new Error('slow down'), { status: 503, retryAfter: 2 }),
      new FileForgeError('RATE_LIMITED', 'limited', { details: { retryAfterSeconds: 3 } }),
      Object.assign(new Error('slow down'), { status: 429, retryAfter: '600' }),
    ];
    let call = 0;
    await retry(
      async () => {
        const error = thrown[call++];
        if (error) throw error;
        return 'done';
      },
      { maxRetries: 4, maxRetryAfterMs: 5000, sleep },
    );
    expect(delays).toEqual([1234, 2000, 3000, 5000]);
  });

  it('does not retry what is not retryable (a 4xx validation error, a BrokenCircuitError)', async () => {
    for (const error of [
      Object.assign(new Error('bad request'), { status: 400 }),
      new FileForgeError('VALIDATION_FAILED', 'bad'),
      Object.assign(new Error('open'), { name: 'BrokenCircuitError' }),
    ]) {
      const fn = vi.fn(async () => {
        throw error;
      });
      await expect(retry(fn, { sleep: async () => {} })).rejects.toBe(error);
      expect(fn).toHaveBeenCalledTimes(1);
      expect((error as unknown as { attempts: number }).attempts).toBe(1);
    }
  });

  it('uses a custom shouldRetry', async () => {
    const fn = vi.fn(async () => {
      throw new Error('plain');
    });
    await expect(
      retry(fn, { maxRetries: 2, shouldRetry: () => true, sleep: async () => {} }),
    ).rejects.toThrow('plain');
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('stops at once when aborted during a delay, and reports an abort', async () => {
    const controller = new AbortController();
    const fn = vi.fn(async () => {
      throw transient();
    });
    const pending = retry(fn, { signal: controller.signal, retryDelayMs: 60_000, jitter: 'none' });
    await vi.waitFor(() => expect(fn).toHaveBeenCalledTimes(1));
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(FileForgeError.is(error) && error.code).toBe('ABORTED');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('stops at once when aborted during an attempt that ignores the signal', async () => {
    const controller = new AbortController();
    const fn = vi.fn(() => new Promise<never>(() => {}));
    const pending = retry(fn, { signal: controller.signal, sleep: async () => {} });
    await vi.waitFor(() => expect(fn).toHaveBeenCalledTimes(1));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('never retries the caller’s abort, even when the action throws something retryable', async () => {
    const controller = new AbortController();
    const onGiveUp = vi.fn();
    const fn = vi.fn(async () => {
      controller.abort();
      throw transient();
    });
    await expect(retry(fn, { signal: controller.signal, onGiveUp })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect(fn).toHaveBeenCalledTimes(1);
    expect(onGiveUp).not.toHaveBeenCalled();
  });

  it('rethrows the abort reason when it is a FileForge error', async () => {
    const controller = new AbortController();
    const reason = new FileForgeError('SHUTTING_DOWN', 'closing');
    controller.abort(reason);
    await expect(retry(async () => 1, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('emits retry (attempt from 1) before each delay and giveUp once at the end', async () => {
    const { sleep } = recordingSleep();
    const events: string[] = [];
    const last = transient();
    let call = 0;
    await retry(
      async () => {
        call++;
        throw call === 3 ? last : transient();
      },
      {
        maxRetries: 2,
        retryDelayMs: 10,
        jitter: 'none',
        sleep,
        onRetry: ({ attempt, delayMs, error }) =>
          events.push(`retry ${attempt} ${delayMs} ${(error as Error).message}`),
        onGiveUp: ({ error, attempts }) => events.push(`giveUp ${attempts} ${error === last}`),
      },
    ).catch(() => {});
    expect(events).toEqual([
      'retry 1 10 service unavailable',
      'retry 2 20 service unavailable',
      'giveUp 3 true',
    ]);
  });

  it('rejects bad options before calling anything', async () => {
    const fn = vi.fn(async () => 1);
    await expect(retry(fn, { maxRetries: -1 })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(retry(fn, { maxRetryAfterMs: Number.NaN })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
    });
    expect(fn).not.toHaveBeenCalled();
  });
});
