/**
 * Event triggers: every file event on the bus (delivered at least once, from the outbox) is
 * matched against the enabled workflows of its tenant. A workflow whose `on.event` names it
 * (or `file.*`) and whose filter holds gets a run whose id derives from the workflow and the
 * event id, inserted only if absent: an event delivered twice starts one run.
 *
 * Loops are cut twice: an event a run of workflow W caused (`causedBy.workflowId === W`)
 * never triggers W, and a chain of runs triggering runs stops at `maxDepth` (with a warning).
 *
 * A workflow saved on someone's behalf acts with that account's rights: it gets no run on a
 * file its saver may not change by hand (see `saver.ts`; logged, no run is recorded).
 *
 * A forge that is its catalog's sole writer keeps the enabled workflows in memory and listens
 * only to the file events they trigger on (see {@link SubscribeTriggersOptions.soleWriter}).
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
import { saverMayChange } from './saver.js';

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

/** Where {@link triggerRuns} gets a tenant's enabled workflows. */
export type EnabledWorkflows = (tenant: string) => Promise<readonly WorkflowRecord[]>;

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
  enabled: EnabledWorkflows = (tenant) => engine.store().listWorkflows(tenant, { enabledOnly: true }),
): Promise<string[]> {
  const workflows = await enabled(event.tenant);
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
    if (!(await saverMayChange(ctx.catalog.accounts, workflow, event.file))) {
      // Not an error: like a filter that does not hold. Whoever saved it could not change this
      // file by hand (an editor, someone else's upload), so neither may its trigger.
      ctx.options.logger.info(
        { workflowId: workflow.id, eventId: event.eventId, fileId: event.file.id, savedBy: workflow.savedBy },
        'workflow run not started: whoever last saved the workflow may not change this file',
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

/** The event triggers of a forge. */
export interface EventTriggers {
  /** Reads the enabled workflows into memory when this forge is the catalog's sole writer (start-up). */
  load(): Promise<void>;
  /**
   * Runs a change to the stored workflows (define, update, remove) so that the triggers follow
   * it: while it runs every file event is listened to and each delivery reads the catalog;
   * once it is done (committed or failed) the enabled workflows are read again.
   */
  change<T>(write: () => Promise<T>): Promise<T>;
  /**
   * An enabled workflow as held in memory (a sole writer's, once read and while no change is
   * under way); undefined otherwise: disabled, missing, or not known here, so read the catalog.
   */
  enabledWorkflow(tenant: string, id: string): WorkflowRecord | undefined;
}

/** Options for {@link subscribeEventTriggers}. */
export interface SubscribeTriggersOptions extends EventTriggerOptions {
  /**
   * Nothing but this forge writes its catalog (an embedded forge on the SQLite catalog of its
   * locked data directory). The triggers then keep the enabled workflows in memory, read at
   * start and again after each {@link EventTriggers.change} (no query per delivered event),
   * and listen on the bus only to the file events an enabled workflow triggers on, so that
   * the others may be stored already delivered (see `OutboxDispatcher.unheard`): an event
   * stored while no workflow wanted it starts no run of a workflow defined afterwards, as it
   * would reach no listener added afterwards. Otherwise (another process may change the
   * workflows) every file event is listened to and each delivery reads the enabled workflows.
   * @default false
   */
  soleWriter?: boolean;
}

/** The file events a workflow's triggers may start a run on. */
function eventsWanted(workflow: WorkflowRecord): ForgeEventName[] {
  const wanted = new Set<string>();
  for (const t of triggersOf(workflow.definition)) {
    if ('event' in t) {
      if (t.event === 'file.*') return [...FILE_EVENTS];
      wanted.add(t.event);
    } else if ('watch' in t) wanted.add('file.uploaded');
  }
  return FILE_EVENTS.filter((e) => wanted.has(e));
}

/**
 * Subscribes the event triggers to the bus (for good: an event delivered while the queue is
 * already closed fails its listener and is delivered again on the next start). A listener failure (the catalog or queue not
 * answering) makes the outbox deliver the event again.
 */
export function subscribeEventTriggers(
  ctx: ForgeContext,
  engine: WorkflowEngine,
  bus: EventBus,
  options: SubscribeTriggersOptions,
): EventTriggers {
  const store = () => engine.store();
  const read: EnabledWorkflows = (tenant) => store().listWorkflows(tenant, { enabledOnly: true });
  /** Per tenant, its enabled workflows; `null` while unknown (not read yet, or a change is under way). */
  let enabled: Map<string, WorkflowRecord[]> | null = null;
  let changing = 0;
  /** Bumped by every change and read: a read that another one overtook is dropped. */
  let generation = 0;
  const subscriptions = new Map<ForgeEventName, () => void>();
  const fromMemory: EnabledWorkflows = async (tenant) =>
    enabled ? (enabled.get(tenant) ?? []) : read(tenant);
  const listen = (types: Iterable<ForgeEventName>) => {
    const wanted = new Set(types);
    for (const type of FILE_EVENTS) {
      const off = subscriptions.get(type);
      if (!wanted.has(type)) {
        off?.();
        subscriptions.delete(type);
      } else if (!off) {
        subscriptions.set(
          type,
          // The bus types each name; names this version does not emit yet are still fine to listen to.
          bus.on(type as ForgeEventName & 'file.processed', async (event: FileEvent) => {
            await triggerRuns(ctx, engine, type, event, options, options.soleWriter ? fromMemory : read);
          }),
        );
      }
    }
  };
  const reload = async () => {
    const mine = ++generation;
    const rows = await store().listWorkflows(null, { enabledOnly: true });
    if (mine !== generation || changing > 0) return;
    const byTenant = new Map<string, WorkflowRecord[]>();
    const types = new Set<ForgeEventName>();
    for (const workflow of rows) {
      byTenant.set(workflow.tenant, [...(byTenant.get(workflow.tenant) ?? []), workflow]);
      for (const type of eventsWanted(workflow)) types.add(type);
    }
    enabled = byTenant;
    listen(types);
  };
  // Until the first read, every file event is listened to and read for.
  listen(FILE_EVENTS);
  return {
    async load() {
      if (!options.soleWriter) return;
      await reload().catch((err) =>
        ctx.options.logger.warn({ err }, 'enabled workflows could not be read; triggers read them per event'),
      );
    },
    enabledWorkflow: (tenant, id) => enabled?.get(tenant)?.find((w) => w.id === id),
    async change(write) {
      if (!options.soleWriter) return write();
      changing++;
      generation++;
      enabled = null;
      listen(FILE_EVENTS);
      try {
        return await write();
      } finally {
        changing--;
        // A failed read leaves every file event listened to and read for: slower, not wrong.
        if (changing === 0) await reload().catch(() => {});
      }
    },
  };
}
