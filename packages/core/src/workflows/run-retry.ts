/**
 * Retrying a failed run: the checks, and the run put back to `pending` from its failed
 * step(s) (completed steps keep their output); the engine then hands it over for execution.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { ForgeContext } from '../forge/context.js';
import type { WorkflowRun } from './model.js';
import { PIPELINE_WORKFLOW_ID } from './process-step.js';
import { createWorkflowStore } from './store.js';

/**
 * Puts a failed run back to `pending` (its `attempt` counted up, its failed, skipped and
 * cancelled steps `pending`); `CONFLICT` unless it is failed, and for the default pipeline's
 * runs (its file's processing job retries those).
 */
export async function reopenForRetry(ctx: ForgeContext, run: WorkflowRun): Promise<void> {
  if (run.status !== 'failed') {
    throw new FileForgeError(
      ErrorCode.CONFLICT,
      `[fileforge:workflows] Only a failed run can be retried; run ${run.id} is ${run.status}`,
      { details: { status: run.status } },
    );
  }
  if (run.workflowId === PIPELINE_WORKFLOW_ID) {
    // Its file's processing job retries it (resuming from the failed step); a second job
    // would run it twice at once.
    throw new FileForgeError(
      ErrorCode.CONFLICT,
      `[fileforge:workflows] Run ${run.id} is the default pipeline's: its file's processing job retries it; reprocess the file to run it again now`,
      { details: { status: run.status, workflowId: run.workflowId } },
    );
  }
  await ctx.catalog.transaction(async (tx) => {
    const t = createWorkflowStore(tx.db!());
    if (
      await t.updateRun(run.id, ['failed'], {
        status: 'pending',
        error: null,
        finishedAt: null,
        attempt: run.attempt + 1,
      })
    ) {
      await t.updateSteps(run.id, ['failed', 'skipped', 'cancelled'], 'pending', null);
    }
  });
}
