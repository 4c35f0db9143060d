import { corpusSubject, generateCorpus } from '@fileforge/test-fixtures/corpus';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../errors/codes.js';
import { FileForgeError } from '../errors/fileforge-error.js';
import { trainClassifier } from './train.js';
import { runTrainingWorker, trainClassifierOffLoop } from './train-thread.js';
import type { LabelledExample } from './types.js';

// Counts in-process trainings (a worker loads its own, unmocked copy) and keeps every worker
// started, to check that each one ends.
const started = vi.hoisted(() => [] as { threadId: number }[]);
vi.mock('./train.js', async (original) => {
  const actual = await original<typeof import('./train.js')>();
  return { ...actual, trainClassifier: vi.fn(actual.trainClassifier) };
});
vi.mock('node:worker_threads', async (original) => {
  const actual = await original<typeof import('node:worker_threads')>();
  class Worker extends actual.Worker {
    constructor(...args: ConstructorParameters<typeof actual.Worker>) {
      super(...args);
      started.push(this);
    }
  }
  return { ...actual, Worker };
});

const labelled = (perCategory: number, seed: number): LabelledExample[] =>
  generateCorpus({ perCategory, seed }).map((d, i) => ({
    subject: corpusSubject(d, i),
    category: d.category,
  }));
const now = () => Date.UTC(2026, 2, 4, 9, 30);

/** Every worker started so far has ended (a thread that is gone has `threadId` -1). */
async function expectEveryWorkerEnded(): Promise<void> {
  await vi.waitFor(() => expect(started.map((w) => w.threadId)).toEqual(started.map(() => -1)));
}

afterEach(() => vi.mocked(trainClassifier).mockClear());

describe('trainClassifierOffLoop', () => {
  it('trains in a worker the same model, byte for byte, as trainClassifier in-process', async () => {
    // Page counts where each processor puts them, and metadata the features never read.
    const shapes = [
      (pages: number) => ({ pages }),
      (pages: number) => ({ pdf: { pageCount: pages, text: 'a copy of the text' } }),
      (pages: number) => ({ office: { pages }, exif: { Make: 'Scanner' } }),
      () => ({ source: 'upload' }),
    ];
    const examples = labelled(12, 21).map((e, i) => ({
      category: e.category === 'recipes' ? '__proto__' : e.category,
      subject: { ...e.subject, metadata: shapes[i % shapes.length]!(1 + (i % 7)) },
    }));
    const options = { seed: 3, thresholds: { cvs: 0.99 }, maxVocabulary: 800, minTokens: 2 };

    const model = await trainClassifierOffLoop(examples, { ...options, now, inProcessBelow: 0 });
    expect(trainClassifier).not.toHaveBeenCalled();
    expect(JSON.stringify(model)).toBe(JSON.stringify(trainClassifier(examples, { ...options, now })));
    expect(model.trainedAt).toBe('2026-03-04T09:30:00.000Z');
    await expectEveryWorkerEnded();
  });

  it('keeps the event loop turning while thousands of labels train, and gives the same model', async () => {
    // 5,000 labels: 0.4–0.6 s of training, during which an in-process training stops everything.
    const examples = labelled(1000, 11);
    const inProcessStart = performance.now();
    const expected = JSON.stringify(trainClassifier(examples, { now }));
    const inProcessMs = performance.now() - inProcessStart;

    let ticks = 0;
    let last = performance.now();
    let longestGap = 0;
    const timer = setInterval(() => {
      const at = performance.now();
      longestGap = Math.max(longestGap, at - last);
      last = at;
      ticks++;
    }, 10);
    const start = performance.now();
    const model = await trainClassifierOffLoop(examples, { now }).finally(() => clearInterval(timer));
    const tookMs = performance.now() - start;
    longestGap = Math.max(longestGap, performance.now() - last);

    expect(JSON.stringify(model)).toBe(expected);
    // In-process the interval could not fire until the end: its longest gap would be the
    // whole training. Off the loop it fires throughout; a loaded machine still has room.
    const report = `gap ${longestGap.toFixed(0)} ms, ${ticks} ticks in ${tookMs.toFixed(0)} ms; in-process ${inProcessMs.toFixed(0)} ms`;
    expect(longestGap, report).toBeLessThan(inProcessMs / 3);
    expect(ticks, report).toBeGreaterThan(tookMs / 10 / 4);
    await expectEveryWorkerEnded();
  });

  it('rejects labels of one category with the VALIDATION_FAILED that trainClassifier throws', async () => {
    const invoices = labelled(12, 21).filter((e) => e.category === 'invoices');
    const error = await trainClassifierOffLoop(invoices, { inProcessBelow: 0 }).catch((e: unknown) => e);
    expect(trainClassifier).not.toHaveBeenCalled();
    expect(FileForgeError.is(error)).toBe(true);
    expect(error).toMatchObject({
      code: ErrorCode.VALIDATION_FAILED,
      message: '[fileforge:classifier] Training needs labels of at least 2 categories, got 1',
      details: { categories: ['invoices'] },
    });
    let thrown: FileForgeError | undefined;
    try {
      trainClassifier(invoices);
    } catch (e) {
      thrown = e as FileForgeError;
    }
    expect([thrown?.code, thrown?.message, thrown?.details]).toEqual([
      (error as FileForgeError).code,
      (error as FileForgeError).message,
      (error as FileForgeError).details,
    ]);
    await expectEveryWorkerEnded();
  });

  it('trains a few labels in-process: starting a thread would cost more than it blocks', async () => {
    const few = labelled(4, 21);
    const model = await trainClassifierOffLoop(few, { now });
    expect(trainClassifier).toHaveBeenCalledTimes(1);
    expect(model.labelCount).toBe(20);
  });

  it('stops the worker when aborted', async () => {
    const controller = new AbortController();
    const training = trainClassifierOffLoop(labelled(200, 11), { signal: controller.signal });
    controller.abort(new FileForgeError(ErrorCode.ABORTED, '[fileforge:test] stop'));
    await expect(training).rejects.toMatchObject({ code: ErrorCode.ABORTED });
    await expectEveryWorkerEnded();
  });
});

describe('runTrainingWorker', () => {
  const request = { examples: labelled(4, 21), options: {}, now: now() };

  it.each([
    ['exits without an answer', 'process.exit(3)', /exited \(code 3\) without a model/],
    ['crashes', 'throw new Error("out of cheese")', /crashed: out of cheese/],
    [
      'answers something else',
      'require("node:worker_threads").parentPort.postMessage({ nonsense: true })',
      /answered without a model/,
    ],
  ])('rejects with INTERNAL when the worker %s', async (_, script, message) => {
    const error = await runTrainingWorker({ script, eval: true }, request).catch((e: unknown) => e);
    expect(FileForgeError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: ErrorCode.INTERNAL, message });
    expect((error as Error).message).toMatch(/^\[fileforge:classifier\] The training worker /);
    await expectEveryWorkerEnded();
  });
});
