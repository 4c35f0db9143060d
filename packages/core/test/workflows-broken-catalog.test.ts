/**
 * A workflow run whose step changes the catalog refuses (a full disk, a broken trigger): the
 * run's other steps are stopped before its job tries again, so no step runs twice at once, and
 * a run whose job runs out of attempts ends `failed` instead of staying `running`.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInProcessQueue, type WorkflowStepKind } from '@fileforge/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { cleanUp, makeForge, waitForRun } from './support/workflow-forge.js';

const Database = createRequire(import.meta.url)('better-sqlite3');

afterEach(cleanUp);

describe('a workflow run the catalog refuses a change of', () => {
  it('stops its other steps before the retry, never runs a step twice at once, and ends failed', async () => {
    let live = 0;
    let maxLive = 0;
    let aborted = 0;
    const slow: WorkflowStepKind = {
      name: 'test.slow',
      options: z.object({}),
      async run(context) {
        live++;
        maxLive = Math.max(maxLive, live);
        try {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 1500);
            context.signal.addEventListener('abort', () => {
              aborted++;
              clearTimeout(timer);
              resolve();
            });
          });
          return { ok: true };
        } finally {
          live--;
        }
      },
    };
    const quick: WorkflowStepKind = { name: 'test.quick', options: z.object({}), run: async () => ({}) };
    const forge = await makeForge({ jobMaxAttempts: 2, workflows: { steps: [slow, quick] } });
    // The catalog refuses to record the quick step's end, as a full disk would.
    const db = new Database(join(forge.options.dataDir, 'fileforge.db'));
    db.exec(`CREATE TRIGGER refuse BEFORE UPDATE ON workflow_steps
      WHEN NEW.name = 'quick' AND NEW.status IN ('completed', 'failed')
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;`);
    try {
      const wf = await forge.workflows.define({
        name: 'broken',
        on: { manual: true },
        steps: { slow: { uses: 'test.slow' }, quick: { uses: 'test.quick' } },
      });
      const started = await forge.workflows.run(wf.id);
      const run = await waitForRun(forge, started.id, ['completed', 'failed', 'cancelled']);
      expect(maxLive).toBe(1);
      expect(aborted).toBeGreaterThanOrEqual(1);
      expect(run.status).toBe('failed');
      expect(run.steps.find((s) => s.name === 'slow')?.status).not.toBe('running');
    } finally {
      db.close();
    }
  });

  it('fails a run resumed after its failing step was stored but not the run’s end, naming that step', async () => {
    const bad: WorkflowStepKind = {
      name: 'test.bad',
      options: z.object({}),
      run: async () => {
        throw new Error('boom');
      },
    };
    const good: WorkflowStepKind = { name: 'test.good', options: z.object({}), run: async () => ({}) };
    const forge = await makeForge({ workflows: { steps: [bad, good] } });
    const events: string[] = [];
    for (const type of ['workflow.started', 'workflow.completed', 'workflow.failed'] as const)
      forge.events.on(type, (e) => {
        events.push('step' in e && e.step ? `${type}(${e.step})` : type);
      });
    // The run's end is refused once (a full disk): the job runs the run again from the catalog.
    const db = new Database(join(forge.options.dataDir, 'fileforge.db'));
    db.exec(`CREATE TRIGGER refuse BEFORE UPDATE ON workflow_runs WHEN NEW.status = 'failed'
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;`);
    try {
      const wf = await forge.workflows.define({
        name: 'resumed',
        on: { manual: true },
        steps: {
          bad: { uses: 'test.bad' },
          good: { uses: 'test.good' },
          after: { uses: 'test.good', needs: ['bad'] },
        },
      });
      const started = await forge.workflows.run(wf.id);
      await vi.waitFor(
        async () => {
          const run = await forge.workflows.getRun(started.id);
          expect(run.steps.find((s) => s.name === 'bad')?.status).toBe('failed');
          expect(run.steps.find((s) => s.name === 'good')?.status).toBe('completed');
        },
        { timeout: 10_000 },
      );
      db.exec('DROP TRIGGER refuse');
      const run = await waitForRun(forge, started.id);
      expect(run.status).toBe('failed');
      expect(run.error).toMatchObject({ step: 'bad', message: expect.stringContaining('boom') });
      expect(run.steps.map((s) => [s.name, s.status])).toEqual([
        ['bad', 'failed'],
        ['good', 'completed'],
        ['after', 'skipped'],
      ]);
      await vi.waitFor(() => expect(events).toEqual(['workflow.started', 'workflow.failed(bad)']));
    } finally {
      db.close();
    }
  });

  it('puts back a retry the queue refused, and ends a manual run it refused, so none waits without a job', async () => {
    // Runs are queue jobs where the forge shares its catalog (here: a queue of its own given).

    let fail = true;
    const flaky: WorkflowStepKind = {
      name: 'test.flaky',
      options: z.object({}),
      run: async () => {
        if (fail) throw new Error('boom');
        return { ok: true };
      },
    };
    const forge = await makeForge({
      workflows: { steps: [flaky] },
      queue: (catalog, hooks) => createInProcessQueue({ store: catalog.jobs, pollIntervalMs: 50, ...hooks }),
    });
    const db = new Database(join(forge.options.dataDir, 'fileforge.db'));
    const refuseJobs = () =>
      db.exec(
        `CREATE TRIGGER refuse BEFORE INSERT ON jobs BEGIN SELECT RAISE(ABORT, 'queue unavailable'); END;`,
      );
    try {
      const wf = await forge.workflows.define({
        name: 'flaky',
        on: { manual: true },
        steps: { s: { uses: 'test.flaky' } },
      });
      const first = await waitForRun(forge, (await forge.workflows.run(wf.id)).id);
      expect(first).toMatchObject({ status: 'failed', attempt: 1 });
      fail = false;

      refuseJobs();
      await expect(forge.workflows.retryRun(first.id)).rejects.toThrow(/queue unavailable/);
      const back = await forge.workflows.getRun(first.id);
      expect(back).toMatchObject({ status: 'failed', attempt: 1, error: first.error });
      expect(back.steps).toEqual(first.steps);
      await expect(forge.workflows.run(wf.id)).rejects.toThrow(/queue unavailable/);
      const [refused] = (await forge.workflows.listRuns(wf.id, { limit: 1 })).items;
      expect(refused).toMatchObject({
        status: 'failed',
        error: { message: expect.stringContaining('queue unavailable') },
      });
      expect(refused?.steps.map((st) => st.status)).toEqual(['skipped']);
      db.exec('DROP TRIGGER refuse');

      // The queue is back: the retry can be asked again and runs.
      await forge.workflows.retryRun(first.id);
      expect(await waitForRun(forge, first.id)).toMatchObject({ status: 'completed', attempt: 2 });
    } finally {
      db.close();
    }
  });
});

describe('a step run again after its end was refused', () => {
  it('gets the startedAt of its first attempt, so what it sends again is byte for byte the same', async () => {
    const seen: string[] = [];
    let db: { exec(sql: string): void; close(): void } | undefined;
    const stamp: WorkflowStepKind = {
      name: 'test.stamp',
      options: z.object({}),
      run: async (context) => {
        seen.push(context.startedAt);
        // Run again (from the catalog): this time its end is recorded.
        if (seen.length === 2) db?.exec('DROP TRIGGER refuse');
        return {};
      },
    };
    let clock = Date.parse('2026-11-05T10:00:00Z');
    const forge = await makeForge({
      jobMaxAttempts: 3,
      now: () => (clock += 1000),
      workflows: { steps: [stamp] },
    });
    // The step's end is refused (a full disk): the job runs the run again from the catalog.
    db = new Database(join(forge.options.dataDir, 'fileforge.db'));
    db!.exec(`CREATE TRIGGER refuse BEFORE UPDATE ON workflow_steps
      WHEN NEW.name = 'stamp' AND NEW.status IN ('completed', 'failed')
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;`);
    try {
      const wf = await forge.workflows.define({
        name: 'stamped',
        on: { manual: true },
        steps: { stamp: { uses: 'test.stamp' } },
      });
      const started = await forge.workflows.run(wf.id);
      const run = await waitForRun(forge, started.id);
      expect(run.status).toBe('completed');
      expect(seen).toHaveLength(2);
      expect(seen[1]).toBe(seen[0]);
      expect(run.steps[0]?.startedAt).toBe(seen[0]);
    } finally {
      db!.close();
    }
  });
});
