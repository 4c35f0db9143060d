import { ErrorCode, FileForgeError, type ForgeOptions, type WorkflowStepKind } from '@fileforge/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { cleanUp, makeForge, recordingStep, waitForRun } from './support/workflow-forge.js';

afterEach(cleanUp);

/** Resolves once `n` callers have arrived, or after `ms` (so a sequential engine does not hang). */
function barrier(n: number, ms = 3000) {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
    setTimeout(resolve, ms).unref();
  });
  return async () => {
    arrived++;
    if (arrived >= n) open();
    await opened;
  };
}

describe('workflow engine', () => {
  it('runs a 4-step DAG with its parallel branch overlapping, dependents after their needs', async () => {
    const log: string[] = [];
    const meet = barrier(2);
    const parallel: WorkflowStepKind = {
      name: 'test.parallel',
      options: z.object({ label: z.string() }),
      async run(_c, { label }) {
        log.push(`${label}:start`);
        await meet(); // both branches must be running at once to pass this quickly
        log.push(`${label}:end`);
        return { label };
      },
    };
    const forge = await makeForge({ workflows: { steps: [recordingStep(log), parallel] } });
    const wf = await forge.workflows.define({
      name: 'dag',
      on: { manual: true },
      steps: {
        a: { uses: 'test.record', with: { label: 'a' } },
        b: { uses: 'test.parallel', needs: ['a'], with: { label: 'b' } },
        c: { uses: 'test.parallel', needs: ['a'], with: { label: 'c' } },
        d: {
          uses: 'test.record',
          needs: ['b', 'c'],
          with: { label: '{{ steps.b.output.label }}+{{ steps.c.output.label }}' },
        },
      },
    });
    const run = await waitForRun(forge, (await forge.workflows.run(wf.id)).id);
    expect(run.status).toBe('completed');
    expect(log.slice(0, 2)).toEqual(['a:start', 'a:end']);
    const branch = log.slice(2, 6);
    // Both branches started before either ended: they overlapped.
    expect(branch.slice(0, 2).sort()).toEqual(['b:start', 'c:start']);
    expect(branch.slice(2).sort()).toEqual(['b:end', 'c:end']);
    expect(log.slice(6)).toEqual(['b+c:start', 'b+c:end']);
    expect(run.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['a', 'completed', 1],
      ['b', 'completed', 1],
      ['c', 'completed', 1],
      ['d', 'completed', 1],
    ]);
    expect(run.steps[3]?.output).toEqual({ step: 'b+c' });
  });

  it('retries a step that fails twice, then succeeds: 3 attempts recorded', async () => {
    let calls = 0;
    const flaky: WorkflowStepKind = {
      name: 'test.flaky',
      options: z.object({}),
      async run() {
        calls++;
        if (calls <= 2) throw new Error(`flake ${calls}`);
        return { calls };
      },
    };
    const forge = await makeForge({ workflows: { steps: [flaky] } });
    const wf = await forge.workflows.define({
      name: 'retry',
      on: { manual: true },
      steps: { s: { uses: 'test.flaky', retry: { maxRetries: 3, retryDelayMs: 1, jitter: 'none' } } },
    });
    const run = await waitForRun(forge, (await forge.workflows.run(wf.id)).id);
    expect(run.status).toBe('completed');
    expect(run.steps[0]).toMatchObject({ status: 'completed', attempts: 3, output: { calls: 3 } });
  });

  it('never retries what a retry cannot fix: a 4xx answer, a vendor refusal, an open circuit', async () => {
    const failures: Record<string, () => Error> = {
      // As the HTTP client reports an answer: the status in `details`, with `retryable`.
      http400: () =>
        new FileForgeError(ErrorCode.UPSTREAM_ERROR, 'HTTP 400', {
          details: { status: 400, retryable: false },
        }),
      http404: () => new FileForgeError(ErrorCode.UPSTREAM_ERROR, 'HTTP 404', { details: { status: 404 } }),
      rejected: () => new FileForgeError(ErrorCode.INTEGRATION_REJECTED, 'the vendor said no'),
      circuit: () => new FileForgeError(ErrorCode.CIRCUIT_OPEN, 'circuit open'),
      // ...while 503 and 429 answers are retried.
      http503: () =>
        new FileForgeError(ErrorCode.UPSTREAM_ERROR, 'HTTP 503', {
          details: { status: 503, retryable: true },
        }),
      http429: () => new FileForgeError(ErrorCode.UPSTREAM_ERROR, 'HTTP 429', { details: { status: 429 } }),
    };
    const calls: Record<string, number> = {};
    const failing: WorkflowStepKind = {
      name: 'test.failing',
      options: z.object({ kind: z.string() }),
      async run(_c, { kind }) {
        calls[kind] = (calls[kind] ?? 0) + 1;
        throw failures[kind]!();
      },
    };
    const forge = await makeForge({ workflows: { steps: [failing] } });
    for (const kind of Object.keys(failures)) {
      const wf = await forge.workflows.define({
        name: `no-retry-${kind}`,
        on: { manual: true },
        steps: {
          s: {
            uses: 'test.failing',
            with: { kind },
            retry: { maxRetries: 2, retryDelayMs: 1, jitter: 'none' },
          },
        },
      });
      const run = await waitForRun(forge, (await forge.workflows.run(wf.id)).id);
      expect(run.status, kind).toBe('failed');
    }
    expect(calls).toEqual({ http400: 1, http404: 1, rejected: 1, circuit: 1, http503: 3, http429: 3 });
  });

  it('without retry a failing step is tried once; onError fail fails the run, continue lets dependents run', async () => {
    const log: string[] = [];
    const boom: WorkflowStepKind = {
      name: 'test.boom',
      options: z.object({}),
      async run() {
        throw new Error('it broke');
      },
    };
    const forge = await makeForge({ workflows: { steps: [boom, recordingStep(log)] } });
    const events: string[] = [];
    forge.events.on('workflow.failed', (e) => {
      events.push(`failed:${e.step}:${e.error?.message}`);
    });
    const failing = await forge.workflows.define({
      name: 'fail',
      on: { manual: true },
      steps: {
        bad: { uses: 'test.boom' },
        after: { uses: 'test.record', needs: ['bad'], with: { label: 'after-fail' } },
      },
    });
    const failed = await waitForRun(forge, (await forge.workflows.run(failing.id)).id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ step: 'bad', message: 'it broke' });
    expect(failed.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['bad', 'failed', 1],
      ['after', 'skipped', 0],
    ]);

    const continuing = await forge.workflows.define({
      name: 'continue',
      on: { manual: true },
      steps: {
        bad: { uses: 'test.boom', onError: 'continue' },
        after: { uses: 'test.record', needs: ['bad'], with: { label: 'after-continue' } },
      },
    });
    const done = await waitForRun(forge, (await forge.workflows.run(continuing.id)).id);
    expect(done.status).toBe('completed');
    expect(done.steps.map((s) => s.status)).toEqual(['failed', 'completed']);
    expect(log).toEqual(['after-continue:start', 'after-continue:end']);
    await forge.queue.onIdle();
    expect(events).toEqual(['failed:bad:it broke']);
  });

  it('fails a step that runs past its timeoutMs with TIMEOUT, and its signal is aborted', async () => {
    let aborted = false;
    const slow: WorkflowStepKind = {
      name: 'test.slow',
      options: z.object({}),
      run: (context) =>
        new Promise((_, reject) => {
          context.signal.addEventListener('abort', () => {
            aborted = true;
            reject(context.signal.reason);
          });
        }),
    };
    const forge = await makeForge({ workflows: { steps: [slow] } });
    const wf = await forge.workflows.define({
      name: 'timeout',
      on: { manual: true },
      steps: { s: { uses: 'test.slow', timeoutMs: 50 } },
    });
    const run = await waitForRun(forge, (await forge.workflows.run(wf.id)).id);
    expect(run.status).toBe('failed');
    expect(run.steps[0]?.error?.code).toBe('TIMEOUT');
    expect(aborted).toBe(true);
  });

  it('cancels a running run: its running step is aborted, pending steps cancelled', async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => {
      started = r;
    });
    let sawAbort = false;
    const wait: WorkflowStepKind = {
      name: 'test.wait',
      options: z.object({}),
      timeoutMs: null,
      run: (context) =>
        new Promise((_, reject) => {
          started();
          context.signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(context.signal.reason);
          });
        }),
    };
    const log: string[] = [];
    const forge = await makeForge({ workflows: { steps: [wait, recordingStep(log)] } });
    const wf = await forge.workflows.define({
      name: 'cancel',
      on: { manual: true },
      steps: {
        w: { uses: 'test.wait' },
        next: { uses: 'test.record', needs: ['w'], with: { label: 'next' } },
      },
    });
    const { id } = await forge.workflows.run(wf.id);
    await running;
    const cancelled = await forge.workflows.cancelRun(id);
    expect(cancelled.status).toBe('cancelled');
    await forge.queue.onIdle();
    const run = await forge.workflows.getRun(id);
    expect(run.status).toBe('cancelled');
    expect(run.steps.map((s) => s.status)).toEqual(['cancelled', 'cancelled']);
    expect(sawAbort).toBe(true);
    expect(log).toEqual([]);
  });

  it('a cancel landing after the start committed, before the first step ran, runs no step', async () => {
    const log: string[] = [];
    const forge = await makeForge({ workflows: { steps: [recordingStep(log)] } });
    const wf = await forge.workflows.define({
      name: 'cancel-at-start',
      on: { manual: true },
      steps: {
        a: { uses: 'test.record', with: { label: 'a' } },
        b: { uses: 'test.record', needs: ['a'], with: { label: 'b' } },
      },
    });
    // The first step's `running` mark commits with the start; its kind waits for the start's
    // delivery, so a listener of workflow.started cancels in exactly that gap.
    const seen: string[] = [];
    forge.events.on('workflow.started', async (e) => {
      const stored = await forge.workflows.getRun(e.runId);
      seen.push(`${stored.status}:${stored.steps.map((s) => s.status).join(',')}`);
      await forge.workflows.cancelRun(e.runId);
    });
    const { id } = await forge.workflows.run(wf.id);
    const run = await waitForRun(forge, id);
    await forge.queue.onIdle();
    expect(seen).toEqual(['running:running,pending']);
    expect(run.status).toBe('cancelled');
    expect(run.steps.map((s) => s.status)).toEqual(['cancelled', 'cancelled']);
    expect(log).toEqual([]);
    expect((await forge.workflows.getRun(id)).status).toBe('cancelled');
  });

  it('retries a failed run from its failed step; completed steps are not run again', async () => {
    const counts: Record<string, number> = {};
    let broken = true;
    const counted: WorkflowStepKind = {
      name: 'test.count',
      options: z.object({ label: z.string(), fragile: z.boolean().default(false) }),
      async run(_c, { label, fragile }) {
        counts[label] = (counts[label] ?? 0) + 1;
        if (fragile && broken) throw new Error('not yet');
        return { label };
      },
    };
    const forge = await makeForge({ workflows: { steps: [counted] } });
    const wf = await forge.workflows.define({
      name: 'resume',
      on: { manual: true },
      steps: {
        first: { uses: 'test.count', with: { label: 'first' } },
        second: { uses: 'test.count', needs: ['first'], with: { label: 'second', fragile: true } },
        third: { uses: 'test.count', needs: ['second'], with: { label: 'third' } },
      },
    });
    const { id } = await forge.workflows.run(wf.id);
    const failed = await waitForRun(forge, id);
    expect(failed.status).toBe('failed');
    expect(failed.steps.map((s) => s.status)).toEqual(['completed', 'failed', 'skipped']);
    await expect(forge.workflows.retryRun(id, {})).resolves.toMatchObject({ status: 'pending', attempt: 2 });
    // still failing: fails again at the same step
    expect((await waitForRun(forge, id)).status).toBe('failed');
    broken = false;
    await forge.workflows.retryRun(id);
    const done = await waitForRun(forge, id);
    expect(done.status).toBe('completed');
    expect(counts).toEqual({ first: 1, second: 3, third: 1 });
    expect(done.steps.map((s) => [s.name, s.attempts])).toEqual([
      ['first', 1],
      ['second', 3],
      ['third', 1],
    ]);
    await expect(forge.workflows.retryRun(id)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('announces a run with workflow.started and workflow.completed on the run stream', async () => {
    const log: string[] = [];
    const forge = await makeForge({ workflows: { steps: [recordingStep(log)] } });
    const seen: string[] = [];
    for (const type of ['workflow.started', 'workflow.completed', 'workflow.failed'] as const) {
      forge.events.on(type, (e) => {
        seen.push(`${type}:${e.runId}`);
        log.push(type);
      });
    }
    const wf = await forge.workflows.define({
      name: 'announce',
      on: { manual: true },
      steps: { a: { uses: 'test.record', with: { label: 'a' } } },
    });
    const { id } = await forge.workflows.run(wf.id);
    await waitForRun(forge, id);
    await forge.queue.onIdle();
    expect(seen).toEqual([`workflow.started:${id}`, `workflow.completed:${id}`]);
    // The first step's mark commits with the run's start, but its kind runs once the start was
    // delivered.
    expect(log).toEqual(['workflow.started', 'a:start', 'a:end', 'workflow.completed']);
  });

  it('skips a step whose `if` renders falsy; its dependents still run', async () => {
    const log: string[] = [];
    const forge = await makeForge({ workflows: { steps: [recordingStep(log)] } });
    const wf = await forge.workflows.define({
      name: 'conditional',
      on: { manual: true },
      steps: {
        maybe: { uses: 'test.record', if: '{{ input.go }}', with: { label: 'maybe' } },
        after: { uses: 'test.record', needs: ['maybe'], with: { label: 'after:{{ steps.maybe.status }}' } },
      },
    });
    const skipped = await waitForRun(forge, (await forge.workflows.run(wf.id, { input: { go: false } })).id);
    expect(skipped.steps.map((s) => [s.name, s.status])).toEqual([
      ['maybe', 'skipped'],
      ['after', 'completed'],
    ]);
    const ran = await waitForRun(forge, (await forge.workflows.run(wf.id, { input: { go: true } })).id);
    expect(ran.steps.map((s) => s.status)).toEqual(['completed', 'completed']);
    expect(log).toEqual([
      'after:skipped:start',
      'after:skipped:end',
      'maybe:start',
      'maybe:end',
      'after:completed:start',
      'after:completed:end',
    ]);
  });
});

/** A forge with `kind` registered and a manual workflow of that one step. */
async function oneStepWorkflow(kind: WorkflowStepKind, options: Omit<ForgeOptions, 'workflows'> = {}) {
  const forge = await makeForge({ ...options, workflows: { steps: [kind] } });
  const wf = await forge.workflows.define({
    name: kind.name,
    on: { manual: true },
    steps: { only: { uses: kind.name } },
  });
  return { forge, wf };
}

/** A promise the test resolves by hand: steps wait on `gate` until `release()`. */
function gated() {
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  return { gate, release };
}

describe('runs of an embedded forge (the only process on its catalog)', () => {
  it('execute without a queue job each, at most MAX_WORKERS at once, counted by queue.stats(), and queue.onIdle() waits for them', async () => {
    let live = 0;
    let maxLive = 0;
    const { gate, release } = gated();
    const slow: WorkflowStepKind = {
      name: 'test.slow',
      options: z.object({}),
      async run() {
        live++;
        maxLive = Math.max(maxLive, live);
        await gate;
        await new Promise((r) => setTimeout(r, 30));
        live--;
        return { ok: true };
      },
    };
    const { forge, wf } = await oneStepWorkflow(slow, { maxWorkers: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await forge.workflows.run(wf.id)).id);
    await vi.waitFor(() => expect(live).toBe(2), { timeout: 10_000 });
    // Two executing, four waiting: the queue's figures show them as its jobs' did.
    expect(await forge.queue.stats()).toMatchObject({ pending: 4, running: 2 });
    release();
    await forge.queue.onIdle();
    expect(await forge.queue.stats()).toMatchObject({ pending: 0, running: 0 });
    // Read at once, no polling: onIdle() returned only once every run had ended.
    for (const id of ids) expect((await forge.workflows.getRun(id)).status).toBe('completed');
    expect(maxLive).toBe(2);
    const jobs = await forge.catalog.db!()
      .selectFrom('jobs')
      .select('type')
      .where('type', '=', 'workflow.run')
      .execute();
    expect(jobs).toEqual([]);
  });

  it('a waiting run that is cancelled is no longer counted or waited for', async () => {
    const { gate, release } = gated();
    const held: WorkflowStepKind = {
      name: 'test.gated',
      options: z.object({}),
      async run() {
        await gate;
        return { ok: true };
      },
    };
    const { forge, wf } = await oneStepWorkflow(held, { maxWorkers: 1 });
    const first = await forge.workflows.run(wf.id);
    const second = await forge.workflows.run(wf.id);
    expect(await forge.queue.stats()).toMatchObject({ pending: 1, running: 1 });
    expect((await forge.workflows.cancelRun(second.id)).status).toBe('cancelled');
    expect(await forge.queue.stats()).toMatchObject({ pending: 0, running: 1 });
    release();
    await forge.queue.onIdle();
    expect((await forge.workflows.getRun(first.id)).status).toBe('completed');
    expect((await forge.workflows.getRun(second.id)).status).toBe('cancelled');
  });

  it('queue.onIdle() waiting while the forge closes on a running run resolves with the close', async () => {
    const held: WorkflowStepKind = {
      name: 'test.held',
      options: z.object({}),
      run: (context) =>
        new Promise((_, reject) =>
          context.signal.addEventListener('abort', () => reject(context.signal.reason), { once: true }),
        ),
    };
    const { forge, wf } = await oneStepWorkflow(held);
    await forge.workflows.run(wf.id);
    const idle = forge.queue.onIdle();
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await Promise.all([forge.close({ graceMs: 100 }), idle]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a run the forge closed on resumes on the next start without running its completed step again', async () => {
    const log: string[] = [];
    const { gate, release } = gated();
    const first: WorkflowStepKind = {
      name: 'test.first',
      options: z.object({}),
      async run() {
        log.push('first');
        return { ok: true };
      },
    };
    const held: WorkflowStepKind = {
      name: 'test.held',
      options: z.object({}),
      async run(context) {
        log.push('held:start');
        await Promise.race([
          gate,
          new Promise((_, reject) =>
            context.signal.addEventListener('abort', () => reject(context.signal.reason), { once: true }),
          ),
        ]);
        log.push('held:end');
        return { ok: true };
      },
    };
    const options = { workflows: { steps: [first, held] } };
    const forge = await makeForge(options);
    const wf = await forge.workflows.define({
      name: 'resumable',
      on: { manual: true },
      steps: { first: { uses: 'test.first' }, held: { uses: 'test.held', needs: ['first'] } },
    });
    const run = await forge.workflows.run(wf.id);
    await waitForLog(log, 'held:start');
    await forge.close({ graceMs: 50 });
    expect(log).toEqual(['first', 'held:start']);

    release();
    const again = await makeForge({ ...options, dataDir: forge.options.dataDir });
    const resumed = await waitForRun(again, run.id);
    expect(resumed.status).toBe('completed');
    expect(log).toEqual(['first', 'held:start', 'held:start', 'held:end']);
    expect(resumed.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['first', 'completed', 1],
      ['held', 'completed', 2],
    ]);
  });
});

async function waitForLog(log: string[], entry: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!log.includes(entry)) {
    if (Date.now() > deadline) throw new Error(`"${entry}" was never logged: ${log.join(', ')}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
