/**
 * The workflow engine's tables and the mapping between their rows and the workflow model.
 *
 * @module
 */
import type { WorkflowDefinition } from '../definition.js';
import type {
  RunError,
  RunStatus,
  RunTrigger,
  StepStatus,
  WorkflowRecord,
  WorkflowRun,
  WorkflowSaver,
  WorkflowStepRun,
} from '../model.js';
import type { CausedBy } from '../step-kind.js';
import type { RunPatch } from './runs.js';

export interface WorkflowsTable {
  id: string;
  tenant: string;
  name: string;
  definition: string;
  enabled: number;
  /** JSON `{ kind, id }`; null when saved without a saver. */
  saved_by: string | null;
  created_at: string;
  updated_at: string;
}
export interface RunsTable {
  id: string;
  tenant: string;
  workflow_id: string;
  status: string;
  trigger: string;
  file_id: string | null;
  input: string;
  depth: number;
  caused_by: string | null;
  error: string | null;
  attempt: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}
export interface StepsTable {
  run_id: string;
  name: string;
  position: number;
  status: string;
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
  output: string | null;
  error: string | null;
}
/** The workflow engine's tables. */
export interface WorkflowDatabase {
  workflows: WorkflowsTable;
  workflow_runs: RunsTable;
  workflow_steps: StepsTable;
}

export const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
export const parse = <T>(text: string | null): T | undefined =>
  text === null ? undefined : (JSON.parse(text) as T);

export function workflowFromRow(row: WorkflowsTable): WorkflowRecord {
  return {
    id: row.id,
    tenant: row.tenant,
    name: row.name,
    enabled: Number(row.enabled) === 1,
    definition: JSON.parse(row.definition) as WorkflowDefinition,
    savedBy: parse<WorkflowSaver>(row.saved_by) ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function stepFromRow(row: StepsTable): WorkflowStepRun {
  const output = parse<unknown>(row.output);
  const error = parse<RunError>(row.error);
  return {
    name: row.name,
    status: row.status as StepStatus,
    attempts: Number(row.attempts),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    ...(output === undefined ? {} : { output }),
    ...(error === undefined ? {} : { error }),
  };
}

export function runFromRow(row: RunsTable, steps: WorkflowStepRun[]): WorkflowRun {
  return {
    id: row.id,
    tenant: row.tenant,
    workflowId: row.workflow_id,
    status: row.status as RunStatus,
    trigger: JSON.parse(row.trigger) as RunTrigger,
    fileId: row.file_id,
    input: JSON.parse(row.input) as Record<string, unknown>,
    depth: Number(row.depth),
    causedBy: parse<CausedBy>(row.caused_by) ?? null,
    error: parse<RunError>(row.error) ?? null,
    attempt: Number(row.attempt),
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    steps,
  };
}

export function runPatchRow(patch: RunPatch): Partial<RunsTable> {
  const row: Partial<RunsTable> = {};
  if (patch.status !== undefined) row.status = patch.status;
  if (patch.error !== undefined) row.error = json(patch.error);
  if (patch.startedAt !== undefined) row.started_at = patch.startedAt;
  if (patch.finishedAt !== undefined) row.finished_at = patch.finishedAt;
  if (patch.attempt !== undefined) row.attempt = patch.attempt;
  return row;
}
