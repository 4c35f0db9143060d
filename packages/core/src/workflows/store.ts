/**
 * Workflows, runs and step results over Kysely, the same queries on every SQL dialect. Built
 * on the catalog's query builder (`catalog.db()`), or on a transaction's (`tx.db()`) when a
 * status change must commit together with its event.
 *
 * @module
 */
import type { Kysely } from 'kysely';
import { transact } from '../catalog/transact.js';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { WorkflowDefinition } from './definition.js';
import type {
  RunError,
  RunStatus,
  RunTrigger,
  StepStatus,
  WorkflowRecord,
  WorkflowRun,
  WorkflowStepRun,
} from './model.js';
import type { CausedBy } from './step-kind.js';

interface WorkflowsTable {
  id: string;
  tenant: string;
  name: string;
  definition: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}
interface RunsTable {
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
interface StepsTable {
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

/** A run as it is created (its steps all `pending`). */
export type NewRun = Omit<WorkflowRun, 'steps' | 'startedAt' | 'finishedAt' | 'error' | 'attempt'>;

/** Fields a run status change may set. */
export type RunPatch = Partial<
  Pick<WorkflowRun, 'status' | 'error' | 'startedAt' | 'finishedAt' | 'attempt'>
>;
/** Fields a step change may set. */
export type StepPatch = Partial<
  Pick<WorkflowStepRun, 'status' | 'startedAt' | 'finishedAt' | 'output' | 'error'>
> & {
  /** Adds to `attempts`. */
  addAttempts?: number;
};

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
const parse = <T>(text: string | null): T | undefined =>
  text === null ? undefined : (JSON.parse(text) as T);

function workflowFromRow(row: WorkflowsTable): WorkflowRecord {
  return {
    id: row.id,
    tenant: row.tenant,
    name: row.name,
    enabled: Number(row.enabled) === 1,
    definition: JSON.parse(row.definition) as WorkflowDefinition,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function stepFromRow(row: StepsTable): WorkflowStepRun {
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

function runFromRow(row: RunsTable, steps: WorkflowStepRun[]): WorkflowRun {
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

function runPatchRow(patch: RunPatch): Partial<RunsTable> {
  const row: Partial<RunsTable> = {};
  if (patch.status !== undefined) row.status = patch.status;
  if (patch.error !== undefined) row.error = json(patch.error);
  if (patch.startedAt !== undefined) row.started_at = patch.startedAt;
  if (patch.finishedAt !== undefined) row.finished_at = patch.finishedAt;
  if (patch.attempt !== undefined) row.attempt = patch.attempt;
  return row;
}

/** One page of runs, newest first. */
export interface RunPage {
  items: WorkflowRun[];
  nextCursor: string | null;
}

/** Creates the workflow store over a Kysely instance (the catalog's, or a transaction's). */
// biome-ignore lint/suspicious/noExplicitAny: the catalog hands modules an untyped query builder
export function createWorkflowStore(anyDb: Kysely<any>) {
  const db = anyDb as Kysely<WorkflowDatabase>;

  const stepsOf = async (runIds: readonly string[]) => {
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
  };

  return {
    /** Inserts a workflow; `CONFLICT` when its name is taken in its tenant. */
    async insertWorkflow(record: WorkflowRecord): Promise<void> {
      await transact(db, async (trx) => {
        const taken = await trx
          .selectFrom('workflows')
          .select('id')
          .where('tenant', '=', record.tenant)
          .where('name', '=', record.name)
          .executeTakeFirst();
        if (taken) throw nameTaken(record.name);
        await trx
          .insertInto('workflows')
          .values({
            id: record.id,
            tenant: record.tenant,
            name: record.name,
            definition: JSON.stringify(record.definition),
            enabled: record.enabled ? 1 : 0,
            created_at: record.createdAt,
            updated_at: record.updatedAt,
          })
          .execute();
      });
    },

    async getWorkflow(tenant: string, id: string): Promise<WorkflowRecord | null> {
      const row = await db
        .selectFrom('workflows')
        .selectAll()
        .where('tenant', '=', tenant)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? workflowFromRow(row) : null;
    },

    /** A tenant's workflows by name; with `enabledOnly`, only enabled ones; without a tenant, every tenant's. */
    async listWorkflows(
      tenant: string | null,
      options: { enabledOnly?: boolean } = {},
    ): Promise<WorkflowRecord[]> {
      let query = db.selectFrom('workflows').selectAll();
      if (tenant !== null) query = query.where('tenant', '=', tenant);
      if (options.enabledOnly) query = query.where('enabled', '=', 1);
      const rows = await query.orderBy('tenant').orderBy('name').execute();
      return rows.map(workflowFromRow);
    },

    /** Replaces a workflow's definition; `CONFLICT` when the new name is taken; null when missing. */
    async updateWorkflow(
      tenant: string,
      id: string,
      definition: WorkflowDefinition,
      updatedAt: string,
    ): Promise<WorkflowRecord | null> {
      return transact(db, async (trx) => {
        const taken = await trx
          .selectFrom('workflows')
          .select('id')
          .where('tenant', '=', tenant)
          .where('name', '=', definition.name)
          .where('id', '!=', id)
          .executeTakeFirst();
        if (taken) throw nameTaken(definition.name);
        const result = await trx
          .updateTable('workflows')
          .set({
            name: definition.name,
            definition: JSON.stringify(definition),
            enabled: definition.enabled ? 1 : 0,
            updated_at: updatedAt,
          })
          .where('tenant', '=', tenant)
          .where('id', '=', id)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return null;
        const row = await trx
          .selectFrom('workflows')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        return workflowFromRow(row);
      });
    },

    /** Deletes a workflow and its runs; false when missing. */
    async removeWorkflow(tenant: string, id: string): Promise<boolean> {
      return transact(db, async (trx) => {
        const result = await trx
          .deleteFrom('workflows')
          .where('tenant', '=', tenant)
          .where('id', '=', id)
          .executeTakeFirst();
        if (Number(result.numDeletedRows) === 0) return false;
        const runs = trx.selectFrom('workflow_runs').select('id').where('workflow_id', '=', id);
        await trx.deleteFrom('workflow_steps').where('run_id', 'in', runs).execute();
        await trx.deleteFrom('workflow_runs').where('workflow_id', '=', id).execute();
        return true;
      });
    },

    /**
     * Inserts a run with its steps `pending`, unless a run of that id exists (a duplicate
     * trigger): returns whether this call created it.
     */
    async insertRun(run: NewRun, stepNames: readonly string[]): Promise<boolean> {
      return transact(db, async (trx) => {
        const result = await trx
          .insertInto('workflow_runs')
          .values({
            id: run.id,
            tenant: run.tenant,
            workflow_id: run.workflowId,
            status: run.status,
            trigger: JSON.stringify(run.trigger),
            file_id: run.fileId,
            input: JSON.stringify(run.input),
            depth: run.depth,
            caused_by: json(run.causedBy ?? undefined),
            error: null,
            attempt: 1,
            created_at: run.createdAt,
            started_at: null,
            finished_at: null,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .executeTakeFirst();
        if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
        if (stepNames.length > 0) {
          await trx
            .insertInto('workflow_steps')
            .values(
              stepNames.map((name, position) => ({
                run_id: run.id,
                name,
                position,
                status: 'pending',
                attempts: 0,
                started_at: null,
                finished_at: null,
                output: null,
                error: null,
              })),
            )
            .execute();
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
      return runFromRow(row, (await stepsOf([row.id])).get(row.id) ?? []);
    },

    /**
     * A run with its steps and its workflow's stored definition (null when the workflow is
     * gone), the run and the definition read by one statement: what executing a run needs.
     */
    async getRunWithDefinition(
      tenant: string,
      id: string,
    ): Promise<{ run: WorkflowRun; definition: WorkflowDefinition | null } | null> {
      const row = await db
        .selectFrom('workflow_runs as r')
        .leftJoin('workflows as w', (join) =>
          join.onRef('w.id', '=', 'r.workflow_id').onRef('w.tenant', '=', 'r.tenant'),
        )
        .selectAll('r')
        .select('w.definition as workflow_definition')
        .where('r.id', '=', id)
        .where('r.tenant', '=', tenant)
        .executeTakeFirst();
      if (!row) return null;
      const { workflow_definition, ...run } = row;
      return {
        run: runFromRow(run, (await stepsOf([run.id])).get(run.id) ?? []),
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
        const [createdAt, id] = Buffer.from(options.cursor, 'base64url').toString('utf8').split('\n');
        if (createdAt !== undefined && id !== undefined) {
          query = query.where((eb) =>
            eb.or([
              eb('created_at', '<', createdAt),
              eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
            ]),
          );
        }
      }
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit);
      const steps = await stepsOf(page.map((r) => r.id));
      const last = page.at(-1);
      return {
        items: page.map((r) => runFromRow(r, steps.get(r.id) ?? [])),
        nextCursor:
          rows.length > limit && last
            ? Buffer.from(`${last.created_at}\n${last.id}`).toString('base64url')
            : null,
      };
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
      const result = await db
        .updateTable('workflow_runs')
        .set(runPatchRow(patch))
        .where('id', '=', id)
        .where('status', 'in', from)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

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

/** The workflow store's methods. */
export type WorkflowStore = ReturnType<typeof createWorkflowStore>;

const nameTaken = (name: string) =>
  new FileForgeError(ErrorCode.CONFLICT, `[fileforge:workflows] A workflow named "${name}" already exists`, {
    details: { field: 'name' },
  });
