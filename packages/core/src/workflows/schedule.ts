/**
 * The scheduler of one run's steps: a step runs once every step it `needs` is settled
 * (completed, skipped by its `if`, or failed with `onError: continue`), up to `concurrency`
 * at once, each through `runWorkflowStep`. A step failing with `onError: fail` is reported
 * through `onFatal` (the engine then aborts the others); steps left `pending` whose needs can
 * never settle fail the run with `VALIDATION_FAILED`. A run resumed with such a step already
 * stored `failed` (its end was not committed: a crash, a refused write) fails with that step's
 * error at once, starting nothing.
 *
 * @module
 */
import { ErrorCode } from '../errors/index.js';
import { type ForgeContext, isoNow } from '../forge/context.js';
import type { RetryOptions } from '../resilience/retry.js';
import type { WorkflowDefinition } from './definition.js';
import { type ExpressionScope, readsRoot } from './expressions.js';
import type { RunError, WorkflowRun } from './model.js';
import type { StepKindRegistry } from './step-kinds.js';
import { runWorkflowStep, type StepEnd } from './step-runner.js';
import type { WorkflowStore } from './store.js';

/** What {@link scheduleSteps} runs, and with what. */
export interface ScheduleRequest {
  ctx: ForgeContext;
  /** Step changes, each committed before it resolves. */
  steps: Pick<WorkflowStore, 'updateStep'>;
  kinds: StepKindRegistry;
  /** Steps of the run running at once. */
  concurrency: number;
  retryHooks?: Pick<RetryOptions, 'sleep' | 'random'>;
  run: WorkflowRun;
  definition: WorkflowDefinition;
  /** Aborted when the run stops (cancel, a fatal step, shutdown): no further step starts. */
  signal: AbortSignal;
  /** Told once, when a step fails the run. */
  onFatal(error: RunError): void;
  /**
   * Told when a step's bookkeeping threw (a change the catalog could not commit): stop the
   * run's other steps. {@link scheduleSteps} then waits for them before it rethrows.
   */
  onBroken(error: unknown): void;
  /** Resolves with whether the run started; each step's kind waits for it (see `StepRun.ready`). */
  ready?: Promise<boolean>;
}

/**
 * Runs a run's ready steps, up to `concurrency` at once, until none is left; resolves with the
 * error that failed the run, if any.
 */
export async function scheduleSteps(request: ScheduleRequest): Promise<RunError | null> {
  const { ctx, steps, kinds, concurrency, run, definition, signal, onFatal, ready } = request;
  const state = new Map(run.steps.map((st) => [st.name, { status: st.status, output: st.output }]));
  const running = new Map<string, Promise<void>>();
  // A run resumed after its failing step was stored but before the run's end was (a crash, or
  // the end's commit refused) fails as it would have then, naming that step; nothing else starts.
  let failure: RunError | null = storedFailure(run, definition);
  const settled = (need: string) => {
    const st = state.get(need);
    if (!st) return false;
    if (st.status === 'completed' || st.status === 'skipped') return true;
    return st.status === 'failed' && definition.steps[need]?.onError === 'continue';
  };
  /** What the step's expressions read: the file is loaded (fresh, after earlier steps) only when they name it. */
  const scope = async (step: WorkflowDefinition['steps'][string]): Promise<ExpressionScope> => ({
    file:
      run.fileId && readsRoot([step.if, step.with], 'file')
        ? await ctx.catalog.files.get(run.tenant, run.fileId)
        : null,
    steps: Object.fromEntries(
      [...state].map(([n, st]) => [n, { output: st.output ?? null, status: st.status }]),
    ),
    input: run.input,
    run: { id: run.id, workflowId: run.workflowId, depth: run.depth },
    trigger: run.trigger,
  });
  const launch = (name: string) => {
    const step = definition.steps[name];
    state.set(name, { status: 'running', output: undefined });
    const work = (async () => {
      let end: StepEnd;
      if (!step) {
        const error = {
          code: ErrorCode.NOT_FOUND,
          message: `[fileforge:workflows] Step "${name}" is no longer in the workflow`,
        };
        await steps.updateStep(run.id, name, ['pending', 'running'], {
          status: 'failed',
          error,
          finishedAt: isoNow(ctx),
        });
        end = { status: 'failed', error };
      } else {
        end = await runWorkflowStep({
          ctx,
          store: steps,
          run,
          name,
          step,
          kind: kinds.get(step.uses),
          scope: await scope(step),
          signal,
          ...(ready ? { ready } : {}),
          ...(request.retryHooks ? { retryHooks: request.retryHooks } : {}),
        });
      }
      if (end.status === 'aborted') {
        state.set(name, { status: 'cancelled', output: undefined });
        return;
      }
      state.set(name, { status: end.status, output: end.status === 'completed' ? end.output : undefined });
      if (end.status === 'failed' && step?.onError !== 'continue' && !failure) {
        failure = { ...end.error, step: name };
        onFatal(failure);
      }
    })().finally(() => running.delete(name));
    running.set(name, work);
  };

  for (;;) {
    if (!signal.aborted && !failure) {
      for (const [name, st] of state) {
        if (running.size >= concurrency) break;
        if (running.has(name) || (st.status !== 'pending' && st.status !== 'running')) continue;
        const needs = definition.steps[name]?.needs ?? [];
        if (needs.every(settled)) launch(name);
      }
    }
    if (running.size === 0) break;
    try {
      await Promise.race(running.values());
    } catch (error) {
      // Rethrown (the job runs the run again) only once no step of it is running here: a
      // retry would otherwise find a step still `running` and start it a second time.
      request.onBroken(error);
      await Promise.allSettled(running.values());
      throw error;
    }
  }
  if (failure || signal.aborted) return failure;
  const stuck = [...state].filter(([, st]) => st.status === 'pending').map(([n]) => n);
  return stuck.length === 0
    ? null
    : {
        code: ErrorCode.VALIDATION_FAILED,
        message: `[fileforge:workflows] Steps ${stuck.join(', ')} can never run: their needs failed, are missing or form a cycle`,
        step: stuck[0]!,
      };
}

/** The first step stored `failed` that fails the run (its `onError` is not `continue`), as the run's error. */
function storedFailure(run: WorkflowRun, definition: WorkflowDefinition): RunError | null {
  for (const st of run.steps) {
    if (st.status !== 'failed' || definition.steps[st.name]?.onError === 'continue') continue;
    const error = st.error ?? {
      code: ErrorCode.INTERNAL,
      message: `[fileforge:workflows] Step "${st.name}" failed`,
    };
    return { ...error, step: st.name };
  }
  return null;
}
