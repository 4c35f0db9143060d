/**
 * Test helpers for workflow tests: forges in temp directories, recording step kinds, and
 * waiting for a run to reach a status.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createForge,
  type Forge,
  type ForgeOptions,
  type RunStatus,
  type WorkflowRun,
  type WorkflowStepKind,
} from '@fileforge/core';
import { z } from 'zod';

const dirs: string[] = [];
const forges: Forge[] = [];

/** A forge in a fresh temp directory, closed and removed by {@link cleanUp}. */
export async function makeForge(options: ForgeOptions = {}): Promise<Forge> {
  const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-workflows-'));
  dirs.push(dataDir);
  const forge = await createForge({ dataDir, queueTiming: { pollIntervalMs: 50 }, ...options });
  forges.push(forge);
  return forge;
}

/** Closes the forges and removes their directories. */
export async function cleanUp(): Promise<void> {
  for (const f of forges.splice(0)) await f.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
}

/** Polls until the run reaches one of `statuses`. */
export async function waitForRun(
  forge: Forge,
  runId: string,
  statuses: readonly RunStatus[] = ['completed', 'failed', 'cancelled'],
  tenant = 'default',
): Promise<WorkflowRun> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const run = await forge.workflows.getRun(runId, { tenant });
    if (statuses.includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} stayed ${run.status}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A step kind that records `<step>:start` and `<step>:end` and returns `{ step }`. */
export function recordingStep(log: string[], name = 'test.record'): WorkflowStepKind {
  return {
    name,
    options: z.object({ label: z.string() }).strict(),
    async run(_context, { label }) {
      log.push(`${label}:start`);
      await new Promise((r) => setImmediate(r));
      log.push(`${label}:end`);
      return { step: label };
    },
  };
}
