import { z } from '@hono/zod-openapi';

/** `{id}` of a workflow. */
export const WorkflowIdParam = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: '01m89x19j1mxtrcxkbagdagbb0' }),
});

/** `{id}` and `{runId}` of a workflow run. */
export const WorkflowRunParams = WorkflowIdParam.extend({
  runId: z
    .string()
    .max(64)
    .openapi({ param: { name: 'runId', in: 'path' }, example: '01m89x19j1mxtrcxkbagdagbb1' }),
});

/** One linter finding: a stable rule id, a sentence and the field path. */
export const LintProblemSchema = z
  .object({
    rule: z
      .enum([
        'schema',
        'undefined-step',
        'cycle',
        'unknown-step-kind',
        'missing-processor',
        'invalid-template',
        'unreachable-step',
      ])
      .openapi({ example: 'cycle' }),
    message: z.string(),
    path: z.string().openapi({ example: 'steps.sign.needs[0]' }),
  })
  .openapi('WorkflowLintProblem');

/** `POST /api/v1/workflows/lint`. */
export const LintResultSchema = z
  .object({ ok: z.boolean(), problems: z.array(LintProblemSchema) })
  .openapi('WorkflowLintResult');

/** An error recorded on a run or a step. */
const RunErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  step: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** One entry of a run's step timeline. */
export const StepRunSchema = z
  .object({
    name: z.string(),
    status: z.enum(['pending', 'running', 'completed', 'failed', 'skipped', 'cancelled']),
    attempts: z.number().int(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    output: z.unknown().optional(),
    error: RunErrorSchema.optional(),
  })
  .openapi('WorkflowStepRun');

/** A workflow run with its step timeline. */
export const WorkflowRunSchema = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    status: z.enum(['pending', 'running', 'completed', 'failed', 'cancelled']),
    trigger: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'What started it: event, schedule, manual, watch, pipeline' }),
    fileId: z.string().nullable(),
    input: z.record(z.string(), z.unknown()),
    depth: z.number().int(),
    error: RunErrorSchema.nullable(),
    attempt: z.number().int().openapi({ description: '1, then one more per retry' }),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    steps: z.array(StepRunSchema),
  })
  .openapi('WorkflowRun');

/** A page of runs. */
export const WorkflowRunListSchema = z
  .object({ items: z.array(WorkflowRunSchema), nextCursor: z.string().nullable() })
  .openapi('WorkflowRunList');

/** Body of `POST /api/v1/workflows/{id}/runs`. */
export const StartRunBody = z
  .object({
    fileId: z.string().max(64).optional().openapi({ description: 'The file the run works on, if any' }),
    input: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: 'Read by steps as {{ input.* }}' }),
  })
  .openapi('StartWorkflowRun');
