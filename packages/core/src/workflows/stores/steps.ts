/**
 * Step results: reading a run's step timeline and changing steps.
 *
 * @module
 */
import type { Kysely } from 'kysely';
import type { QueryTemplates } from '../../catalog/query-templates.js';
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
export async function stepsOf(
  db: Kysely<WorkflowDatabase>,
  runIds: readonly string[],
  templates?: QueryTemplates,
) {
  const map = new Map<string, WorkflowStepRun[]>();
  if (runIds.length === 0) return map;
  const query = (ids: readonly string[]) =>
    db
      .selectFrom('workflow_steps')
      .selectAll()
      .where('run_id', 'in', ids)
      .orderBy('run_id')
      .orderBy('position');
  const rows =
    templates && runIds.length === 1
      ? (await templates.run(db, 'stepsOf:1', runIds, (id) => query([id]))).rows
      : await query(runIds).execute();
  for (const row of rows) {
    const list = map.get(row.run_id) ?? [];
    list.push(stepFromRow(row));
    map.set(row.run_id, list);
  }
  return map;
}

/** The columns a step change sets, in a fixed order (the order of a template's values). */
const STEP_FIELDS = ['status', 'startedAt', 'finishedAt', 'output', 'error'] as const;
const STEP_COLUMNS = {
  status: 'status',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  output: 'output',
  error: 'error',
} as const;

/** The workflow store's step methods. */
export function createStepStore(db: Kysely<WorkflowDatabase>, templates: QueryTemplates) {
  return {
    /**
     * Changes one step only while its status is one of `from`; returns whether it did. The
     * hottest statement of a run (twice a step): compiled once per shape of change.
     */
    async updateStep(
      runId: string,
      name: string,
      from: readonly StepStatus[],
      patch: StepPatch,
    ): Promise<boolean> {
      const fields = STEP_FIELDS.filter((f) => patch[f] !== undefined);
      const values: unknown[] = fields.map((f) =>
        f === 'output' || f === 'error' ? json(patch[f]) : patch[f],
      );
      const add = patch.addAttempts ?? 0;
      values.push(runId, name, ...from);
      if (add) values.push(add);
      const result = await templates.run(
        db,
        `updateStep:${fields.join(',')}:${add ? '+' : ''}:${from.length}`,
        values,
        (...v) => {
          const set: Record<string, unknown> = Object.fromEntries(
            fields.map((f, i) => [STEP_COLUMNS[f], v[i]]),
          );
          const rest = v.slice(fields.length);
          return db
            .updateTable('workflow_steps')
            .set((eb) => ({
              ...set,
              ...(add ? { attempts: eb('attempts', '+', rest[2 + from.length] as unknown as number) } : {}),
            }))
            .where('run_id', '=', rest[0]!)
            .where('name', '=', rest[1]!)
            .where('status', 'in', rest.slice(2, 2 + from.length));
        },
      );
      return Number(result.numAffectedRows ?? 0n) > 0;
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
