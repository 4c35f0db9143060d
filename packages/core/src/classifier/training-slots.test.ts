import { describe, expect, it } from 'vitest';
import { createSlots } from './training-slots.js';

/** A task that records how many run at once and finishes when told. */
function gatedTasks() {
  let running = 0;
  let most = 0;
  const order: number[] = [];
  const gates: Array<() => void> = [];
  const task = (n: number) => async () => {
    running++;
    most = Math.max(most, running);
    order.push(n);
    await new Promise<void>((resolve) => gates.push(resolve));
    running--;
    return n;
  };
  const openAll = async () => {
    while (gates.length > 0) {
      gates.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { task, openAll, most: () => most, order };
}

describe('training slots', () => {
  it('runs at most `size` tasks at once, the rest in the order they asked', async () => {
    const slots = createSlots(2);
    const { task, openAll, most, order } = gatedTasks();
    const all = Promise.all([1, 2, 3, 4, 5].map((n) => slots.run(task(n))));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([1, 2]);
    await openAll();
    expect(await all).toEqual([1, 2, 3, 4, 5]);
    expect(most()).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });

  it('a task aborted while waiting never runs and frees its place; a failing task frees its slot', async () => {
    const slots = createSlots(1);
    const { task, openAll, order } = gatedTasks();
    const first = slots.run(task(1));
    const controller = new AbortController();
    const aborted = slots.run(task(2), controller.signal);
    const third = slots.run(task(3));
    controller.abort(new Error('closing'));
    await expect(aborted).rejects.toThrow('closing');
    const failing = slots
      .run(async () => {
        throw new Error('boom');
      })
      .catch((error: Error) => error.message);
    await openAll();
    expect(await first).toBe(1);
    expect(await failing).toBe('boom');
    await openAll();
    expect(await third).toBe(3);
    expect(order).toEqual([1, 3]);
    // Still one slot: a new task runs.
    expect(await slots.run(async () => 'next')).toBe('next');
  });
});
