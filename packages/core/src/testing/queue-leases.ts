import { expect, it } from 'vitest';
import type { MakeQueue } from './queue.js';
import { until } from './until.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Keyed-job cases of the queue conformance suite. Registered inside `describeJobQueue`. */
export function keyCases(make: MakeQueue): void {
  it('gives one job for the same key enqueued twice', async () => {
    const queue = make();
    const runs: unknown[] = [];
    queue.register('work', async (payload) => {
      runs.push(payload);
    });
    const first = await queue.enqueue('work', { n: 1 }, { key: 'file-1' });
    expect(await queue.enqueue('work', { n: 2 }, { key: 'file-1' })).toBe(first);
    await queue.start();
    await until(() => runs.length === 1);
    await queue.onIdle();
    expect(runs).toEqual([{ n: 1 }]);
    expect(await queue.stats()).toMatchObject({ pending: 0, running: 0, completed: 1 });
  });

  it('queues one follow-up for a key while its job runs, and starts it only after that run', async () => {
    const queue = make({ concurrency: 4 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const runs: unknown[] = [];
    let active = 0;
    let peak = 0;
    queue.register('work', async (payload) => {
      active++;
      peak = Math.max(peak, active);
      runs.push(payload);
      if (payload.n === 1) await gate;
      active--;
    });
    await queue.start();
    await queue.enqueue('work', { n: 1 }, { key: 'k' });
    await until(() => runs.length === 1);
    const second = await queue.enqueue('work', { n: 2 }, { key: 'k' });
    expect(await queue.enqueue('work', { n: 3 }, { key: 'k' })).toBe(second);
    await sleep(100);
    expect(runs).toEqual([{ n: 1 }]);
    release();
    await until(() => runs.length === 2);
    await queue.onIdle();
    expect(runs).toEqual([{ n: 1 }, { n: 2 }]);
    expect(peak).toBe(1);
  });
}

/** Cases for several instances on one store, and leases. Registered inside `describeJobQueue`. */
export function leaseCases(make: MakeQueue): void {
  it('never runs one job on two instances, nor twice, when they share one store', async () => {
    const instances = [make({ concurrency: 3 }), make({ concurrency: 3 })];
    const JOBS = 60;
    const running = new Set<number>();
    const runs = new Map<number, number>();
    let overlaps = 0;
    for (const queue of instances) {
      queue.register('work', async (payload) => {
        const n = Number(payload.n);
        if (running.has(n)) overlaps++;
        running.add(n);
        runs.set(n, (runs.get(n) ?? 0) + 1);
        await sleep(n % 5);
        running.delete(n);
      });
      await queue.start();
    }
    for (let n = 0; n < JOBS; n++) await instances[n % 2]!.enqueue('work', { n });
    await until(() => runs.size === JOBS);
    for (const queue of instances) await queue.onIdle();
    expect(overlaps).toBe(0);
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
    expect(await instances[0]!.stats()).toMatchObject({ pending: 0, running: 0, completed: JOBS });
  });

  it('keeps a job with the instance that renews its lease, however long it runs', async () => {
    const leaseMs = 300;
    const [holder, other] = [make({ leaseMs }), make({ leaseMs })];
    const runs: string[] = [];
    holder.register('long', async () => {
      runs.push('holder');
      await sleep(leaseMs * 3);
    });
    other.register('long', async () => {
      runs.push('other');
    });
    await holder.start();
    await holder.enqueue('long', {});
    await until(() => runs.length === 1);
    await other.start();
    await holder.onIdle();
    expect(runs).toEqual(['holder']);
  });

  it('runs the job of a holder that died once its lease expires, and ignores the dead holder later', async () => {
    const leaseMs = 300;
    const dead = make({ leaseMs });
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    let claimed = false;
    // A holder that stops renewing without giving its job back: a handler that ignores its
    // signal, left behind by a close that could not wait for it.
    dead.register('work', async () => {
      claimed = true;
      await stuck;
    });
    await dead.start();
    await dead.enqueue('work', { n: 1 });
    await until(() => claimed);
    await dead.close({ graceMs: 10 });

    const survivor = make({ leaseMs });
    const runs: unknown[] = [];
    survivor.register('work', async (payload) => {
      runs.push(payload);
    });
    await survivor.start();
    await until(() => runs.length === 1);
    await survivor.onIdle();
    release(); // the dead holder's late outcome changes nothing
    await sleep(50);
    expect(runs).toEqual([{ n: 1 }]);
    expect(await survivor.stats()).toMatchObject({ pending: 0, running: 0, completed: 1, failed: 0 });
  });
}
