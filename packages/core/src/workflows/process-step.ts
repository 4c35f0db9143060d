import { z } from 'zod';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { ForgeContext } from '../forge/context.js';
import { processFile } from '../steps/process.js';
import type { WorkflowStepKind } from './step-kind.js';

/** The id under which runs of the default pipeline are recorded (it is not a stored workflow). */
export const PIPELINE_WORKFLOW_ID = 'default-pipeline';

const options = z
  .object({
    /** Process again even when the file is already processed (its events are emitted again). @default false */
    force: z.boolean().default(false),
  })
  .strict();

/** Output of the `process` step. */
export interface ProcessStepOutput {
  /** The file's status afterwards (`processed`, `failed`, `rejected`); `null` when it was deleted meanwhile. */
  status: string | null;
  processed: boolean;
}

/**
 * The `process` step kind: runs every matching processor on the run's file and ends it
 * `processed`, `failed` or `rejected` with its event (see `processFile`). Without
 * `force`, a file already processed is left alone. No time budget of its own: each
 * processor has one. Events it causes carry the run's `causedBy`, except in the default
 * pipeline, whose events are the file's own.
 */
export function processStep(ctx: ForgeContext): WorkflowStepKind<typeof options> {
  return {
    name: 'process',
    options,
    timeoutMs: null,
    async run(context, { force }): Promise<ProcessStepOutput> {
      if (!context.fileId) {
        throw new FileForgeError(
          ErrorCode.VALIDATION_FAILED,
          '[fileforge:workflows] The "process" step works on a file; start the run with a fileId',
        );
      }
      const status = await processFile(
        ctx,
        { tenant: context.tenant, fileId: context.fileId, force },
        {
          signal: context.signal,
          eventKey: context.idempotencyKey,
          ...(context.run.workflowId === PIPELINE_WORKFLOW_ID ? {} : { causedBy: context.causedBy }),
        },
      );
      return { status, processed: status === 'processed' };
    },
  };
}
