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
import { resolve } from 'node:path';
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

/**
 * Whether a file came in through a watched folder a watch trigger names: `metadata.source` is
 * `watch`, the folder recorded in `metadata.watch.folder` (when the watcher records it) is the
 * trigger's, and without `recursive` the file sat at the folder's top (`metadata.watch.path`
 * has no `/`).
 */
export function fromWatchedFolder(
  trigger: { folder: string; recursive: boolean },
  file: { metadata: Record<string, unknown> },
): boolean {
  if (file.metadata.source !== 'watch') return false;
  const watch = (file.metadata.watch ?? {}) as { folder?: unknown; path?: unknown };
  if (typeof watch.folder === 'string' && resolve(watch.folder) !== resolve(trigger.folder)) return false;
  return trigger.recursive || typeof watch.path !== 'string' || !watch.path.includes('/');
}

/**
 * Whether a workflow's triggers match an event: an event trigger naming it (or `file.*`)
 * whose filter holds, or a watch trigger and the `file.uploaded` of a file from its folder.
 */
export function matchingTrigger(workflow: WorkflowRecord, type: string, subject: unknown): boolean {
  return triggersOf(workflow.definition).some((t) => {
    if ('event' in t) return (t.event === type || t.event === 'file.*') && matchesFilter(t.filter, subject);
    if ('watch' in t && type === 'file.uploaded') {
      return fromWatchedFolder(t.watch, (subject as { file: { metadata: Record<string, unknown> } }).file);
    }
    return false;
  });
}

/** Whether a run starts because of a watch trigger rather than an event trigger. */
function watchTriggered(workflow: WorkflowRecord, type: string, event: FileEvent): boolean {
  if (type !== 'file.uploaded' || event.file.metadata.source !== 'watch') return false;
  return !triggersOf(workflow.definition).some(
    (t) => 'event' in t && (t.event === type || t.event === 'file.*'),
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
      trigger: watchTriggered(workflow, type, event)
        ? {
            kind: 'watch',
            folder: String((event.file.metadata.watch as { folder?: unknown } | undefined)?.folder ?? ''),
          }
        : { kind: 'event', event: type, eventId: event.eventId },
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
