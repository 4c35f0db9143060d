/**
 * The queue job that executes a workflow run: `workflow.run` with `{ tenant, runId }`, keyed
 * by the run so one run never executes twice at once.
 *
 * @module
 */

/** Job type of a workflow run. */
export const WORKFLOW_RUN_JOB = 'workflow.run';

/** Payload of the `workflow.run` job. */
export interface WorkflowRunJobPayload {
  tenant: string;
  runId: string;
}

/** The key under which a run's jobs merge (one pending and one running at most). */
export const runJobKey = (runId: string) => `${WORKFLOW_RUN_JOB}:${runId}`;

declare module '../queue/job-map.js' {
  interface JobMap {
    /** Executes one workflow run (see the workflow engine). */
    'workflow.run': WorkflowRunJobPayload;
  }
}
