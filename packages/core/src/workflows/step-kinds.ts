/**
 * The step kinds a forge's workflows can use, by name, and the adapter that turns a
 * processor operation (a core `StepKind` working on a file) into a workflow step.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { ForgeContext } from '../forge/context.js';
import { runStep } from '../steps/run-step.js';
import type { StepKind } from '../steps/step-kind.js';
import { STEP_KIND } from './definition.js';
import type { WorkflowStepKind } from './step-kind.js';

/** Step kinds by name. */
export interface StepKindRegistry {
  /** Adds a kind; a name already taken throws `INVALID_CONFIG`. */
  register(kind: WorkflowStepKind): void;
  get(name: string): WorkflowStepKind | undefined;
  has(name: string): boolean;
  /** Every registered name, sorted. */
  names(): string[];
}

/** Creates an empty {@link StepKindRegistry}. */
export function createStepKindRegistry(): StepKindRegistry {
  const kinds = new Map<string, WorkflowStepKind>();
  return {
    register(kind) {
      if (!kind || typeof kind.run !== 'function' || !kind.options || !STEP_KIND.test(kind.name ?? '')) {
        throw new FileForgeError(
          ErrorCode.INVALID_CONFIG,
          '[fileforge:workflows] A step kind needs a "name" such as "my.step", an "options" zod schema and a "run" function',
        );
      }
      if (kinds.has(kind.name)) {
        throw new FileForgeError(
          ErrorCode.INVALID_CONFIG,
          `[fileforge:workflows] A step kind named "${kind.name}" is already registered`,
          { details: { kind: kind.name } },
        );
      }
      kinds.set(kind.name, kind);
    },
    get: (name) => kinds.get(name),
    has: (name) => kinds.has(name),
    names: () => [...kinds.keys()].sort(),
  };
}

/** The output of a processor operation run as a workflow step. */
export interface OperationStepOutput {
  metadata: Record<string, unknown>;
  /** Names of the derivatives it stored on the file. */
  derivatives: string[];
}

/**
 * Adapts a processor operation (`image.thumbnail` from `@fileforge/processors`) to a
 * workflow step: it runs on the run's file through `runStep` (derivatives stored and
 * attached), and its output is the metadata and the stored derivatives' names. A run
 * without a file fails the step with `VALIDATION_FAILED`.
 */
export function operationStep(ctx: ForgeContext, operation: StepKind): WorkflowStepKind {
  return {
    name: operation.name,
    options: operation.options,
    async run(context, options): Promise<OperationStepOutput> {
      if (!context.fileId) {
        throw new FileForgeError(
          ErrorCode.VALIDATION_FAILED,
          `[fileforge:workflows] Step kind "${operation.name}" works on a file; start the run with a fileId`,
        );
      }
      const outcome = await runStep(ctx, operation, context.fileId, options, {
        signal: context.signal,
        tenant: context.tenant,
      });
      return { metadata: outcome.metadata, derivatives: outcome.derivatives.map((d) => d.name) };
    },
  };
}
