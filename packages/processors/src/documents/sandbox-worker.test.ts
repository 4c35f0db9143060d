import { describe, expect, it } from 'vitest';
import { runSandboxed, type SandboxOptions } from './sandbox-worker.js';

const run = (source: string, overrides: Partial<SandboxOptions> = {}) =>
  runSandboxed({
    scope: 'test',
    source,
    workerData: null,
    resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 },
    timeoutMs: 5000,
    resourceLimitReason: 'test_resource_limit',
    signal: new AbortController().signal,
    ...overrides,
  });

const answer = `require('node:worker_threads').parentPort.postMessage({ answer: 42 });`;

describe('runSandboxed', () => {
  it('resolves with what the worker posts', async () => {
    await expect(run(answer)).resolves.toEqual({ answer: 42 });
  });

  it('terminates a worker that never finishes with PROCESSOR_TIMEOUT, and the next run works', async () => {
    await expect(run('for (;;) {}', { timeoutMs: 200 })).rejects.toMatchObject({
      code: 'PROCESSOR_TIMEOUT',
      details: { timeoutMs: 200 },
    });
    await expect(run(answer)).resolves.toEqual({ answer: 42 });
  });

  it('rejects content whose parsing exhausts the worker heap, without crashing the process', async () => {
    const hog = 'const keep = []; for (;;) keep.push(new Array(10000).fill({ x: 1 }));';
    await expect(run(hog, { timeoutMs: 30_000 })).rejects.toMatchObject({
      code: 'CONTENT_REJECTED',
      details: { reason: 'test_resource_limit' },
    });
    await expect(run(answer)).resolves.toEqual({ answer: 42 });
  }, 40_000);

  it('stops the worker when the signal fires', async () => {
    const controller = new AbortController();
    const pending = run('for (;;) {}', { signal: controller.signal });
    controller.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow('shutting down');
  });

  it('fails (not rejects) when the worker crashes', async () => {
    const error = await run(`throw new Error('boom')`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('boom');
    expect((error as { code?: string }).code).toBeUndefined();
  });
});
