/**
 * A small FileForge program for the workflow crash test, run in a child process (tsx + the
 * `@fileforge/source` condition): `workflow-crash-child.ts <dataDir> <effects> start|resume`.
 * `start` defines a workflow a → b → c of steps that each append their name to `<effects>`
 * (a side effect outside the catalog) and runs it; `resume` only starts the forge and waits
 * for the run to finish, so start-up does the recovery. With FILEFORGE_CRASH_AT set, the
 * forge kills this process at that point. Prints the final run as JSON.
 */
import { appendFileSync } from 'node:fs';
import { createForge, type WorkflowStepKind } from '@fileforge/core';
import { z } from 'zod';

const [dataDir, effects, mode] = process.argv.slice(2) as [string, string, 'start' | 'resume'];

const effect: WorkflowStepKind = {
  name: 'test.effect',
  options: z.object({ label: z.string() }),
  async run(_context, { label }) {
    appendFileSync(effects, `${label}\n`);
    return { label };
  },
};

const forge = await createForge({
  dataDir,
  workflows: { steps: [effect] },
  queueTiming: { pollIntervalMs: 50 },
});
if (mode === 'start') {
  const workflow = await forge.workflows.define({
    name: 'crash',
    on: { manual: true },
    steps: {
      a: { uses: 'test.effect', with: { label: 'a' } },
      b: { uses: 'test.effect', needs: ['a'], with: { label: 'b' } },
      c: { uses: 'test.effect', needs: ['b'], with: { label: 'c' } },
    },
  });
  await forge.workflows.run(workflow.id);
}
await forge.queue.onIdle();
const [workflow] = await forge.workflows.list();
const runs = workflow ? await forge.workflows.listRuns(workflow.id) : { items: [] };
process.stdout.write(JSON.stringify(runs.items[0] ?? null));
await forge.close();
