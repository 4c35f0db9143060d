/**
 * The default pipeline's `classify` and `sort` steps as workflow step kinds. The workflow
 * engine registers them; each works on the run's file and is idempotent per run step
 * (`idempotencyKey`), so a retried or resumed step repeats its event ids.
 *
 * @module
 */
import { z } from 'zod';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { ForgeContext } from '../forge/context.js';
import type { WorkflowStepContext, WorkflowStepKind } from '../workflows/step-kind.js';
import { classifyFile, sortFile } from './forge-sorter.js';

const noOptions = z.object({}).strict();

function fileOf(context: WorkflowStepContext, kind: string): string {
  if (!context.fileId) {
    throw new FileForgeError(
      ErrorCode.VALIDATION_FAILED,
      `[fileforge:sorter] Step kind "${kind}" works on a file; start the run with a fileId`,
    );
  }
  return context.fileId;
}

/** The `classify` step: rules, then the learned model; output `{ status, category, decidedBy }`. */
export function classifyStep(ctx: ForgeContext): WorkflowStepKind<typeof noOptions> {
  return {
    name: 'classify',
    options: noOptions,
    async run(context) {
      const c = await classifyFile(ctx, context.tenant, fileOf(context, 'classify'), {
        causedBy: context.causedBy,
        eventKey: context.idempotencyKey,
      });
      return { status: c.status, category: c.category, decidedBy: c.decidedBy };
    },
  };
}

/** The `sort` step: the file's place in the sorted tree; output `{ action, from, to, ruleId, reason, runId }`. */
export function sortStep(ctx: ForgeContext): WorkflowStepKind<typeof noOptions> {
  return {
    name: 'sort',
    options: noOptions,
    async run(context) {
      const outcome = await sortFile(ctx, context.tenant, fileOf(context, 'sort'), {
        causedBy: context.causedBy,
        eventKey: context.idempotencyKey,
      });
      const { run, ...rest } = outcome;
      return { ...rest, runId: run?.id ?? null };
    },
  };
}
