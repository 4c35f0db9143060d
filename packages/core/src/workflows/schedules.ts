/**
 * Schedule triggers: one croner job per `{ schedule }` trigger of an enabled workflow. Each
 * tick starts a run whose id derives from the workflow and the tick's scheduled time (not when
 * its timer fired: a busy event loop fires it late), so several
 * forges sharing a catalog start one run per tick. Each tick reads the workflow as stored
 * now: one another forge disabled, removed or changed since the timer was set starts no
 * stale run (the timers follow the stored workflow from then on). Timers are unref'd and
 * stopped on close.
 * A tick missed while no forge was running is not replayed: the next tick runs.
 *
 * @module
 */
import { Cron } from 'croner';
import type { ForgeContext } from '../forge/context.js';
import { triggersOf } from './definition.js';
import type { WorkflowEngine } from './engine.js';
import type { WorkflowRecord } from './model.js';
import { derivedRunId } from './run-id.js';

/** The running schedules of a forge. */
export interface Schedules {
  /** Replaces the schedules of one workflow (after define/update); none when disabled or removed. */
  refresh(workflow: WorkflowRecord | { id: string; removed: true }): void;
  /** Loads every enabled workflow's schedules (start-up). */
  load(): Promise<void>;
  /** Stops every timer. */
  stop(): void;
}

/** Starts one run for one tick of a schedule. */
export async function startScheduledRun(
  engine: WorkflowEngine,
  workflow: WorkflowRecord,
  schedule: string,
  at: Date,
): Promise<string> {
  const tick = new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString();
  const { run } = await engine.startRun({
    id: derivedRunId(workflow.id, 'schedule', schedule, tick),
    tenant: workflow.tenant,
    workflowId: workflow.id,
    definition: workflow.definition,
    trigger: { kind: 'schedule', schedule, at: tick },
  });
  return run.id;
}

/**
 * The instant of the schedule a tick that fired at `fired` belongs to: the latest one at or
 * before it, to the second. A timer fires late when the event loop is busy; the tick keeps its
 * own time, so forges sharing a catalog derive the same run id whichever of them was late.
 */
function scheduledInstant(cron: Cron, fired: Date): Date {
  const [due] = cron.previousRuns(1, new Date(Math.floor(fired.getTime() / 1000) * 1000 + 1000));
  return due ?? fired;
}

/**
 * The croner job of one schedule trigger, or none (logged) when croner refuses it. Definitions
 * are checked as schedules before they are stored; this keeps one stored before that check (or
 * a time zone this process's ICU lacks) from stopping a forge at start-up.
 */
function scheduleOf(
  ctx: ForgeContext,
  workflow: WorkflowRecord,
  trigger: { schedule: string; timezone?: string | undefined },
  tick: (self: Cron) => Promise<void>,
): Cron | undefined {
  try {
    return new Cron(
      trigger.schedule,
      { unref: true, protect: true, ...(trigger.timezone ? { timezone: trigger.timezone } : {}) },
      tick,
    );
  } catch (err) {
    ctx.options.logger.error(
      { err, workflowId: workflow.id, schedule: trigger.schedule, timezone: trigger.timezone },
      'workflow schedule cannot run: the trigger is skipped until the workflow is fixed',
    );
    return undefined;
  }
}

/** Creates the schedule triggers of a forge. */
export function createSchedules(ctx: ForgeContext, engine: WorkflowEngine): Schedules {
  const jobs = new Map<string, Cron[]>();
  let stopped = false;
  const clear = (id: string) => {
    for (const job of jobs.get(id) ?? []) job.stop();
    jobs.delete(id);
  };
  const refresh: Schedules['refresh'] = (workflow) => {
    clear(workflow.id);
    if (stopped || 'removed' in workflow || !workflow.enabled) return;
    const crons: Cron[] = [];
    for (const trigger of triggersOf(workflow.definition)) {
      if (!('schedule' in trigger)) continue;
      const cron = scheduleOf(ctx, workflow, trigger, async (self: Cron) => {
        const at = scheduledInstant(self, self.currentRun() ?? new Date(ctx.options.now()));
        try {
          // Another process sharing the catalog may have changed, disabled or removed the
          // workflow since this timer was set: the tick runs what is stored now, or nothing.
          const now = await engine.store().getWorkflow(workflow.tenant, workflow.id);
          if (!now?.enabled || now.updatedAt !== workflow.updatedAt) {
            refresh(now ?? { id: workflow.id, removed: true });
            const still =
              now?.enabled &&
              triggersOf(now.definition).some(
                (t) => 'schedule' in t && t.schedule === trigger.schedule && t.timezone === trigger.timezone,
              );
            if (!still) return;
          }
          await startScheduledRun(engine, now ?? workflow, trigger.schedule, at);
        } catch (err) {
          ctx.options.logger.warn({ err, workflowId: workflow.id }, 'scheduled workflow run could not start');
        }
      });
      if (cron) crons.push(cron);
    }
    if (crons.length > 0) jobs.set(workflow.id, crons);
  };
  return {
    refresh,
    async load() {
      for (const workflow of await engine.store().listWorkflows(null, { enabledOnly: true }))
        refresh(workflow);
    },
    stop() {
      stopped = true;
      for (const id of [...jobs.keys()]) clear(id);
    },
  };
}
