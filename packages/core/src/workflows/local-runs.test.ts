import { describe, expect, it } from 'vitest';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { createLocalRuns, type LocalRunRequest, type LocalRunsOptions } from './local-runs.js';

type Created = { note: string };

/** A run's execution the test ends by hand. */
interface Held {
  request: LocalRunRequest<Created>;
  signal: AbortSignal;
  finish(error?: unknown): void;
}

function harness(options: Partial<LocalRunsOptions<Created>> = {}) {
  const held: Held[] = [];
  const log: string[] = [];
  const gaveUp: Array<[string, unknown]> = [];
  const runs = createLocalRuns<Created>({
    concurrency: 2,
    maxAttempts: 3,
    backoff: () => 5,
    execute: (request, signal) =>
      new Promise<void>((resolve, reject) => {
        log.push(`start ${request.runId}${request.created ? ` (${request.created.note})` : ''}`);
        held.push({ request, signal, finish: (error) => (error ? reject(error) : resolve()) });
      }),
    async giveUp(request, error) {
      gaveUp.push([request.runId, error]);
    },
    ...options,
  });
  const settle = () => new Promise((r) => setTimeout(r, 20));
  return { runs, held, log, gaveUp, settle };
}

describe('local runs', () => {
  it('execute once started, in order, at most `concurrency` at once; onIdle waits for all; counts them', async () => {
    const { runs, held, log, settle } = harness();
    runs.dispatch({ tenant: 't', runId: 'a', created: { note: 'fresh' } });
    runs.dispatch({ tenant: 't', runId: 'b' });
    runs.dispatch({ tenant: 't', runId: 'c' });
    await settle();
    expect(log).toEqual([]);
    expect(runs.counts).toEqual({ pending: 3, running: 0 });
    runs.start();
    expect(log).toEqual(['start a (fresh)', 'start b']);
    expect(runs.counts).toEqual({ pending: 1, running: 2 });
    let idle = false;
    void runs.onIdle().then(() => {
      idle = true;
    });
    held[0]!.finish();
    await settle();
    expect(log).toEqual(['start a (fresh)', 'start b', 'start c']);
    held[1]!.finish();
    held[2]!.finish();
    await settle();
    expect(idle).toBe(true);
    expect(runs.busy).toBe(false);
    expect(runs.counts).toEqual({ pending: 0, running: 0 });
  });

  it('counts a run waiting for its retry as pending, until close drops it', async () => {
    const { runs, held, settle } = harness({ backoff: () => 60_000 });
    runs.start();
    runs.dispatch({ tenant: 't', runId: 'a' });
    held[0]!.finish(new Error('disk full'));
    await settle();
    expect(runs.counts).toEqual({ pending: 1, running: 0 });
    runs.dispatch({ tenant: 't', runId: 'b' }); // executing through the close's grace
    const closing = runs.close(10_000);
    expect(runs.counts).toEqual({ pending: 0, running: 1 });
    held[1]!.finish();
    await closing;
    expect(runs.counts).toEqual({ pending: 0, running: 0 });
  });

  it('drop forgets a run waiting to start or for a retry, so onIdle does not wait for it; an executing one is left', async () => {
    const { runs, held, log, settle } = harness({ concurrency: 1, backoff: () => 60_000 });
    runs.start();
    runs.dispatch({ tenant: 't', runId: 'a' });
    runs.dispatch({ tenant: 't', runId: 'b' });
    runs.dispatch({ tenant: 't', runId: 'c' });
    runs.drop('a'); // executing: left alone
    runs.drop('b'); // waiting to start
    expect(runs.counts).toEqual({ pending: 1, running: 1 });
    held[0]!.finish(new Error('disk full')); // a now waits a minute for its retry
    await settle();
    expect(log).toEqual(['start a', 'start c']);
    let idle = false;
    void runs.onIdle().then(() => {
      idle = true;
    });
    held[1]!.finish();
    await settle();
    // a still waits for its retry: it was executing when it was dropped.
    expect(idle).toBe(false);
    expect(runs.counts).toEqual({ pending: 1, running: 0 });
    runs.drop('a');
    await settle();
    expect(idle).toBe(true);
    expect(runs.counts).toEqual({ pending: 0, running: 0 });
    expect(log).toEqual(['start a', 'start c']);
  });

  it('never executes one run twice at once: again while waiting is ignored, while executing runs once more after', async () => {
    const { runs, held, log, settle } = harness({ concurrency: 1 });
    runs.start();
    runs.dispatch({ tenant: 't', runId: 'a' });
    runs.dispatch({ tenant: 't', runId: 'b' });
    runs.dispatch({ tenant: 't', runId: 'b' });
    runs.dispatch({ tenant: 't', runId: 'a' });
    held[0]!.finish();
    await settle();
    held[1]!.finish();
    await settle();
    held[2]!.finish();
    await settle();
    expect(log).toEqual(['start a', 'start b', 'start a']);
    expect(runs.busy).toBe(false);
  });

  it('retries an execution that threw after the backoff, without the created run, then gives up with the last error', async () => {
    const delays: number[] = [];
    const { runs, held, log, gaveUp, settle } = harness({
      backoff: (n) => {
        delays.push(n);
        return 5;
      },
    });
    runs.start();
    runs.dispatch({ tenant: 't', runId: 'a', created: { note: 'fresh' } });
    let idle = false;
    void runs.onIdle().then(() => {
      idle = true;
    });
    held[0]!.finish(new Error('disk full 1'));
    await settle();
    held[1]!.finish(new Error('disk full 2'));
    await settle();
    expect(idle).toBe(false);
    held[2]!.finish(new Error('disk full 3'));
    await settle();
    expect(log).toEqual(['start a (fresh)', 'start a', 'start a']);
    expect(delays).toEqual([1, 2]);
    expect(gaveUp).toEqual([['a', new Error('disk full 3')]]);
    expect(idle).toBe(true);
  });

  it('close drops waiting runs and retries, aborts executing ones after the grace, and refuses new ones', async () => {
    const { runs, held, log, gaveUp } = harness({ concurrency: 1 });
    runs.start();
    runs.dispatch({ tenant: 't', runId: 'a' });
    runs.dispatch({ tenant: 't', runId: 'b' });
    const aborted = new Promise<unknown>((resolve) => {
      held[0]!.signal.addEventListener('abort', () => {
        resolve(held[0]!.signal.reason);
        held[0]!.finish(held[0]!.signal.reason);
      });
    });
    const started = Date.now();
    await runs.close(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(await aborted).toMatchObject({ code: ErrorCode.SHUTTING_DOWN });
    expect(log).toEqual(['start a']);
    expect(gaveUp).toEqual([]);
    expect(runs.busy).toBe(false);
    await runs.onIdle();
    expect(() => runs.dispatch({ tenant: 't', runId: 'c' })).toThrow(FileForgeError);
  });

  it('close waits for an execution that ends within the grace, without aborting it', async () => {
    const { runs, held } = harness();
    runs.start();
    runs.dispatch({ tenant: 't', runId: 'a' });
    setTimeout(() => held[0]!.finish(), 20);
    await runs.close(5000);
    expect(held[0]!.signal.aborted).toBe(false);
  });

  it('onIdle during close resolves once close is done, without spinning', async () => {
    const { runs, held } = harness();
    runs.start();
    runs.dispatch({ tenant: 't', runId: 'a' });
    held[0]!.signal.addEventListener('abort', () => held[0]!.finish(held[0]!.signal.reason));
    let closed = false;
    const closing = runs.close(50).then(() => {
      closed = true;
    });
    await runs.onIdle();
    expect(closed).toBe(true);
    await closing;
  });

  it('a run being given up keeps onIdle and close waiting until giveUp is done', async () => {
    let giveUpDone = false;
    const { runs, held, settle } = harness({
      maxAttempts: 1,
      async giveUp() {
        await new Promise((r) => setTimeout(r, 100));
        giveUpDone = true;
      },
    });
    runs.start();
    runs.dispatch({ tenant: 't', runId: 'a' });
    runs.dispatch({ tenant: 't', runId: 'b' });
    held[0]!.finish(new Error('disk full'));
    held[1]!.finish();
    await settle();
    expect(runs.busy).toBe(true);
    await runs.onIdle();
    expect(giveUpDone).toBe(true);

    giveUpDone = false;
    runs.dispatch({ tenant: 't', runId: 'c' });
    held[2]!.finish(new Error('disk full'));
    await settle();
    await runs.close(1000);
    expect(giveUpDone).toBe(true);
  });

  it('holds the created run only for the first waiting runs of a burst', async () => {
    const { runs, held, log, settle } = harness({ concurrency: 1 });
    for (let i = 0; i < 1002; i++) runs.dispatch({ tenant: 't', runId: `r${i}`, created: { note: 'fresh' } });
    runs.start();
    for (let i = 0; i < 1002; i++) {
      while (!held[i]) await new Promise((r) => setImmediate(r));
      held[i]!.finish();
    }
    await settle();
    // The first 1,000 waiting runs keep theirs; the others read theirs back.
    expect(log.length).toBe(1002);
    expect(log.slice(998)).toEqual([
      'start r998 (fresh)',
      'start r999 (fresh)',
      'start r1000',
      'start r1001',
    ]);
  });
});
