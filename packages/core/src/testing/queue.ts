import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobQueue } from '../queue/index.js';
import { keyCases, leaseCases } from './queue-leases.js';
import { until } from './until.js';

/** Options the suite needs every queue implementation to honour. */
export interface QueueTestOptions {
  concurrency: number;
  maxAttempts: number;
  /** Fixed retry delay in milliseconds. */
  retryDelayMs: number;
  /** How often an idle queue looks for due jobs and expired leases. */
  pollIntervalMs: number;
  /** How long a job is held without renewal (renewed at a third of it). */
  leaseMs: number;
}

/** The suite's job types: any name, any JSON payload. */
export type ConformanceJobs = Record<string, Record<string, unknown>>;

/**
 * Creates queues for one test. `create` may be called more than once: every queue it returns
 * must share the same persistent state (as processes sharing one database or Redis do), so
 * the suite can check what a restart recovers and that instances never run one job twice.
 */
export type QueueFactory = () => Promise<{
  create(options: QueueTestOptions): JobQueue<ConformanceJobs>;
  teardown(): Promise<void>;
}>;

const defaults: QueueTestOptions = {
  concurrency: 2,
  maxAttempts: 3,
  retryDelayMs: 10,
  pollIntervalMs: 20,
  leaseMs: 3000,
};

/** Makes a queue of the test's shared state; closed after the test. */
export type MakeQueue = (options?: Partial<QueueTestOptions>) => JobQueue<ConformanceJobs>;

/** The conformance suite every {@link JobQueue} implementation runs unchanged. */
export function describeJobQueue(name: string, factory: QueueFactory): void {
  describe(`JobQueue conformance: ${name}`, () => {
    let create: (options: QueueTestOptions) => JobQueue<ConformanceJobs>;
    let teardown: () => Promise<void>;
    const open: JobQueue<ConformanceJobs>[] = [];
    const make: MakeQueue = (options = {}) => {
      const queue = create({ ...defaults, ...options });
      open.push(queue);
      return queue;
    };
    beforeEach(async () => {
      ({ create, teardown } = await factory());
    });
    afterEach(async () => {
      for (const q of open.splice(0)) await q.close({ graceMs: 100 });
      await teardown();
    });

    it('runs an enqueued job with its payload', async () => {
      const queue = make();
      const seen: unknown[] = [];
      queue.register('greet', async (payload) => {
        seen.push(payload);
      });
      await queue.start();
      await queue.enqueue('greet', { who: 'world' });
      await until(() => seen.length === 1);
      await queue.onIdle();
      expect(seen).toEqual([{ who: 'world' }]);
      expect(await queue.stats()).toMatchObject({ pending: 0, running: 0, completed: 1 });
    });

    it('merges keyed jobs while one is still pending, and queues again once it runs', async () => {
      const queue = make({ concurrency: 1 });
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const runs: unknown[] = [];
      queue.register('block', () => gate);
      queue.register('work', async (payload) => {
        runs.push(payload);
      });
      await queue.start();
      await queue.enqueue('block', {});
      const first = await queue.enqueue('work', { n: 1 }, { key: 'file-1' });
      const merged = await Promise.all(
        Array.from({ length: 10 }, (_, i) => queue.enqueue('work', { n: i + 2 }, { key: 'file-1' })),
      );
      expect(new Set(merged)).toEqual(new Set([first]));
      const other = await queue.enqueue('work', { n: 'other' }, { key: 'file-2' });
      expect(other).not.toBe(first);
      release();
      await queue.onIdle();
      expect(runs).toEqual([{ n: 1 }, { n: 'other' }]);
      // Nothing pending under the key any more: the next request is a new job.
      expect(await queue.enqueue('work', { n: 'later' }, { key: 'file-1' })).not.toBe(first);
      await queue.onIdle();
      expect(await queue.stats()).toMatchObject({ pending: 0, completed: 4 });
    });

    it('retries a failing job until it succeeds', async () => {
      const queue = make();
      const attempts: number[] = [];
      queue.register('flaky', async (_p, { job }) => {
        attempts.push(job.attempts);
        if (attempts.length < 3) throw new Error('transient');
      });
      await queue.start();
      await queue.enqueue('flaky', {});
      await until(async () => (await queue.stats()).completed === 1);
      expect(attempts).toEqual([1, 2, 3]);
    });

    it('marks a job failed when its attempts run out', async () => {
      const queue = make({ maxAttempts: 2 });
      let calls = 0;
      queue.register('doomed', async () => {
        calls++;
        throw new Error('permanent');
      });
      await queue.start();
      await queue.enqueue('doomed', {});
      await until(async () => (await queue.stats()).failed === 1);
      expect(calls).toBe(2);
    });

    it('never runs more jobs at once than its concurrency', async () => {
      const queue = make({ concurrency: 2 });
      let active = 0;
      let peak = 0;
      let done = 0;
      queue.register('work', async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 20));
        active--;
        done++;
      });
      await queue.start();
      for (let i = 0; i < 8; i++) await queue.enqueue('work', { i });
      await until(() => done === 8);
      expect(peak).toBe(2);
    });

    it('runs jobs enqueued before a restart on the next start', async () => {
      const first = make();
      await first.enqueue('later', { n: 1 });
      await first.enqueue('later', { n: 2 });
      await first.close({ graceMs: 100 });
      const second = make();
      const seen: unknown[] = [];
      second.register('later', async (payload) => {
        seen.push(payload);
      });
      await second.start();
      await until(() => seen.length === 2);
      expect(seen).toEqual(expect.arrayContaining([{ n: 1 }, { n: 2 }]));
    });

    it('runs a job again when the process stopped while it was running', async () => {
      const first = make();
      let started = false;
      first.register('long', (_p, { signal }) => {
        started = true;
        return new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        );
      });
      await first.start();
      await first.enqueue('long', { id: 'x' });
      await until(() => started);
      await first.close({ graceMs: 50 });
      const second = make();
      const seen: unknown[] = [];
      second.register('long', async (payload) => {
        seen.push(payload);
      });
      await second.start();
      await until(() => seen.length === 1);
      expect(seen).toEqual([{ id: 'x' }]);
    });

    keyCases(make);
    leaseCases(make);
  });
}
