/**
 * The workflow engine: creates runs and executes them as `workflow.run` queue jobs, or, on a
 * forge that is the only process on its catalog, right here without a job each
 * (`local-runs.ts`; the steps themselves are scheduled by `schedule.ts`).
 *
 * How this works: a run and one row per step are inserted together (`pending`); the job
 * loads them and runs every step whose `needs` are settled, in parallel up to `concurrency`,
 * each through `runWorkflowStep` (retry, timeout, stored result). A step stored `completed`
 * is never run again: after a crash the job runs again (the queue is durable; start-up
 * re-enqueues runs whose job was lost, or hands every unfinished run to the local runs) and
 * only what did not complete runs. A step is
 * settled for its dependents when it completed, was skipped by its `if`, or failed with
 * `onError: continue`. A step failing with `onError: fail` stops its running siblings
 * (`cancelled`), marks the steps not started `skipped` and fails the run with
 * `workflow.failed` naming the step; `retryRun` puts the failed, skipped and cancelled steps
 * back to `pending` (completed ones keep their output) and runs it again. `cancelRun` ends a
 * run at once: its unfinished steps become `cancelled` and the steps running in this process
 * are aborted (elsewhere they finish, and their result is dropped).
 *
 * @module
 */

import { createGroupCommit } from '../catalog/group-commit.js';
import type { CatalogTransaction } from '../catalog/index.js';
import { ErrorCode, FileForgeError, toFileForgeError } from '../errors/index.js';
import { type ForgeContext, isoNow } from '../forge/context.js';
import type { Backoff } from '../queue/backoff.js';
import type { JobContext } from '../queue/index.js';
import type { RetryOptions } from '../resilience/retry.js';
import type { WorkflowDefinition } from './definition.js';
import { createLocalRuns } from './local-runs.js';
import { FINAL_RUN_STATUSES, type RunTrigger, type WorkflowRun } from './model.js';
import { commitRunChange, transactionStore, workflowDb } from './run-events.js';
import { finishRun } from './run-finish.js';
import { runJobKey, WORKFLOW_RUN_JOB, type WorkflowRunJobPayload } from './run-job.js';
import { reopenForRetry } from './run-retry.js';
import { scheduleSteps } from './schedule.js';
import type { CausedBy } from './step-kind.js';
import type { StepKindRegistry } from './step-kinds.js';
import { createWorkflowStore, type NewRun, type WorkflowStore } from './store.js';
import { failUnqueued, undoRetry } from './unqueued.js';

/** Options for {@link createWorkflowEngine}. */
export interface WorkflowEngineOptions {
  kinds: StepKindRegistry;
  /** Steps of one run running at once. @default the forge's maxWorkers */
  concurrency?: number;
  /**
   * The definition a run executes, given the one stored for its workflow (read with the run;
   * null when missing): the default pipeline is not stored.
   */
  definitionOf(run: WorkflowRun, stored: WorkflowDefinition | null): WorkflowDefinition | null;
  /** Retry timing hooks for steps (tests). */
  retryHooks?: Pick<RetryOptions, 'sleep' | 'random'>;
  /** Whether to announce runs of this workflow with `workflow.*` events. @default every workflow */
  announces?(workflowId: string): boolean;
  /**
   * Executes runs in this process, without a queue job each (see `local-runs.ts`): only for
   * a forge that is the sole process on its catalog, which resumes its unfinished runs at
   * start-up. `maxAttempts`: executions of a run whose catalog changes keep failing before it
   * ends failed. @default undefined: each run is a `workflow.run` queue job
   */
  local?: { maxAttempts: number; backoff?: Backoff };
}

/** What creates a run. */
export interface NewRunRequest {
  id: string;
  tenant: string;
  workflowId: string;
  definition: WorkflowDefinition;
  trigger: RunTrigger;
  fileId?: string | null;
  input?: Record<string, unknown>;
  depth?: number;
  causedBy?: CausedBy | null;
}

/** How a run ended, as {@link WorkflowEngine.execute} reports it. */
export type RunOutcome = Pick<WorkflowRun, 'status' | 'error'>;

const notPending = '[fileforge:workflows] The run is no longer pending: it did not start here';

const outcomeOf = (run: WorkflowRun | null): RunOutcome | null =>
  run ? { status: run.status, error: run.error } : null;

/** A run as its creator just inserted it, with its workflow's stored definition (null when not stored). */
interface CreatedRun {
  run: WorkflowRun;
  definition: WorkflowDefinition | null;
}

type StopReason = 'cancel' | 'failed' | 'shutdown';
interface Active {
  controller: AbortController;
  reason?: StopReason;
}

/** Creates the engine over a forge's context. */
export function createWorkflowEngine(ctx: ForgeContext, options: WorkflowEngineOptions) {
  const concurrency = Math.max(1, options.concurrency ?? ctx.options.maxWorkers);
  const active = new Map<string, Active>();
  const announces = options.announces ?? (() => true);
  let root: WorkflowStore | undefined;
  /** The store on the catalog's query builder (built on first use: a catalog without one fails then). */
  const store = (): WorkflowStore => {
    root ??= createWorkflowStore(workflowDb(ctx));
    return root;
  };
  // Run and step changes share commits (group commit): a run's insert, start and end, and
  // each step marked running and finished, all committed before the engine goes on.
  const writes = createGroupCommit<CatalogTransaction>({
    transaction: (fn) => ctx.catalog.transaction(fn),
    direct: ctx.catalog,
  });
  /** Step changes, each committed (with whatever else is ready) before it resolves. */
  const steps: Pick<WorkflowStore, 'updateStep'> = {
    updateStep: (runId, name, from, patch) =>
      writes.write((tx) => transactionStore(ctx, tx).updateStep(runId, name, from, patch), true),
  };
  const notFound = (runId: string) =>
    new FileForgeError(ErrorCode.NOT_FOUND, `[fileforge:workflows] Run ${runId} not found`);

  /** Inserts a run (ignored when its id exists); returns the stored run and whether this call created it. */
  async function createRun(request: NewRunRequest): Promise<{ run: WorkflowRun; created: boolean }> {
    const fresh: NewRun = {
      id: request.id,
      tenant: request.tenant,
      workflowId: request.workflowId,
      status: 'pending',
      trigger: request.trigger,
      fileId: request.fileId ?? null,
      input: request.input ?? {},
      depth: request.depth ?? 0,
      causedBy: request.causedBy ?? null,
      createdAt: isoNow(ctx),
    };
    const names = Object.keys(request.definition.steps);
    if (await writes.write((tx) => transactionStore(ctx, tx).insertRun(fresh, names))) {
      // What was just inserted, without reading it back.
      const steps = names.map((name) => ({
        name,
        status: 'pending' as const,
        attempts: 0,
        startedAt: null,
        finishedAt: null,
      }));
      return {
        run: { ...fresh, error: null, attempt: 1, startedAt: null, finishedAt: null, steps },
        created: true,
      };
    }
    const run = await store().getRun(request.tenant, request.id);
    if (!run) throw notFound(request.id);
    return { run, created: false };
  }

  /** Runs executed here without a job each, when {@link WorkflowEngineOptions.local} is set. */
  const local = options.local
    ? createLocalRuns<CreatedRun>({
        concurrency,
        maxAttempts: options.local.maxAttempts,
        ...(options.local.backoff ? { backoff: options.local.backoff } : {}),
        execute: ({ tenant, runId, created }, signal) => execute(tenant, runId, signal, created),
        onRetry: ({ runId }, err, attempt) =>
          ctx.options.logger.warn({ err, runId, attempt }, 'workflow run failed; retrying'),
        async giveUp({ tenant, runId }, err) {
          ctx.options.logger.error({ err, runId }, 'workflow run failed permanently');
          await failStuckRun(tenant, runId, err);
        },
      })
    : undefined;

  /**
   * Hands a run over for execution: to this process's runs (local), or as its queue job
   * (merged with a pending one of the same run). `created`: the run as just inserted.
   */
  async function enqueue(tenant: string, runId: string, created?: CreatedRun): Promise<void> {
    if (local) return local.dispatch({ tenant, runId, ...(created ? { created } : {}) });
    await ctx.queue.enqueue(WORKFLOW_RUN_JOB, { tenant, runId }, { key: runJobKey(runId) });
  }

  /** Creates a run and enqueues it unless it already existed and is final. */
  async function startRun(request: NewRunRequest): Promise<{ run: WorkflowRun; created: boolean }> {
    const result = await createRun(request);
    if (FINAL_RUN_STATUSES.includes(result.run.status)) return result;
    try {
      await enqueue(
        request.tenant,
        request.id,
        result.created ? { run: result.run, definition: request.definition } : undefined,
      );
    } catch (error) {
      // A trigger's run stays `pending`: its event comes again, a restart enqueues it.
      if (result.created && request.trigger.kind === 'manual') await failUnqueued(ctx, result.run, error);
      throw error;
    }
    return result;
  }

  /**
   * Executes a run to its end (the job handler). Throws `ABORTED` when `signal` stops it
   * (shutdown, lease lost) so the queue runs it again; resolves otherwise. `created` is the
   * run as {@link createRun} just inserted it, with its workflow's stored definition (null
   * when not stored): the caller that made it saves reading it back.
   */
  async function execute(
    tenant: string,
    runId: string,
    signal: AbortSignal,
    created?: CreatedRun,
  ): Promise<RunOutcome | null> {
    const s = store();
    const reread = async () => outcomeOf(await s.getRun(tenant, runId));
    const loaded =
      created?.run.id === runId && created.run.tenant === tenant
        ? created
        : await s.getRunWithDefinition(tenant, runId);
    if (!loaded || FINAL_RUN_STATUSES.includes(loaded.run.status)) return outcomeOf(loaded?.run ?? null);
    if (active.has(runId)) {
      // Two jobs for one run (a retry asked for while the run's own job resumes it): one runs it.
      throw new FileForgeError(
        ErrorCode.ABORTED,
        `[fileforge:workflows] Run ${runId} is already running here; this job tries again later`,
      );
    }
    let run = loaded.run;
    const definition = options.definitionOf(run, loaded.definition);
    const events = announces(run.workflowId);
    // The run's start is not awaited before its first steps are launched: their `running`
    // marks are asked for in the same turn, so the group commit writes them in the start's
    // transaction (after it: a mark never commits without the start). No step's kind runs
    // before the start committed (and `workflow.started` was delivered to its listeners):
    // each waits for `starting` first (see `StepRun.ready`).
    let starting: Promise<boolean> | undefined;
    if (run.status === 'pending') {
      const startedAt = isoNow(ctx);
      starting = commitRunChange(
        ctx,
        writes,
        run,
        (tx) => tx.updateRun(runId, ['pending'], { status: 'running', startedAt }),
        events ? { type: 'workflow.started' } : undefined,
      );
      run = { ...run, status: 'running', startedAt };
    }
    if (!definition) {
      if (starting && !(await starting)) return reread();
      const error = {
        code: ErrorCode.NOT_FOUND,
        message: '[fileforge:workflows] The workflow no longer exists',
      };
      return (await finishRun(ctx, writes, run, error, events)) ? { status: 'failed', error } : reread();
    }
    const entry: Active = { controller: new AbortController() };
    active.set(runId, entry);
    const onShutdown = () => stop(entry, 'shutdown', signal.reason);
    signal.addEventListener('abort', onShutdown, { once: true });
    if (signal.aborted) onShutdown();
    // Registered before any step waits for `starting`, so a run that did not start (cancelled
    // meanwhile, or the start's commit failed) stops its steps before their kinds run.
    void starting?.then(
      (started) => {
        if (!started) stop(entry, 'cancel', new FileForgeError(ErrorCode.ABORTED, notPending));
      },
      (error) => stop(entry, 'failed', error),
    );
    try {
      const failure = await scheduleSteps({
        ctx,
        steps,
        kinds: options.kinds,
        concurrency,
        ...(options.retryHooks ? { retryHooks: options.retryHooks } : {}),
        run,
        definition,
        signal: entry.controller.signal,
        onFatal: (error) =>
          stop(
            entry,
            'failed',
            new FileForgeError(
              ErrorCode.ABORTED,
              `[fileforge:workflows] Step "${error.step}" failed the run`,
            ),
          ),
        onBroken: (error) => stop(entry, 'failed', error),
        ...(starting ? { ready: starting } : {}),
      });
      // The start's error, if its commit failed: the job runs again.
      if (starting && !(await starting)) return reread();
      if (entry.reason === 'shutdown') {
        throw FileForgeError.is(signal.reason)
          ? signal.reason
          : new FileForgeError(ErrorCode.ABORTED, '[fileforge:workflows] Run interrupted; it resumes');
      }
      if (entry.reason === 'cancel') return reread();
      return (await finishRun(ctx, writes, run, failure, events))
        ? { status: failure ? 'failed' : 'completed', error: failure }
        : reread();
    } finally {
      signal.removeEventListener('abort', onShutdown);
      active.delete(runId);
    }
  }

  /** Ends a run its job gave up on as failed (its unfinished steps cancelled); best effort. */
  async function failStuckRun(tenant: string, runId: string, cause: unknown): Promise<void> {
    const run = await store()
      .getRun(tenant, runId)
      .catch(() => null);
    if (run?.status !== 'running') return;
    const error = toFileForgeError(cause);
    const failure = { code: error.code, message: error.message };
    await finishRun(ctx, writes, run, failure, announces(run.workflowId)).catch((err) =>
      ctx.options.logger.error({ err, runId }, 'a run its job gave up on could not be marked failed'),
    );
  }

  function stop(entry: Active, reason: StopReason, why: unknown): void {
    entry.reason ??= reason;
    entry.controller.abort(why);
  }

  /** Cancels a run: final at once, its unfinished steps `cancelled`, its running steps here aborted. */
  async function cancelRun(tenant: string, runId: string): Promise<WorkflowRun> {
    const s = store();
    const run = await s.getRun(tenant, runId);
    if (!run) throw notFound(runId);
    const at = isoNow(ctx);
    const cancelled = await ctx.catalog.transaction(async (tx) => {
      const t = createWorkflowStore(tx.db!());
      if (!(await t.updateRun(runId, ['pending', 'running'], { status: 'cancelled', finishedAt: at })))
        return false;
      await t.updateSteps(runId, ['pending', 'running'], 'cancelled', at);
      return true;
    });
    // Already final: what executes here now is another run of it (a retry), not this one.
    const entry = cancelled ? active.get(runId) : undefined;
    if (entry)
      stop(entry, 'cancel', new FileForgeError(ErrorCode.ABORTED, '[fileforge:workflows] Run cancelled'));
    else if (cancelled) local?.drop(runId);
    return (await s.getRun(tenant, runId)) ?? run;
  }

  /** Runs a failed run again from its failed step(s); completed steps keep their output. */
  async function retryRun(tenant: string, runId: string): Promise<WorkflowRun> {
    const s = store();
    const run = await s.getRun(tenant, runId);
    if (!run) throw notFound(runId);
    await reopenForRetry(ctx, run);
    try {
      await enqueue(tenant, runId);
    } catch (error) {
      await undoRetry(ctx, run);
      throw error;
    }
    return (await s.getRun(tenant, runId)) ?? run;
  }

  return {
    kinds: options.kinds,
    store,
    createRun,
    startRun,
    enqueue,
    execute,
    cancelRun,
    retryRun,
    /**
     * This process's runs when they execute here ({@link WorkflowEngineOptions.local}): the
     * forge starts them with its queue, waits for them in `queue.onIdle()` and closes them
     * with it.
     */
    local,
    /** The `workflow.run` job handler (with local runs, a job left by an earlier version or a forge that ran no jobs: its run is handed over here). */
    handleJob: async (payload: WorkflowRunJobPayload, job: JobContext) => {
      if (local) return local.dispatch({ tenant: payload.tenant, runId: payload.runId });
      try {
        await execute(payload.tenant, payload.runId, job.signal);
      } catch (error) {
        // Out of attempts (the catalog kept refusing its changes): the run ends failed with
        // `workflow.failed`, rather than stay `running` with no job left to end it.
        if (job.job.attempts >= job.job.maxAttempts && !job.signal.aborted)
          await failStuckRun(payload.tenant, payload.runId, error);
        throw error;
      }
    },
    /** Runs executing in this process. */
    get activeRuns() {
      return active.size;
    },
  };
}

/** The engine's methods. */
export type WorkflowEngine = ReturnType<typeof createWorkflowEngine>;
