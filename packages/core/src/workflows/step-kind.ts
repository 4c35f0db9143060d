/**
 * The contract of what a workflow step runs. Processor operations (`image.thumbnail`), the
 * default pipeline's steps (`process`, `classify`, `sort`), the integrations' `webhook` and
 * `connector.*` actions and user-registered custom steps all have this shape.
 *
 * @module
 */
import type { z } from 'zod';
import type { ForgeLogger } from '../forge/options.js';

/** Causation put on every event a run causes, so triggers do not loop. */
export interface CausedBy {
  workflowId: string;
  runId: string;
  /** The causing run's depth: 0 for a run no workflow caused. */
  depth: number;
}

/** What a step kind receives besides its options. */
export interface WorkflowStepContext {
  tenant: string;
  /** The file the run is about; `null` for runs without one (schedule, manual without a file). */
  fileId: string | null;
  /** The run's input (manual runs; `{}` otherwise). */
  input: Record<string, unknown>;
  run: { id: string; workflowId: string; depth: number };
  /** Put on every event the step causes, so the trigger does not loop. */
  causedBy: CausedBy;
  /** Outputs of finished steps by name. */
  outputs: Record<string, unknown>;
  /** Aborted on timeout, cancellation or shutdown. */
  signal: AbortSignal;
  logger: ForgeLogger;
  /** Deterministic per (run, step): use it to make side effects idempotent (event ids, job keys). */
  idempotencyKey: string;
  /**
   * When the step's first attempt started (ISO 8601), the same on each of its retries, and on
   * its attempts after the run is resumed (a restart, a job retried): a time to put in what a
   * retry must send byte for byte again.
   */
  startedAt: string;
}

/**
 * A kind of workflow step. `options` validates the step's rendered `with` before `run` is
 * called (bad options fail the step with `VALIDATION_FAILED`, never retried).
 *
 * @example
 * ```ts
 * const notify: WorkflowStepKind = {
 *   name: 'notify',
 *   options: z.object({ text: z.string() }),
 *   async run(context, { text }) {
 *     await chat.post(text, { signal: context.signal, idempotencyKey: context.idempotencyKey });
 *     return { sent: true };
 *   },
 * };
 * forge.workflows.registerStep(notify);
 * ```
 */
export interface WorkflowStepKind<S extends z.ZodType = z.ZodType> {
  /** `process`, `classify`, `sort`, `image.thumbnail`, `webhook`, `connector.slack.postMessage`, custom. */
  readonly name: string;
  readonly options: S;
  /**
   * Time budget per attempt when the step sets no `timeoutMs`; `null` for none (the kind
   * keeps its own budgets, as `process` does per processor). @default 30000
   */
  readonly timeoutMs?: number | null;
  /** Does the work; resolves with a JSON-serialisable output (stored with the step). */
  run(context: WorkflowStepContext, options: z.output<S>): Promise<unknown>;
}
