/**
 * The end of a run's execution: the run's final status (`completed`, or `failed` with its
 * error), the bookkeeping of its steps that did not finish, and the `workflow.*` event, one
 * committed change.
 *
 * @module
 */
import type { GroupCommit } from '../catalog/group-commit.js';
import type { CatalogTransaction } from '../catalog/index.js';
import { type ForgeContext, isoNow } from '../forge/context.js';
import type { RunError, WorkflowRun } from './model.js';
import { commitRunChange } from './run-events.js';

/**
 * Ends a run: completed, or failed with the steps not started `skipped` and the stopped ones
 * `cancelled`; announced with `workflow.completed` / `workflow.failed` when `events`. Resolves
 * false when the run was no longer `running` (cancelled meanwhile): nothing changed.
 */
export async function finishRun(
  ctx: ForgeContext,
  writes: GroupCommit<CatalogTransaction>,
  run: WorkflowRun,
  failure: RunError | null,
  events: boolean,
): Promise<boolean> {
  const at = isoNow(ctx);
  if (!failure) {
    return commitRunChange(
      ctx,
      writes,
      run,
      (tx) => tx.updateRun(run.id, ['running'], { status: 'completed', finishedAt: at }),
      events ? { type: 'workflow.completed' } : undefined,
    );
  }
  return commitRunChange(
    ctx,
    writes,
    run,
    async (tx) => {
      const changed = await tx.updateRun(run.id, ['running'], {
        status: 'failed',
        error: failure,
        finishedAt: at,
      });
      if (changed) {
        await tx.updateSteps(run.id, ['pending'], 'skipped', at);
        await tx.updateSteps(run.id, ['running'], 'cancelled', at);
      }
      return changed;
    },
    events
      ? {
          type: 'workflow.failed',
          error: failure,
          ...(failure.step === undefined ? {} : { step: failure.step }),
        }
      : undefined,
  );
}
