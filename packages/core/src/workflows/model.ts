/**
 * Stored workflows, runs and step results, as the SDK returns them.
 *
 * @module
 */
import type { WorkflowDefinition } from './definition.js';
import type { CausedBy } from './step-kind.js';

/** The account that last saved a workflow: a user, or an API key (see `saver.ts`). */
export interface WorkflowSaver {
  kind: 'user' | 'api_key';
  /** User id, or API key id. */
  id: string;
}

/** A stored workflow. */
export interface WorkflowRecord {
  id: string;
  tenant: string;
  name: string;
  enabled: boolean;
  definition: WorkflowDefinition;
  /**
   * Who last saved it, whose rights its triggered runs have: an event or watch trigger starts a
   * run on a file only while this account may change the file. `null` when saved through the
   * SDK without one (or before savers were recorded): the forge's own rights, every file.
   */
  savedBy: WorkflowSaver | null;
  createdAt: string;
  updatedAt: string;
}

/** Where a run is. `completed`, `failed` and `cancelled` are final (a failed run may be retried). */
export type RunStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

/** Where a step of a run is. */
export type StepStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled';

/** An error as a run or step records it. */
export interface RunError {
  code: string;
  message: string;
  /** The step that failed the run. */
  step?: string;
  details?: Record<string, unknown>;
}

/** What started a run. */
export type RunTrigger =
  | { kind: 'event'; event: string; eventId: string }
  | { kind: 'schedule'; schedule: string; at: string }
  | { kind: 'manual' }
  | { kind: 'watch'; folder: string }
  | { kind: 'pipeline'; jobId: string };

/** One step's result within a run: its timeline entry. */
export interface WorkflowStepRun {
  name: string;
  status: StepStatus;
  /** Attempts made (retries included; a resumed step keeps counting). */
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  output?: unknown;
  error?: RunError;
}

/** One run of a workflow. */
export interface WorkflowRun {
  id: string;
  tenant: string;
  workflowId: string;
  status: RunStatus;
  trigger: RunTrigger;
  fileId: string | null;
  input: Record<string, unknown>;
  /** 0 unless an event caused by another workflow's run started it. */
  depth: number;
  causedBy: CausedBy | null;
  error: RunError | null;
  /** 1, then one more on each `retryRun`. */
  attempt: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** The step timeline, in definition order. */
  steps: WorkflowStepRun[];
}

/** Final run statuses. */
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];
