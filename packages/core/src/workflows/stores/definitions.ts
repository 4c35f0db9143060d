/**
 * Workflow definitions: insert, read, list, replace and delete (with their runs).
 *
 * @module
 */
import type { Kysely } from 'kysely';
import type { QueryTemplates } from '../../catalog/query-templates.js';
import { transact } from '../../catalog/transact.js';
import { ErrorCode, FileForgeError } from '../../errors/index.js';
import type { WorkflowDefinition } from '../definition.js';
import type { WorkflowRecord, WorkflowSaver } from '../model.js';
import { type WorkflowDatabase, workflowFromRow } from './rows.js';

/** The workflow store's definition methods. */
export function createDefinitionStore(db: Kysely<WorkflowDatabase>, templates: QueryTemplates) {
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
            saved_by: record.savedBy ? JSON.stringify(record.savedBy) : null,
            created_at: record.createdAt,
            updated_at: record.updatedAt,
          })
          .execute();
      });
    },

    async getWorkflow(tenant: string, id: string): Promise<WorkflowRecord | null> {
      const [row] = (
        await templates.run(db, 'getWorkflow', [tenant, id], (t, i) =>
          db.selectFrom('workflows').selectAll().where('tenant', '=', t).where('id', '=', i),
        )
      ).rows;
      return row ? workflowFromRow(row) : null;
    },

    /** A tenant's workflows by name; with `enabledOnly`, only enabled ones; without a tenant, every tenant's. */
    async listWorkflows(
      tenant: string | null,
      options: { enabledOnly?: boolean } = {},
    ): Promise<WorkflowRecord[]> {
      if (tenant !== null && options.enabledOnly) {
        // What the event triggers ask for every file event: compiled once (see query-templates.ts).
        const { rows } = await templates.run(db, 'listEnabledWorkflows', [tenant], (t) =>
          db
            .selectFrom('workflows')
            .selectAll()
            .where('tenant', '=', t)
            .where('enabled', '=', 1)
            .orderBy('tenant')
            .orderBy('name'),
        );
        return rows.map(workflowFromRow);
      }
      let query = db.selectFrom('workflows').selectAll();
      if (tenant !== null) query = query.where('tenant', '=', tenant);
      if (options.enabledOnly) query = query.where('enabled', '=', 1);
      const rows = await query.orderBy('tenant').orderBy('name').execute();
      return rows.map(workflowFromRow);
    },

    /**
     * Replaces a workflow's definition and who saved it (`savedBy`, null for none); `CONFLICT`
     * when the new name is taken; null when missing.
     */
    async updateWorkflow(
      tenant: string,
      id: string,
      definition: WorkflowDefinition,
      updatedAt: string,
      savedBy: WorkflowSaver | null = null,
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
            saved_by: savedBy ? JSON.stringify(savedBy) : null,
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
  };
}

const nameTaken = (name: string) =>
  new FileForgeError(ErrorCode.CONFLICT, `[fileforge:workflows] A workflow named "${name}" already exists`, {
    details: { field: 'name' },
  });
