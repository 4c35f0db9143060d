/**
 * Runs the queue refused to take (Redis away, a catalog refusing the job's row): put back as
 * they were, or ended, so that none waits `pending` with no job to run it.
 *
 * @module
 */
import { toFileForgeError } from '../errors/index.js';
import { type ForgeContext, isoNow } from '../forge/context.js';
import type { WorkflowRun } from './model.js';
import { createWorkflowStore } from './store.js';

const logged = (ctx: ForgeContext, runId: string, what: string) => (err: unknown) =>
  ctx.options.logger.error({ err, runId }, what);

/**
 * Puts a run whose retry could not be enqueued back as it was, `failed` with its steps as they
 * ended, so the retry can be asked again. Best effort: what stays `pending` is enqueued at the
 * next start.
 */
export async function undoRetry(ctx: ForgeContext, run: WorkflowRun): Promise<void> {
  await ctx.catalog
    .transaction(async (tx) => {
      const t = createWorkflowStore(tx.db!());
      const back = {
        status: 'failed' as const,
        error: run.error,
        finishedAt: run.finishedAt,
        attempt: run.attempt,
      };
      if (!(await t.updateRun(run.id, ['pending'], back))) return;
      for (const st of run.steps) {
        if (st.status !== 'failed' && st.status !== 'skipped' && st.status !== 'cancelled') continue;
        const { status, startedAt, finishedAt } = st;
        await t.updateStep(run.id, st.name, ['pending'], {
          status,
          startedAt,
          finishedAt,
          ...(st.error ? { error: st.error } : {}),
        });
      }
    })
    .catch(logged(ctx, run.id, 'a retry the queue refused could not be undone'));
}

/**
 * Ends a manual run just created whose job the queue refused: `failed` with that error, its
 * steps `skipped`, as the caller is told it did not start. Best effort, as {@link undoRetry}.
 */
export async function failUnqueued(ctx: ForgeContext, run: WorkflowRun, cause: unknown): Promise<void> {
  const { code, message } = toFileForgeError(cause);
  const at = isoNow(ctx);
  await ctx.catalog
    .transaction(async (tx) => {
      const t = createWorkflowStore(tx.db!());
      if (
        await t.updateRun(run.id, ['pending'], { status: 'failed', error: { code, message }, finishedAt: at })
      )
        await t.updateSteps(run.id, ['pending'], 'skipped', at);
    })
    .catch(logged(ctx, run.id, 'a run the queue refused could not be marked failed'));
}
