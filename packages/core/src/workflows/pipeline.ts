/**
 * The default pipeline as a workflow: `process → classify → sort` (classify and sort once
 * their step kinds are registered), run by the `file.process` job on the workflow engine,
 * so every file's steps are persisted and resumed like any run.
 *
 * The run id derives from the job id: a job retried after a crash or an infrastructure
 * error resumes the same run (completed steps are not run again). A step failing fails the
 * run and the job throws, so the queue retries the job with backoff, which resumes the run
 * from the failed step. Its runs are not announced with `workflow.*` events: a file's own
 * events (`file.processed`, `file.classified`, `file.sorted`) tell its progress.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { type ForgeContext, isoNow } from '../forge/context.js';
import { FINAL_FILE_STATUSES } from '../model/index.js';
import type { JobContext } from '../queue/index.js';
import type { ProcessJobPayload } from '../steps/process.js';
import type { WorkflowDefinition } from './definition.js';
import type { RunOutcome, WorkflowEngine } from './engine.js';
import { PIPELINE_WORKFLOW_ID } from './process-step.js';
import { derivedRunId } from './run-id.js';
import type { StepKindRegistry } from './step-kinds.js';
import { createWorkflowStore } from './store.js';

/** Only a file the processors accepted is classified and sorted. */
const WHEN_PROCESSED = '{{ steps.process.output.processed }}';

/** The default pipeline's definition for the step kinds registered now. */
export function pipelineDefinition(kinds: Pick<StepKindRegistry, 'has'>): WorkflowDefinition {
  const steps: WorkflowDefinition['steps'] = {
    process: { uses: 'process', with: { force: '{{ input.force }}' }, onError: 'fail' },
  };
  let last = 'process';
  for (const name of ['classify', 'sort']) {
    if (!kinds.has(name)) continue;
    steps[name] = { uses: name, needs: [last], if: WHEN_PROCESSED, onError: 'fail' };
    last = name;
  }
  return { name: PIPELINE_WORKFLOW_ID, enabled: true, on: { manual: true }, steps };
}

/** The `file.process` job handler: runs (or resumes) the file's pipeline run. */
export async function runPipeline(
  ctx: ForgeContext,
  engine: WorkflowEngine,
  payload: ProcessJobPayload,
  job: JobContext,
): Promise<void> {
  const { tenant, fileId } = payload;
  const store = engine.store();
  const runId = derivedRunId(PIPELINE_WORKFLOW_ID, job.job.id);
  const existing = await store.getRun(tenant, runId);
  if (!existing) {
    const record = await ctx.catalog.files.get(tenant, fileId);
    if (!record) return; // deleted meanwhile
    if (FINAL_FILE_STATUSES.includes(record.status) && !payload.force) return;
    // A run an earlier job left unfinished (its job gave up or was lost): this one carries the work.
    const at = isoNow(ctx);
    for (const stale of await store.listUnfinishedRunsOf(tenant, PIPELINE_WORKFLOW_ID, fileId)) {
      await ctx.catalog.transaction(async (tx) => {
        const t = createWorkflowStore(tx.db!());
        if (await t.updateRun(stale, ['pending', 'running'], { status: 'cancelled', finishedAt: at })) {
          await t.updateSteps(stale, ['pending', 'running'], 'cancelled', at);
        }
      });
    }
    // The pipeline's definition is not stored (the engine builds it from the registered kinds).
    const { run, created } = await engine.createRun({
      id: runId,
      tenant,
      workflowId: PIPELINE_WORKFLOW_ID,
      definition: pipelineDefinition(engine.kinds),
      trigger: { kind: 'pipeline', jobId: job.job.id },
      fileId,
      input: { force: payload.force ?? false },
    });
    if (created) return finish(await engine.execute(tenant, runId, job.signal, { run, definition: null }));
  } else if (existing.status === 'failed') {
    // The job's retry: resume from the failed step.
    await ctx.catalog.transaction(async (tx) => {
      const t = createWorkflowStore(tx.db!());
      if (await t.updateRun(runId, ['failed'], { status: 'running', error: null, finishedAt: null })) {
        await t.updateSteps(runId, ['failed', 'skipped', 'cancelled'], 'pending', null);
      }
    });
  } else if (existing.status === 'completed' || existing.status === 'cancelled') {
    return;
  }
  finish(await engine.execute(tenant, runId, job.signal));
}

/** A failed run fails the job, so the queue retries it (which resumes the run). */
function finish(run: RunOutcome | null): void {
  if (run?.status === 'failed') {
    const error = run.error;
    throw new FileForgeError(
      (error?.code as ErrorCode | undefined) ?? ErrorCode.INTERNAL,
      error?.message ?? '[fileforge:workflows] The default pipeline failed',
      error?.details ? { details: error.details } : {},
    );
  }
}
