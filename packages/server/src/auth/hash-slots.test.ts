import { describe, expect, it } from 'vitest';
import { createHashSlots, defaultHashConcurrency } from './hash-slots.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

describe('HashSlots', () => {
  it('runs `concurrency` at once, queues `queue` more and refuses the rest with BUSY', async () => {
    const slots = createHashSlots({ concurrency: 2, queue: 1, retryAfterSeconds: 3 });
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      slots.run(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await expect(slots.run(async () => 'late')).rejects.toMatchObject({
      code: 'BUSY',
      details: { retryAfterSeconds: 3 },
    });
    expect([slots.running, slots.waiting]).toEqual([2, 1]);
    expect(started).toEqual([0, 1]);
    gates[0]!.resolve();
    await runs[0];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    gates[1]!.resolve();
    gates[2]!.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect([slots.running, slots.waiting]).toEqual([0, 0]);
  });

  it('frees the slot when the work fails', async () => {
    const slots = createHashSlots({ concurrency: 1, queue: 0 });
    await expect(slots.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.run(async () => 'ok')).resolves.toBe('ok');
  });

  it('leaves libuv threads to file I/O by default', () => {
    expect(defaultHashConcurrency()).toBeGreaterThanOrEqual(1);
    expect(defaultHashConcurrency()).toBeLessThanOrEqual(
      (Number(process.env.UV_THREADPOOL_SIZE) || 4) - 2 || 1,
    );
  });
});
