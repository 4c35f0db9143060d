import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FileForgeError } from '../errors/fileforge-error.js';
import { TimeoutError, withTimeout } from './timeout.js';

describe('withTimeout', () => {
  it('resolves with the action’s value when it finishes in time', async () => {
    await expect(withTimeout(async () => 42, 1000)).resolves.toBe(42);
  });

  it('rejects with TimeoutError at the deadline even if the action ignores its signal', async () => {
    let seen: AbortSignal | undefined;
    const error = await withTimeout((signal) => {
      seen = signal;
      return new Promise<never>(() => {});
    }, 20).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'TIMEOUT', timeoutMs: 20 });
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(error);
  });

  it('passes the action’s own rejection through', async () => {
    const failure = new Error('nope');
    await expect(
      withTimeout(async () => {
        throw failure;
      }, 1000),
    ).rejects.toBe(failure);
  });

  it('reports the caller’s abort as an abort, not a timeout, and aborts the action', async () => {
    const controller = new AbortController();
    let inner: AbortSignal | undefined;
    const pending = withTimeout(
      (signal) => {
        inner = signal;
        return new Promise<never>(() => {});
      },
      60_000,
      controller.signal,
    );
    await Promise.resolve();
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(FileForgeError.is(error) && error.code).toBe('ABORTED');
    expect(inner?.aborted).toBe(true);
  });

  it('rejects at once, without calling the action, when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    let called = false;
    await expect(
      withTimeout(
        async () => {
          called = true;
        },
        1000,
        controller.signal,
      ),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    expect(called).toBe(false);
  });

  it('leaves no abort listeners on the caller’s signal over 10,000 calls', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 10_000; i++) {
      await withTimeout(async () => i, 1000, controller.signal);
      if (i % 2 === 0) {
        await withTimeout(
          async () => {
            throw new Error('x');
          },
          1000,
          controller.signal,
        ).catch(() => {});
      }
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects a deadline that is not a positive number', async () => {
    await expect(withTimeout(async () => 1, Number.NaN)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(withTimeout(async () => 1, 0)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(withTimeout(async () => 1, Number.POSITIVE_INFINITY)).resolves.toBe(1);
  });
});
