import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox, type SandboxOptions } from './sandbox-worker.js';

const sandboxes: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((s) => s.close()));
});

/** A sandbox whose workers run `body` (with `id` and `data` in scope) for each job. */
function sandboxOf(body: string, overrides: Partial<SandboxOptions> = {}): Sandbox {
  const sandbox = createSandbox({
    scope: 'test',
    source: `require('node:worker_threads').parentPort.on('message', ({ id, data }) => { ${body} });`,
    resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 },
    resourceLimitReason: 'test_resource_limit',
    ...overrides,
  });
  sandboxes.push(sandbox);
  return sandbox;
}

const job = (data: unknown = null, timeoutMs = 5000) => ({
  data,
  timeoutMs,
  signal: new AbortController().signal,
});

/** Answers `{ answer: 42, threadId }`, or runs forever / hogs memory / throws when told to. */
const BODY = `
  const { parentPort, threadId } = require('node:worker_threads');
  if (data === 'loop') for (;;) {}
  if (data === 'hog') { const keep = []; for (;;) keep.push(new Array(10000).fill({ x: 1 })); }
  if (data === 'throw') throw new Error('boom');
  parentPort.postMessage({ id, result: { answer: 42, threadId }, reusable: data !== 'once' });
`;

const threadOf = async (sandbox: Sandbox, data: unknown = null) =>
  ((await sandbox.run(job(data))) as { threadId: number }).threadId;

describe('createSandbox', () => {
  it('resolves with what the worker answers', async () => {
    await expect(sandboxOf(BODY).run(job())).resolves.toMatchObject({ answer: 42 });
  });

  it('terminates a worker that never finishes with PROCESSOR_TIMEOUT, and the next job works', async () => {
    const sandbox = sandboxOf(BODY, { maxJobsPerWorker: 10 });
    const before = await threadOf(sandbox);
    await expect(sandbox.run(job('loop', 200))).rejects.toMatchObject({
      code: 'PROCESSOR_TIMEOUT',
      details: { timeoutMs: 200 },
    });
    const after = await threadOf(sandbox);
    // The looping worker was the one kept from the first job; it is gone, not reused.
    expect(after).not.toBe(before);
  });

  it('rejects content whose parsing exhausts the worker heap, without crashing the process', async () => {
    const sandbox = sandboxOf(BODY);
    await expect(sandbox.run(job('hog', 30_000))).rejects.toMatchObject({
      code: 'CONTENT_REJECTED',
      details: { reason: 'test_resource_limit' },
    });
    await expect(sandbox.run(job())).resolves.toMatchObject({ answer: 42 });
  }, 40_000);

  it('stops the worker when the signal fires', async () => {
    const controller = new AbortController();
    const pending = sandboxOf(BODY).run({ data: 'loop', timeoutMs: 5000, signal: controller.signal });
    controller.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow('shutting down');
  });

  it('fails (not rejects) when the worker crashes', async () => {
    const error = await sandboxOf(BODY)
      .run(job('throw'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('boom');
    expect((error as { code?: string }).code).toBeUndefined();
  });

  it('reuses a worker for up to maxJobsPerWorker jobs, then starts a fresh one', async () => {
    const sandbox = sandboxOf(BODY, { maxJobsPerWorker: 3 });
    const threads = [];
    for (let i = 0; i < 5; i++) threads.push(await threadOf(sandbox));
    expect(new Set(threads.slice(0, 3)).size).toBe(1);
    expect(threads[3]).not.toBe(threads[0]);
    expect(threads[4]).toBe(threads[3]);
  });

  it('gives every job a fresh worker by default', async () => {
    const sandbox = sandboxOf(BODY);
    expect(await threadOf(sandbox)).not.toBe(await threadOf(sandbox));
  });

  it('does not reuse a worker that answered reusable: false', async () => {
    const sandbox = sandboxOf(BODY, { maxJobsPerWorker: 10 });
    const first = await threadOf(sandbox, 'once');
    expect(await threadOf(sandbox)).not.toBe(first);
  });

  it('runs concurrent jobs on separate workers', async () => {
    const sandbox = sandboxOf(BODY, { maxJobsPerWorker: 10 });
    const [a, b] = await Promise.all([threadOf(sandbox), threadOf(sandbox)]);
    expect(a).not.toBe(b);
  });

  it('terminates an idle worker after idleMs', async () => {
    const sandbox = sandboxOf(BODY, { maxJobsPerWorker: 10, idleMs: 50 });
    const first = await threadOf(sandbox);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await threadOf(sandbox)).not.toBe(first);
  });
});
