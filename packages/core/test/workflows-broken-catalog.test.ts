/**
 * A workflow run whose step changes the catalog refuses (a full disk, a broken trigger): the
 * run's other steps are stopped before its job tries again, so no step runs twice at once, and
 * a run whose job runs out of attempts ends `failed` instead of staying `running`.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { WorkflowStepKind } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
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
});
