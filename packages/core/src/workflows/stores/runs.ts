/**
 * Workflow runs: insert, read (with steps, or with the workflow's definition), list, update.
 *
 * @module
 */
import type { Kysely } from 'kysely';
import type { QueryTemplates } from '../../catalog/query-templates.js';
import { transact } from '../../catalog/transact.js';
import { ErrorCode, FileForgeError } from '../../errors/index.js';
import type { WorkflowDefinition } from '../definition.js';
import type { RunStatus, WorkflowRun } from '../model.js';
import { json, runFromRow, runPatchRow, stepFromRow, type WorkflowDatabase } from './rows.js';
import { stepsOf } from './steps.js';

/** A run as it is created (its steps all `pending`). */
export type NewRun = Omit<WorkflowRun, 'steps' | 'startedAt' | 'finishedAt' | 'error' | 'attempt'>;

/** Fields a run status change may set. */
export type RunPatch = Partial<
  Pick<WorkflowRun, 'status' | 'error' | 'startedAt' | 'finishedAt' | 'attempt'>
>;

/** One page of runs, newest first. */
export interface RunPage {
  items: WorkflowRun[];
  nextCursor: string | null;
}

/** The workflow store's run methods. */
export function createRunStore(db: Kysely<WorkflowDatabase>, templates: QueryTemplates) {
  return {
    /**
     * Inserts a run with its steps `pending`, unless a run of that id exists (a duplicate
     * trigger): returns whether this call created it.
     */
    async insertRun(run: NewRun, stepNames: readonly string[]): Promise<boolean> {
      const row = {
        id: run.id,
        tenant: run.tenant,
        workflow_id: run.workflowId,
        status: run.status,
        trigger: JSON.stringify(run.trigger),
        file_id: run.fileId,
        input: JSON.stringify(run.input),
        depth: run.depth,
        caused_by: json(run.causedBy ?? undefined),
        created_at: run.createdAt,
      };
      const columns = Object.keys(row) as Array<keyof typeof row>;
      return transact(db, async (trx) => {
        const result = await templates.run(
          trx,
          'insertRun',
          columns.map((c) => row[c]),
          (...v) =>
            trx
              .insertInto('workflow_runs')
              .values({
                ...(Object.fromEntries(columns.map((c, i) => [c, v[i]])) as unknown as typeof row),
                error: null,
                attempt: 1,
                started_at: null,
                finished_at: null,
              })
              .onConflict((oc) => oc.column('id').doNothing()),
        );
        if (Number(result.numAffectedRows ?? 0n) === 0) return false;
        if (stepNames.length > 0) {
          await templates.run(
            trx,
            `insertSteps:${stepNames.length}`,
            [run.id, ...stepNames],
            (id, ...names) =>
              trx.insertInto('workflow_steps').values(
                names.map((name, position) => ({
                  run_id: id!,
                  name,
                  position,
                  status: 'pending',
                  attempts: 0,
                  started_at: null,
                  finished_at: null,
                  output: null,
                  error: null,
                })),
              ),
          );
        }
        return true;
      });
    },

    /** A run with its step timeline; `tenant` null looks across tenants (internal use). */
    async getRun(tenant: string | null, id: string): Promise<WorkflowRun | null> {
      let query = db.selectFrom('workflow_runs').selectAll().where('id', '=', id);
      if (tenant !== null) query = query.where('tenant', '=', tenant);
      const row = await query.executeTakeFirst();
      if (!row) return null;
      return runFromRow(row, (await stepsOf(db, [row.id], templates)).get(row.id) ?? []);
    },

    /**
     * A run with its steps and its workflow's stored definition (null when the workflow is
     * gone), all read by one statement: what executing a run needs.
     */
    async getRunWithDefinition(
      tenant: string,
      id: string,
    ): Promise<{ run: WorkflowRun; definition: WorkflowDefinition | null } | null> {
      // One statement: the run's row (with the definition) once per step, or once with no step.
      const { rows } = await templates.run(db, 'getRunWithDefinition', [id, tenant], (i, t) =>
        db
          .selectFrom('workflow_runs as r')
          .leftJoin('workflows as w', (join) =>
            join.onRef('w.id', '=', 'r.workflow_id').onRef('w.tenant', '=', 'r.tenant'),
          )
          .leftJoin('workflow_steps as s', 's.run_id', 'r.id')
          .selectAll('r')
          .select([
            'w.definition as workflow_definition',
            's.name as step_name',
            's.position as step_position',
            's.status as step_status',
            's.attempts as step_attempts',
            's.started_at as step_started_at',
            's.finished_at as step_finished_at',
            's.output as step_output',
            's.error as step_error',
          ])
          .where('r.id', '=', i)
          .where('r.tenant', '=', t)
          .orderBy('s.position'),
      );
      const [first] = rows;
      if (!first) return null;
      const { workflow_definition, ...run } = first;
      const steps = rows.flatMap((r) =>
        r.step_name === null
          ? []
          : [
              stepFromRow({
                run_id: r.id,
                name: r.step_name,
                position: Number(r.step_position),
                status: r.step_status as string,
                attempts: Number(r.step_attempts),
                started_at: r.step_started_at,
                finished_at: r.step_finished_at,
                output: r.step_output,
                error: r.step_error,
              }),
            ],
      );
      return {
        run: runFromRow(run, steps),
        definition: workflow_definition ? (JSON.parse(workflow_definition) as WorkflowDefinition) : null,
      };
    },

    /** A workflow's runs, newest first, paginated by an opaque cursor. */
    async listRuns(
      tenant: string,
      workflowId: string,
      options: { limit?: number; cursor?: string } = {},
    ): Promise<RunPage> {
      const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
      let query = db
        .selectFrom('workflow_runs')
        .selectAll()
        .where('tenant', '=', tenant)
        .where('workflow_id', '=', workflowId);
      if (options.cursor) {
        const [createdAt, id] = positionOf(options.cursor);
        query = query.where((eb) =>
          eb.or([
            eb('created_at', '<', createdAt),
            eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
          ]),
        );
      }
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit);
      const steps = await stepsOf(
        db,
        page.map((r) => r.id),
      );
      const last = page.at(-1);
      return {
        items: page.map((r) => runFromRow(r, steps.get(r.id) ?? [])),
        nextCursor:
          rows.length > limit && last
            ? Buffer.from(`${last.created_at}\n${last.id}`).toString('base64url')
            : null,
      };
    },

    /** The runs about one file (of every workflow), newest first, at most `limit` (≤ 200). */
    async listFileRuns(tenant: string, fileId: string, limit = 50): Promise<WorkflowRun[]> {
      const rows = await db
        .selectFrom('workflow_runs')
        .selectAll()
        .where('tenant', '=', tenant)
        .where('file_id', '=', fileId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(Math.min(Math.max(limit, 1), 200))
        .execute();
      const steps = await stepsOf(
        db,
        rows.map((r) => r.id),
      );
      return rows.map((r) => runFromRow(r, steps.get(r.id) ?? []));
    },

    /** Runs left `pending` or `running` (start-up recovery). */
    async listUnfinishedRuns(): Promise<Array<Pick<WorkflowRun, 'id' | 'tenant' | 'workflowId' | 'fileId'>>> {
      const rows = await db
        .selectFrom('workflow_runs')
        .select(['id', 'tenant', 'workflow_id', 'file_id'])
        .where('status', 'in', ['pending', 'running'])
        .orderBy('created_at')
        .execute();
      return rows.map((r) => ({ id: r.id, tenant: r.tenant, workflowId: r.workflow_id, fileId: r.file_id }));
    },

    /** Unfinished runs of one workflow about one file (the default pipeline supersedes them). */
    async listUnfinishedRunsOf(tenant: string, workflowId: string, fileId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('workflow_runs')
        .select('id')
        .where('tenant', '=', tenant)
        .where('workflow_id', '=', workflowId)
        .where('file_id', '=', fileId)
        .where('status', 'in', ['pending', 'running'])
        .execute();
      return rows.map((r) => r.id);
    },

    /** Changes a run only while its status is one of `from`; returns whether it did. */
    async updateRun(id: string, from: readonly RunStatus[], patch: RunPatch): Promise<boolean> {
      const set = Object.entries(runPatchRow(patch));
      const result = await templates.run(
        db,
        `updateRun:${set.map(([c]) => c).join(',')}:${from.length}`,
        [...set.map(([, v]) => v), id, ...from],
        (...v) =>
          db
            .updateTable('workflow_runs')
            .set(Object.fromEntries(set.map(([c], i) => [c, v[i]])))
            .where('id', '=', v[set.length]!)
            .where('status', 'in', v.slice(set.length + 1)),
      );
      return Number(result.numAffectedRows ?? 0n) > 0;
    },
  };
}

/**
 * The creation time and id a run page's cursor holds. Anything this store did not hand out is
 * `VALIDATION_FAILED` on `cursor`: read as a position, it would end the list or start it over.
 */
function positionOf(cursor: string): [createdAt: string, id: string] {
  const [createdAt, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('\n');
  if (
    extra !== undefined ||
    !createdAt ||
    Number.isNaN(Date.parse(createdAt)) ||
    // Date.parse ignores a trailing NUL, which PostgreSQL refuses in a parameter (a 500).
    createdAt.includes('\0') ||
    !id ||
    !/^[0-9a-z]{1,64}$/.test(id)
  ) {
    const message = 'not a cursor returned by this API';
    throw new FileForgeError(ErrorCode.VALIDATION_FAILED, `[fileforge:workflows] ${message}`, {
      details: { fields: [{ path: 'cursor', message }] },
    });
  }
  return [createdAt, id];
}
