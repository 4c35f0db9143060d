import { afterEach, describe, expect, it } from 'vitest';
import type { JobStore } from '../catalog/index.js';
import type { JobRecord } from '../model/index.js';
import { createJobRunner } from './job-runner.js';

const job = {
  id: 'j1',
  type: 'work',
  payload: {},
  attempts: 1,
  runAt: new Date().toISOString(),
} as JobRecord;

describe('job runner lease renewal', () => {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on('unhandledRejection', onRejection);
  afterEach(() => {
    rejections.length = 0;
  });

  it('swallows a renewal the store refuses when no onQueueError hook is given (store closed mid-job)', async () => {
    let renewals = 0;
    const store = {
      renew: async () => {
        renewals++;
        throw new Error('driver has already been destroyed');
      },
      finish: async () => 'done',
    } as unknown as JobStore;
    let release!: () => void;
    const handlers = new Map([['work', () => new Promise<void>((resolve) => (release = resolve))]]);
    const runner = createJobRunner({
      store,
      handlers: handlers as never,
      backoff: () => 1000,
      now: Date.now,
      owner: 'test',
      leaseMs: 1000,
      renewIntervalMs: 10,
      onSettled() {},
      onRetryScheduled() {},
    });
    runner.run(job, 'token');
    await new Promise((resolve) => setTimeout(resolve, 80));
    release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(renewals).toBeGreaterThan(2);
    expect(rejections).toEqual([]);
    process.off('unhandledRejection', onRejection);
  });
});
