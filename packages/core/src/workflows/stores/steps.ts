/**
 * Step results: reading a run's step timeline and changing steps.
 *
 * @module
 */
import type { Kysely } from 'kysely';
import type { StepStatus, WorkflowStepRun } from '../model.js';
import { json, stepFromRow, type WorkflowDatabase } from './rows.js';

/** Fields a step change may set. */
export type StepPatch = Partial<
  Pick<WorkflowStepRun, 'status' | 'startedAt' | 'finishedAt' | 'output' | 'error'>
> & {
  /** Adds to `attempts`. */
  addAttempts?: number;
};

/** The steps of each of `runIds`, in order, keyed by run id. */
export async function stepsOf(db: Kysely<WorkflowDatabase>, runIds: readonly string[]) {
  const map = new Map<string, WorkflowStepRun[]>();
  if (runIds.length === 0) return map;
  const rows = await db
    .selectFrom('workflow_steps')
    .selectAll()
    .where('run_id', 'in', runIds)
    .orderBy('run_id')
    .orderBy('position')
    .execute();
  for (const row of rows) {
    const list = map.get(row.run_id) ?? [];
    list.push(stepFromRow(row));
    map.set(row.run_id, list);
  }
  return map;
}

/** The workflow store's step methods. */
export function createStepStore(db: Kysely<WorkflowDatabase>) {
  return {
    /** Changes one step only while its status is one of `from`; returns whether it did. */
    async updateStep(
      runId: string,
      name: string,
      from: readonly StepStatus[],
      patch: StepPatch,
    ): Promise<boolean> {
      const result = await db
        .updateTable('workflow_steps')
        .set((eb) => ({
          ...(patch.status === undefined ? {} : { status: patch.status }),
          ...(patch.startedAt === undefined ? {} : { started_at: patch.startedAt }),
          ...(patch.finishedAt === undefined ? {} : { finished_at: patch.finishedAt }),
          ...(patch.output === undefined ? {} : { output: json(patch.output) }),
          ...(patch.error === undefined ? {} : { error: json(patch.error) }),
          ...(patch.addAttempts ? { attempts: eb('attempts', '+', patch.addAttempts) } : {}),
        }))
        .where('run_id', '=', runId)
        .where('name', '=', name)
        .where('status', 'in', from)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Moves every step of a run in one of `from` to `to` (clearing the error when going back to pending). */
    async updateSteps(
      runId: string,
      from: readonly StepStatus[],
      to: StepStatus,
      at: string | null,
    ): Promise<void> {
      await db
        .updateTable('workflow_steps')
        .set(
          to === 'pending'
            ? { status: to, error: null, output: null, started_at: null, finished_at: null }
            : { status: to, finished_at: at },
        )
        .where('run_id', '=', runId)
        .where('status', 'in', from)
        .execute();
    },
  };
}
