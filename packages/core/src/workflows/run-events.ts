/**
 * Run status changes that announce themselves: the change and its `workflow.*` event commit
 * in one transaction (the event exists exactly when the change does), then are delivered. The
 * transaction may carry other changes of the engine too (group commit, `catalog/group-commit.ts`).
 *
 * @module
 */
import type { GroupCommit } from '../catalog/group-commit.js';
import type { CatalogTransaction } from '../catalog/index.js';
import { templatesOf } from '../catalog/query-templates.js';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { WorkflowEvent } from '../events/index.js';
import { type CausedEvent, caused, outboxEntry } from '../forge/commit-event.js';
import { type ForgeContext, isoNow, orderedEventId } from '../forge/context.js';
import { crashPoint } from '../forge/crash-point.js';
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

/** The query builder bound to a transaction (or the catalog, for a change run alone). */
function transactionDb(tx: CatalogTransaction) {
  const db = tx.db?.();
  if (!db)
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:workflows] No query builder in transaction',
    );
  return db;
}

/**
 * The workflow store bound to a transaction of `writes`, with the catalog's compiled queries
 * (a transaction's query builder is a new instance each time).
 */
export function transactionStore(ctx: ForgeContext, tx: CatalogTransaction): WorkflowStore {
  let store = bound.get(tx);
  if (!store) {
    store = createWorkflowStore(transactionDb(tx), templatesOf(workflowDb(ctx)));
    bound.set(tx, store);
  }
  return store;
}
/** One store per transaction (the changes of a batch share it) or per catalog. */
const bound = new WeakMap<CatalogTransaction, WorkflowStore>();

/**
 * Applies `change` to the store bound to one transaction (shared with other changes of the
 * engine through `writes`: group commit); when it returns true and `event` is given, appends
 * that `workflow.*` event in the same transaction. Resolves with what `change` returned once
 * committed; delivers the event afterwards.
 */
export async function commitRunChange(
  ctx: ForgeContext,
  writes: GroupCommit<CatalogTransaction>,
  run: Pick<WorkflowRun, 'id' | 'tenant' | 'workflowId' | 'fileId' | 'attempt'>,
  change: (store: WorkflowStore) => Promise<boolean>,
  event?: { type: RunEventName; step?: string; error?: RunError },
): Promise<boolean> {
  let committed: CausedEvent | null = null;
  let unheard = false;
  const changed = await writes.write(async (tx) => {
    committed = null; // a batch that failed is tried again: only the attempt that commits counts
    const ok = await change(transactionStore(ctx, tx));
    if (ok && event) {
      committed = runEvent(ctx, run, event);
      // Nobody listens to it (a workflow's own events, usually): stored delivered, so no pass
      // reads and marks it; see OutboxDispatcher.unheard.
      unheard = ctx.dispatcher.unheard(event.type);
      const entry = outboxEntry(committed);
      await tx.outbox.append(unheard ? { ...entry, deliveredAt: entry.createdAt } : entry);
    }
    return ok;
  });
  if (committed) crashPoint('after-outbox-commit', (committed as CausedEvent).type);
  if (changed && event && !unheard) await ctx.dispatcher.deliver();
  return changed;
}

function runEvent(
  ctx: ForgeContext,
  run: Pick<WorkflowRun, 'id' | 'tenant' | 'workflowId' | 'fileId' | 'attempt'>,
  event: { type: RunEventName; step?: string; error?: RunError },
): CausedEvent {
  const payload: WorkflowEvent = {
    // One id per run attempt: a retried run announces itself again, a redelivery does not.
    eventId: orderedEventId(run.id, event.type, String(run.attempt)),
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
}
