/**
 * Runs one step of a run: renders its options, checks its `if`, then calls its kind under
 * the step's retry policy with a time budget per attempt, recording each attempt, the
 * output or the error. A step stored `completed` is never run again.
 *
 * @module
 */
import { ErrorCode, FileForgeError, toFileForgeError } from '../errors/index.js';
import type { ForgeContext } from '../forge/context.js';
import { isoNow } from '../forge/context.js';
import { crashPoint } from '../forge/crash-point.js';
import { type RetryOptions, retry } from '../resilience/retry.js';
import { withTimeout } from '../resilience/timeout.js';
import type { WorkflowStep } from './definition.js';
import { type ExpressionScope, isTruthy, renderString, renderValue } from './expressions.js';
import type { RunError, WorkflowRun } from './model.js';
import type { WorkflowStepKind } from './step-kind.js';
import type { WorkflowStore } from './store.js';

/** Time budget per attempt when neither the step nor its kind sets one. */
export const DEFAULT_STEP_TIMEOUT_MS = 30_000;

/** How a step ended, as far as the run is concerned. */
export type StepEnd =
  | { status: 'completed'; output: unknown }
  | { status: 'skipped' }
  | { status: 'failed'; error: RunError }
  /** Stopped by the run (cancelled, a sibling failed, shutdown): the run decides what it means. */
  | { status: 'aborted' };

/** What {@link runWorkflowStep} needs. */
export interface StepRun {
  ctx: ForgeContext;
  /** Where the step's changes are written (each resolves once committed). */
  store: Pick<WorkflowStore, 'updateStep'>;
  run: WorkflowRun;
  name: string;
  step: WorkflowStep;
  kind: WorkflowStepKind | undefined;
  scope: ExpressionScope;
  /** Aborted when the run stops (cancel, a failed sibling, shutdown). */
  signal: AbortSignal;
  /**
   * The run's start, when it commits together with this step's first `running` mark: the kind
   * runs only once it resolved (true; false or an error stops the run through `signal`).
   */
  ready?: Promise<boolean>;
  /** Retry timing hooks (tests inject an instant sleep and a fixed random). */
  retryHooks?: Pick<RetryOptions, 'sleep' | 'random'>;
}

/** Error codes a retry can never fix (a vendor's refusal and an open circuit among them). */
const FINAL_CODES: ReadonlySet<string> = new Set([
  ErrorCode.VALIDATION_FAILED,
  ErrorCode.NOT_FOUND,
  ErrorCode.CONTENT_REJECTED,
  ErrorCode.INVALID_CONFIG,
  ErrorCode.FORBIDDEN,
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.ABORTED,
  ErrorCode.INTEGRATION_REJECTED,
  ErrorCode.CIRCUIT_OPEN,
]);

/**
 * Whether a failed step attempt is tried again (when the step has `retry`). Unlike the
 * resilience default, unrecognised errors are retried — a step with `retry` asked for it —
 * except validation and other final FileForge codes (a vendor's refusal, an open circuit), an
 * error that says it is not retryable (`details.retryable: false`, as an HTTP answer's error
 * does), 4xx answers other than 408/429 (a `status` on the error or in its `details`) and
 * aborts.
 */
export function stepShouldRetry(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return true;
  const bag = error as { name?: unknown; status?: unknown; statusCode?: unknown };
  if (bag.name === 'AbortError' || bag.name === 'BrokenCircuitError') return false;
  const details = FileForgeError.is(error)
    ? (error.details as Record<string, unknown> | undefined)
    : undefined;
  if (FileForgeError.is(error) && FINAL_CODES.has(error.code)) return false;
  if (details?.retryable === false) return false;
  const status =
    typeof bag.status === 'number'
      ? bag.status
      : typeof bag.statusCode === 'number'
        ? bag.statusCode
        : details?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) return status === 408 || status === 429;
  return true;
}

/** The error as a run records it (code and message; FileForge details kept). */
export function toRunError(error: unknown, step?: string): RunError {
  const e = toFileForgeError(error);
  const message = e.code === ErrorCode.INTERNAL && error instanceof Error ? error.message : e.message;
  return {
    code: e.code,
    message,
    ...(step === undefined ? {} : { step }),
    ...(e.details ? { details: e.details } : {}),
  };
}

/** JSON round trip: what is stored is what a resumed run reads back. */
const storable = (value: unknown): unknown =>
  value === undefined ? null : JSON.parse(JSON.stringify(value));

/** Runs one step to its end; see the module comment. */
export async function runWorkflowStep(s: StepRun): Promise<StepEnd> {
  const { ctx, store, run, name, step, kind } = s;
  const at = () => isoNow(ctx);
  const fail = async (error: RunError): Promise<StepEnd> => {
    await store.updateStep(run.id, name, ['pending', 'running'], {
      status: 'failed',
      error,
      finishedAt: at(),
    });
    return { status: 'failed', error };
  };

  if (step.if !== undefined && !isTruthy(renderString(step.if, s.scope))) {
    await store.updateStep(run.id, name, ['pending', 'running'], { status: 'skipped', finishedAt: at() });
    return { status: 'skipped' };
  }
  if (!kind) {
    return fail({
      code: ErrorCode.VALIDATION_FAILED,
      message: `[fileforge:workflows] No step kind "${step.uses}" is registered`,
    });
  }
  const parsed = kind.options.safeParse(renderValue(step.with ?? {}, s.scope));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail({
      code: ErrorCode.VALIDATION_FAILED,
      message: `[fileforge:workflows] Step "${name}": invalid options${issue ? ` at ${issue.path.join('.') || '(root)'}: ${issue.message}` : ''}`,
      details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  }
  const timeoutMs =
    step.timeoutMs ?? (kind.timeoutMs === undefined ? DEFAULT_STEP_TIMEOUT_MS : kind.timeoutMs);
  const outputs = Object.fromEntries(Object.entries(s.scope.steps).map(([k, v]) => [k, v.output]));
  const causedBy = { workflowId: run.workflowId, runId: run.id, depth: run.depth };
  // A step resumed after a restart (or a refused write) keeps when its first attempt started.
  let startedAt = run.steps.find((x) => x.name === name)?.startedAt ?? undefined;
  try {
    const output = await retry(
      async () => {
        const first = startedAt === undefined;
        startedAt ??= at();
        const attemptStartedAt = startedAt;
        const marked = await store.updateStep(run.id, name, ['pending', 'running'], {
          status: 'running',
          addAttempts: 1,
          ...(first ? { startedAt: attemptStartedAt } : {}),
        });
        // Cancelled (or finished elsewhere) meanwhile: nothing to do.
        if (!marked)
          throw new FileForgeError(ErrorCode.ABORTED, '[fileforge:workflows] The step is no longer runnable');
        if (s.ready) await s.ready.catch(() => false);
        if (s.signal.aborted)
          throw new FileForgeError(ErrorCode.ABORTED, '[fileforge:workflows] The run did not start');
        return withTimeout(
          (signal) =>
            kind.run(
              {
                tenant: run.tenant,
                fileId: run.fileId,
                input: run.input,
                run: { id: run.id, workflowId: run.workflowId, depth: run.depth },
                causedBy,
                outputs,
                signal,
                logger: ctx.options.logger,
                idempotencyKey: `${run.id}:${name}`,
                startedAt: attemptStartedAt,
              },
              parsed.data,
            ),
          timeoutMs === null ? Number.POSITIVE_INFINITY : timeoutMs,
          s.signal,
        );
      },
      {
        ...step.retry,
        maxRetries: step.retry ? (step.retry.maxRetries ?? 3) : 0,
        shouldRetry: stepShouldRetry,
        signal: s.signal,
        ...s.retryHooks,
        onRetry: ({ attempt, delayMs, error }) =>
          ctx.options.logger.warn(
            { err: error, runId: run.id, step: name, attempt, delayMs },
            'workflow step failed; retrying',
          ),
      },
    );
    const stored = storable(output);
    await store.updateStep(run.id, name, ['running'], {
      status: 'completed',
      output: stored,
      finishedAt: at(),
    });
    crashPoint('after-step-commit', name);
    return { status: 'completed', output: stored };
  } catch (error) {
    if (s.signal.aborted) return { status: 'aborted' };
    return fail(toRunError(error));
  }
}
