import { describe, expect, it, vi } from 'vitest';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
import { BrokenCircuitError, IsolatedCircuitError } from './errors.js';

/** A breaker on a fake clock; `cb.clock.t` is the time. CB(2) in the spec: N=2, reset 1000 ms. */
function breaker(options: CircuitBreakerOptions = {}) {
  const clock = { t: 0 };
  const cb = new CircuitBreaker({
    openAfterFailures: 2,
    resetTimeoutMs: 1000,
    now: () => clock.t,
    ...options,
  });
  const seen: string[] = [];
  for (const event of ['break', 'reset', 'halfOpen', 'success', 'failure'] as const) {
    cb.on(event, () => seen.push(event));
  }
  return { cb, clock, seen };
}

const failWith = (message: string): never => {
  throw new Error(message);
};
const fail = () => failWith('boom');
const ok = () => 'ok';
const count = (seen: string[], event: string) => seen.filter((e) => e === event).length;

describe('CircuitBreaker', () => {
  it('vector 1: opens at the 2nd consecutive failure and then rejects without calling the action', async () => {
    const { cb, seen } = breaker();
    const action = vi.fn(() => fail());
    await expect(cb.execute(action)).rejects.toThrow('boom');
    expect(cb.state).toBe('closed');
    await expect(cb.execute(action)).rejects.toThrow('boom');
    expect(cb.state).toBe('open');
    expect(count(seen, 'break')).toBe(1);
    const rejected = await cb.execute(action).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(BrokenCircuitError);
    expect(rejected).toMatchObject({ code: 'CIRCUIT_OPEN', name: 'BrokenCircuitError' });
    expect(action).toHaveBeenCalledTimes(2);
    expect(cb.stats()).toMatchObject({ state: 'open', failureCount: 2, rejectedCount: 1, openedAt: 0 });
  });

  it('vector 2: with threshold 3, F F S F F stays closed and one more F opens', async () => {
    const { cb } = breaker({ openAfterFailures: 3 });
    for (const step of ['F', 'F', 'S', 'F', 'F']) await cb.execute(step === 'F' ? fail : ok).catch(() => {});
    expect(cb.state).toBe('closed');
    await cb.execute(fail).catch(() => {});
    expect(cb.state).toBe('open');
  });

  it('vector 3: rejects 999 ms after opening with retryAfterMs 1; at 1000 ms the call is the probe and its success closes', async () => {
    const { cb, clock, seen } = breaker();
    clock.t = 5000;
    await cb.execute(fail).catch(() => {});
    await cb.execute(fail).catch(() => {});
    clock.t = 5999;
    const rejected = await cb.execute(ok).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(BrokenCircuitError);
    expect((rejected as BrokenCircuitError).retryAfterMs).toBe(1);
    clock.t = 6000;
    await expect(cb.execute(ok)).resolves.toBe('ok');
    expect(count(seen, 'halfOpen')).toBe(1);
    expect(count(seen, 'reset')).toBe(1);
    expect(cb.state).toBe('closed');
    expect(cb.stats().openedAt).toBeNull();
  });

  it('vector 4: a failed probe opens the circuit again for another full break', async () => {
    const { cb, clock, seen } = breaker();
    await cb.execute(fail).catch(() => {});
    await cb.execute(fail).catch(() => {});
    clock.t = 1000;
    await expect(cb.execute(fail)).rejects.toThrow('boom');
    expect(cb.state).toBe('open');
    expect(count(seen, 'break')).toBe(2);
    clock.t = 1999;
    await expect(cb.execute(ok)).rejects.toMatchObject({ retryAfterMs: 1 });
    clock.t = 2000;
    await expect(cb.execute(ok)).resolves.toBe('ok');
  });

  it('vector 5: of two concurrent calls in half-open, the first is the probe and the second is rejected', async () => {
    const { cb, clock } = breaker();
    await cb.execute(fail).catch(() => {});
    await cb.execute(fail).catch(() => {});
    clock.t = 1000;
    let finish!: (v: string) => void;
    const probe = vi.fn(() => new Promise<string>((resolve) => (finish = resolve)));
    const first = cb.execute(probe);
    const second = cb.execute(probe).catch((e: unknown) => e);
    expect(await second).toBeInstanceOf(BrokenCircuitError);
    expect((await second) as BrokenCircuitError).toMatchObject({ retryAfterMs: 0 });
    expect(cb.state).toBe('half-open');
    finish('probed');
    await expect(first).resolves.toBe('probed');
    expect(probe).toHaveBeenCalledTimes(1);
    expect(cb.state).toBe('closed');
  });

  it('vector 6: an error outside the filter is rethrown untouched, changes no counter, keeps the circuit closed', async () => {
    const { cb, seen } = breaker({ handles: (e) => (e as Error).message === 'handled' });
    const odd = new Error('not mine');
    for (let i = 0; i < 5; i++) {
      await expect(
        cb.execute(() => {
          throw odd;
        }),
      ).rejects.toBe(odd);
    }
    expect(cb.state).toBe('closed');
    expect(cb.stats()).toMatchObject({ failureCount: 0, successCount: 0, lastFailureAt: null });
    expect(seen).toEqual([]);
  });

  it('vector 7: sampling over 10 calls, ratio 0.5, minimum 10: 9 of 9 failing stays closed; 5 F + 5 S opens', async () => {
    const sampling = { failureRatio: 0.5, minimumThroughput: 10, windowSize: 10 };
    const a = breaker({ sampling }).cb;
    for (let i = 0; i < 9; i++) await a.execute(fail).catch(() => {});
    expect(a.state).toBe('closed');
    const b = breaker({ sampling }).cb;
    for (let i = 0; i < 5; i++) await b.execute(ok);
    for (let i = 0; i < 4; i++) await b.execute(fail).catch(() => {});
    expect(b.state).toBe('closed');
    await b.execute(fail).catch(() => {});
    expect(b.state).toBe('open');
    // In the vector's order too: five failures, then five successes — the tenth call, a
    // success, completes the window at 5 of 10 failing (review: only failures were checked).
    const c = breaker({ sampling }).cb;
    for (let i = 0; i < 5; i++) await c.execute(fail).catch(() => {});
    for (let i = 0; i < 4; i++) await c.execute(ok);
    expect(c.state).toBe('closed');
    await c.execute(ok);
    expect(c.state).toBe('open');
  });

  it('sampling over a time window forgets calls older than windowMs', async () => {
    const { cb, clock } = breaker({ sampling: { failureRatio: 0.5, minimumThroughput: 4, windowMs: 1000 } });
    for (let i = 0; i < 3; i++) await cb.execute(fail).catch(() => {});
    clock.t = 5000; // the three failures have left the window
    await cb.execute(fail).catch(() => {});
    expect(cb.state).toBe('closed');
    for (let i = 0; i < 3; i++) await cb.execute(fail).catch(() => {});
    expect(cb.state).toBe('open');
  });

  it('vector 8: with two isolate() handles, the first dispose keeps it isolated and the second closes it', async () => {
    const { cb, seen } = breaker();
    const first = cb.isolate();
    const second = cb.isolate();
    await expect(cb.execute(ok)).rejects.toBeInstanceOf(IsolatedCircuitError);
    first.dispose();
    first.dispose(); // harmless
    expect(cb.state).toBe('isolated');
    await expect(cb.execute(ok)).rejects.toMatchObject({
      code: 'CIRCUIT_OPEN',
      name: 'IsolatedCircuitError',
    });
    second.dispose();
    expect(cb.state).toBe('closed');
    await expect(cb.execute(ok)).resolves.toBe('ok');
    expect(count(seen, 'break')).toBe(1);
    expect(count(seen, 'reset')).toBe(1);
  });

  it('emits stateChange for every transition', async () => {
    const { cb, clock } = breaker();
    const changes: string[] = [];
    cb.on('stateChange', ({ from, to }) => changes.push(`${from}→${to}`));
    await cb.execute(fail).catch(() => {});
    await cb.execute(fail).catch(() => {});
    clock.t = 1000;
    await cb.execute(ok);
    expect(changes).toEqual(['closed→open', 'open→half-open', 'half-open→closed']);
  });

  it('keeps working when a listener throws', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const { cb } = breaker();
    cb.on('failure', () => {
      throw new Error('bad listener');
    });
    cb.on('break', () => {
      throw new Error('bad listener');
    });
    await expect(cb.execute(fail)).rejects.toThrow('boom');
    await expect(cb.execute(fail)).rejects.toThrow('boom');
    expect(cb.state).toBe('open');
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('removes a listener with the function on() returns', async () => {
    const cb = new CircuitBreaker();
    const listener = vi.fn();
    const off = cb.on('success', listener);
    await cb.execute(ok);
    off();
    await cb.execute(ok);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('counts a result the result filter handles as a failure, and still returns it', async () => {
    const { cb } = breaker({ handlesResult: (r) => (r as { status: number }).status >= 500 });
    await expect(cb.execute(() => ({ status: 503 }))).resolves.toEqual({ status: 503 });
    await cb.execute(() => ({ status: 503 }));
    expect(cb.state).toBe('open');
  });

  it('does not count the caller’s own abort as a failure', async () => {
    const { cb } = breaker();
    for (let i = 0; i < 3; i++) {
      const controller = new AbortController();
      controller.abort();
      await cb.execute(({ signal }) => signal.throwIfAborted(), controller.signal).catch(() => {});
    }
    expect(cb.state).toBe('closed');
    expect(cb.stats().failureCount).toBe(0);
  });

  it('lets the next call probe when the probe ended with an error outside the filter', async () => {
    const { cb, clock } = breaker({ handles: (e) => (e as Error).message === 'boom' });
    await cb.execute(fail).catch(() => {});
    await cb.execute(fail).catch(() => {});
    clock.t = 1000;
    await expect(cb.execute(() => failWith('other'))).rejects.toThrow('other');
    expect(cb.state).toBe('half-open');
    await expect(cb.execute(ok)).resolves.toBe('ok');
    expect(cb.state).toBe('closed');
  });

  it('grows the break over consecutive failed probes and resets it once closed', async () => {
    const { cb, clock } = breaker({ breakBackoff: { exponentialBase: 2, maxResetTimeoutMs: 3000 } });
    const breaks: number[] = [];
    cb.on('break', ({ breakMs }) => breaks.push(breakMs));
    await cb.execute(fail).catch(() => {});
    await cb.execute(fail).catch(() => {});
    for (const at of [1000, 3000, 6000, 9000]) {
      clock.t = at;
      await cb.execute(fail).catch(() => {});
    }
    expect(breaks).toEqual([1000, 2000, 3000, 3000, 3000]);
    clock.t = 12_000;
    await cb.execute(ok);
    await cb.execute(fail).catch(() => {});
    await cb.execute(fail).catch(() => {});
    expect(breaks.at(-1)).toBe(1000);
  });

  it('restores from toJSON(): an open breaker stays open for the rest of its break', async () => {
    const { cb, clock } = breaker();
    await cb.execute(fail).catch(() => {});
    await cb.execute(fail).catch(() => {});
    const snapshot = JSON.parse(JSON.stringify(cb));
    clock.t = 400;
    const restored = new CircuitBreaker({
      openAfterFailures: 2,
      resetTimeoutMs: 1000,
      now: () => clock.t,
      restore: snapshot,
    });
    expect(restored.state).toBe('open');
    await expect(restored.execute(ok)).rejects.toMatchObject({ retryAfterMs: 600 });
    clock.t = 1000;
    await expect(restored.execute(ok)).resolves.toBe('ok');
    expect(restored.stats()).toMatchObject({ failureCount: 2, successCount: 1, rejectedCount: 1 });
  });

  it('restores a half-open breaker as open with its break over, and keeps the consecutive count of a closed one', async () => {
    const { cb, clock } = breaker();
    await cb.execute(fail).catch(() => {});
    await cb.execute(fail).catch(() => {});
    clock.t = 1000;
    const pending = cb.execute(() => new Promise(() => {}));
    const snapshot = cb.toJSON();
    expect(snapshot.state).toBe('half-open');
    void pending;
    const restored = new CircuitBreaker({ openAfterFailures: 2, now: () => 1001, restore: snapshot });
    expect(restored.state).toBe('open');
    await expect(restored.execute(ok)).resolves.toBe('ok');

    const closed = breaker().cb;
    await closed.execute(fail).catch(() => {});
    const again = new CircuitBreaker({ openAfterFailures: 2, restore: closed.toJSON() });
    await again.execute(fail).catch(() => {});
    expect(again.state).toBe('open');
  });

  it('rejects bad options at construction', () => {
    expect(() => new CircuitBreaker({ openAfterFailures: 0 })).toThrow(/openAfterFailures/);
    expect(() => new CircuitBreaker({ resetTimeoutMs: Number.NaN })).toThrow(/resetTimeoutMs/);
    expect(() => new CircuitBreaker({ sampling: { failureRatio: 2 } })).toThrow(/failureRatio/);
  });
});
