/**
 * Event triggers: every file event on the bus (delivered at least once, from the outbox) is
 * matched against the enabled workflows of its tenant. A workflow whose `on.event` names it
 * (or `file.*`) and whose filter holds gets a run whose id derives from the workflow and the
 * event id, inserted only if absent: an event delivered twice starts one run.
 *
 * Loops are cut twice: an event a run of workflow W caused (`causedBy.workflowId === W`)
 * never triggers W, and a chain of runs triggering runs stops at `maxDepth` (with a warning).
 *
 * @module
 */
import type { EventBus, FileEvent, ForgeEventName } from '../events/index.js';
import type { ForgeContext } from '../forge/context.js';
import { matchesFilter } from './condition.js';
import { triggersOf } from './definition.js';
import type { WorkflowEngine } from './engine.js';
import type { WorkflowRecord } from './model.js';
import { derivedRunId } from './run-id.js';

/** The file events triggers listen to (those not emitted by this version are simply never seen). */
export const FILE_EVENTS = [
  'file.uploaded',
  'file.processed',
  'file.failed',
  'file.deleted',
  'file.classified',
  'file.sorted',
] as const;

/** Options for {@link subscribeEventTriggers}. */
export interface EventTriggerOptions {
  /** Longest chain of runs triggering runs. @default 5 */
  maxDepth: number;
}

/** What a filter reads: the file's fields at the top, plus `category`, `event`, `file`, and the event's own fields. */
export function triggerSubject(
  type: string,
  event: FileEvent & Record<string, unknown>,
): Record<string, unknown> {
  const file = event.file as unknown as Record<string, unknown>;
  const classification = event.classification as { category?: unknown } | undefined;
  return {
    ...event,
    ...file,
    category: classification?.category ?? file.category ?? null,
    event: type,
    file,
    tenant: event.tenant,
  };
}

/** Whether a workflow's event triggers match an event. */
export function matchingTrigger(workflow: WorkflowRecord, type: string, subject: unknown): boolean {
  return triggersOf(workflow.definition).some(
    (t) => 'event' in t && (t.event === type || t.event === 'file.*') && matchesFilter(t.filter, subject),
  );
}

/**
 * Starts the runs one file event triggers. Returns the ids of the runs it created (a
 * redelivered event creates none).
 */
export async function triggerRuns(
  ctx: ForgeContext,
  engine: WorkflowEngine,
  type: string,
  event: FileEvent,
  options: EventTriggerOptions,
): Promise<string[]> {
  const workflows = await engine.store().listWorkflows(event.tenant, { enabledOnly: true });
  if (workflows.length === 0) return [];
  const subject = triggerSubject(type, event as FileEvent & Record<string, unknown>);
  const depth = event.causedBy ? event.causedBy.depth + 1 : 0;
  const created: string[] = [];
  for (const workflow of workflows) {
    if (event.causedBy?.workflowId === workflow.id) continue; // its own doing: never re-triggers itself
    if (!matchingTrigger(workflow, type, subject)) continue;
    if (depth > options.maxDepth) {
      ctx.options.logger.warn(
        { workflowId: workflow.id, eventId: event.eventId, depth, causedBy: event.causedBy },
        `workflow chain deeper than ${options.maxDepth}: run not started`,
      );
      continue;
    }
    const result = await engine.startRun({
      id: derivedRunId(workflow.id, event.eventId),
      tenant: event.tenant,
      workflowId: workflow.id,
      definition: workflow.definition,
      trigger: { kind: 'event', event: type, eventId: event.eventId },
      fileId: event.file.id,
      depth,
      causedBy: event.causedBy ?? null,
    });
    if (result.created) created.push(result.run.id);
  }
  return created;
}

/**
 * Subscribes the event triggers to the bus; returns the unsubscribe function. A listener
 * failure (the catalog or queue not answering) makes the outbox deliver the event again.
 */
export function subscribeEventTriggers(
  ctx: ForgeContext,
  engine: WorkflowEngine,
  bus: EventBus,
  options: EventTriggerOptions,
): () => void {
  const offs = FILE_EVENTS.map((type) =>
    // The bus types each name; names this version does not emit yet are still fine to listen to.
    bus.on(type as ForgeEventName & 'file.processed', async (event: FileEvent) => {
      await triggerRuns(ctx, engine, type, event, options);
    }),
  );
  return () => {
    for (const off of offs) off();
  };
}
