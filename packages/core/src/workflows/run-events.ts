/**
 * Run status changes that announce themselves: the change and its `workflow.*` event commit
 * in one transaction (the event exists exactly when the change does), then are delivered.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { WorkflowEvent } from '../events/index.js';
import { type CausedEvent, caused, commitWithEvent } from '../forge/commit-event.js';
import { eventId, type ForgeContext, isoNow } from '../forge/context.js';
import type { RunError, WorkflowRun } from './model.js';
import { createWorkflowStore, type WorkflowStore } from './store.js';

/** The catalog's query builder, which the workflow engine needs (every SQL catalog has one). */
export function workflowDb(ctx: ForgeContext) {
  const db = ctx.catalog.db?.();
  if (!db) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:workflows] The catalog offers no query builder (catalog.db()); workflows need a SQL catalog (SQLite or PostgreSQL)',
    );
  }
  return db;
}

type RunEventName = 'workflow.started' | 'workflow.completed' | 'workflow.failed';

/**
 * Applies `change` to the store bound to one transaction; when it returns true and `event`
 * is given, appends that `workflow.*` event in the same transaction. Resolves with what
 * `change` returned; delivers the event afterwards.
 */
export async function commitRunChange(
  ctx: ForgeContext,
  run: Pick<WorkflowRun, 'id' | 'tenant' | 'workflowId' | 'fileId' | 'attempt'>,
  change: (store: WorkflowStore) => Promise<boolean>,
  event?: { type: RunEventName; step?: string; error?: RunError },
): Promise<boolean> {
  const changed = await commitWithEvent(
    ctx,
    async (tx) => {
      const db = tx.db?.();
      if (!db)
        throw new FileForgeError(
          ErrorCode.INVALID_CONFIG,
          '[fileforge:workflows] No query builder in transaction',
        );
      return change(createWorkflowStore(db));
    },
    (ok): CausedEvent | null => {
      if (!ok || !event) return null;
      const payload: WorkflowEvent = {
        // One id per run attempt: a retried run announces itself again, a redelivery does not.
        eventId: eventId(run.id, event.type, String(run.attempt)),
        tenant: run.tenant,
        workflowId: run.workflowId,
        runId: run.id,
        fileId: run.fileId,
        timestamp: isoNow(ctx),
        ...(event.step === undefined ? {} : { step: event.step }),
        ...(event.error === undefined
          ? {}
          : {
              error: {
                code: event.error.code,
                message: event.error.message,
                ...(event.error.details ? { details: event.error.details } : {}),
              },
            }),
      };
      return caused(event.type, payload);
    },
  );
  if (changed && event) await ctx.dispatcher.deliver();
  return changed;
}
