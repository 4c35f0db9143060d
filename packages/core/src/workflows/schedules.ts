/**
 * Schedule triggers: one timer per `{ schedule }` trigger of an enabled workflow (croner reads
 * the pattern; the timer is ours). Each
 * tick starts a run whose id derives from the workflow and the tick's scheduled time (not when
 * its timer fired: a busy event loop fires it late), so several
 * forges sharing a catalog start one run per tick. Each tick reads the workflow as stored
 * now: one another forge disabled, removed or changed since the timer was set starts no
 * stale run (the timers follow the stored workflow from then on), nor does a tick whose
 * workflow was changed or removed here, or whose forge began closing, while it read it.
 * Timers are unref'd and stopped on close, which waits for the ticks firing.
 * A tick missed while no forge was running is not replayed: the next tick runs.
 * Daylight saving time: a tick whose wall-clock time is skipped when clocks go forward runs
 * once, just past the gap; one whose time is repeated when they go back runs once, in the
 * first pass.
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
  /**
   * Stops every timer; resolves once the ticks already firing have settled (none starts a run
   * after it resolves).
   */
  stop(): Promise<void>;
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

/** Longest single wait: a timer wakes at least this often, so a clock set forward is noticed. */
const MAX_WAIT_MS = 30_000;
/** How many minutes past an hour repeated when clocks go back a next tick is looked for. */
const REPEATED_HOUR_PROBES = 180;

/**
 * The schedule's first tick strictly after `after`, or null when it has none. Inside the hour
 * repeated when clocks go back, croner answers a tick of that hour's first pass, already past;
 * the tick is then looked for a minute later, and so on. That hour's wall-clock times run in
 * its first pass only, and a past tick never fires again at once, over and over.
 */
function nextTick(cron: Cron, after: number): number | null {
  for (let i = 0, probe = after; i <= REPEATED_HOUR_PROBES; i++, probe += 60_000) {
    const next = cron.nextRun(new Date(probe));
    if (!next) return null;
    if (next.getTime() > after) return next.getTime();
  }
  return null;
}

/**
 * Fires `tick` with each tick's scheduled time, from now on, one at a time (a tick missed
 * while the previous one ran is skipped), until stopped. The time is read from `now` (the
 * forge's clock); the timer is unref'd.
 */
function every(cron: Cron, now: () => number, tick: (at: Date) => Promise<void>): { stop(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const arm = (after: number) => {
    const due = stopped ? null : nextTick(cron, after);
    if (due === null) return;
    const wait = () => {
      timer = setTimeout(
        async () => {
          if (now() < due) return wait();
          await tick(new Date(due));
          arm(Math.max(due, now()));
        },
        Math.min(Math.max(due - now(), 0), MAX_WAIT_MS),
      );
      timer.unref?.();
    };
    wait();
  };
  arm(now());
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/**
 * The schedule of one trigger, or none (logged) when croner refuses it. Definitions are
 * checked as schedules before they are stored; this keeps one stored before that check (or a
 * time zone this process's ICU lacks) from stopping a forge at start-up.
 */
function scheduleOf(
  ctx: ForgeContext,
  workflow: WorkflowRecord,
  trigger: { schedule: string; timezone?: string | undefined },
  tick: (at: Date) => Promise<void>,
): { stop(): void } | undefined {
  try {
    // Only read for its times: the timer is ours (croner's own loops at once, for as long as
    // the hour lasts, inside an hour repeated when clocks go back).
    const cron = new Cron(trigger.schedule, trigger.timezone ? { timezone: trigger.timezone } : {});
    return every(cron, ctx.options.now, tick);
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
  const jobs = new Map<string, Array<{ stop(): void }>>();
  /** Ticks firing now: `stop()` waits for them. */
  const firing = new Set<Promise<void>>();
  /**
   * Saves and removals made through this forge, per workflow: a tick that reads its workflow
   * while one happens starts nothing (what was saved sets the timers from then on). Not the
   * re-arming a tick does after reading what another forge saved: that would drop the run of
   * another trigger of the workflow due at the same time.
   */
  const changes = new Map<string, number>();
  const changeCount = (id: string) => changes.get(id) ?? 0;
  let stopped = false;
  const clear = (id: string) => {
    for (const job of jobs.get(id) ?? []) job.stop();
    jobs.delete(id);
  };
  /** Sets the timers of `workflow` as given. */
  const arm: Schedules['refresh'] = (workflow) => {
    clear(workflow.id);
    if (stopped || 'removed' in workflow || !workflow.enabled) return;
    const crons: Array<{ stop(): void }> = [];
    for (const trigger of triggersOf(workflow.definition)) {
      if (!('schedule' in trigger)) continue;
      const fire = async (at: Date) => {
        const seen = changeCount(workflow.id);
        // `ctx.closing` is set as `close()` begins, before it stops the schedules.
        const live = () => !stopped && !ctx.closing && changeCount(workflow.id) === seen;
        if (!live()) return;
        try {
          // Another process sharing the catalog may have changed, disabled or removed the
          // workflow since this timer was set: the tick runs what is stored now, or nothing.
          const now = await engine.store().getWorkflow(workflow.tenant, workflow.id);
          // Saved or removed here, or the forge closing, while it was read: nothing to run.
          if (!live()) return;
          if (!now?.enabled || now.updatedAt !== workflow.updatedAt) {
            arm(now ?? { id: workflow.id, removed: true });
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
      };
      const cron = scheduleOf(ctx, workflow, trigger, (at) => {
        const tick = fire(at);
        firing.add(tick);
        return tick.finally(() => firing.delete(tick));
      });
      if (cron) crons.push(cron);
    }
    if (crons.length > 0) jobs.set(workflow.id, crons);
  };
  return {
    refresh(workflow) {
      changes.set(workflow.id, changeCount(workflow.id) + 1);
      arm(workflow);
    },
    async load() {
      for (const workflow of await engine.store().listWorkflows(null, { enabledOnly: true })) arm(workflow);
    },
    async stop() {
      stopped = true;
      for (const id of [...jobs.keys()]) clear(id);
      await Promise.allSettled([...firing]);
    },
  };
}
