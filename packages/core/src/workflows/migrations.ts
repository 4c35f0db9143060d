import type { Kysely, Migration } from 'kysely';
import type { MigrationModule } from '../catalog/migrate.js';

/**
 * The workflow engine's tables, the same on SQLite and PostgreSQL (text, integer, JSON as
 * text). Progress is kept in `fileforge_migration_workflows`.
 */
const migrations: Record<string, Migration> = {
  '0001_workflows_runs_steps': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('workflows')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('workflows_tenant_name_unique', ['tenant', 'name'])
        .execute();

      await db.schema
        .createTable('workflow_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('workflow_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('file_id', 'text')
        .addColumn('input', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('depth', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('caused_by', 'text')
        .addColumn('error', 'text')
        .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .execute();
      await db.schema
        .createIndex('workflow_runs_tenant_workflow')
        .on('workflow_runs')
        .columns(['tenant', 'workflow_id', 'created_at'])
        .execute();
      await db.schema.createIndex('workflow_runs_status').on('workflow_runs').column('status').execute();
      await db.schema
        .createIndex('workflow_runs_file')
        .on('workflow_runs')
        .columns(['tenant', 'file_id'])
        .execute();

      await db.schema
        .createTable('workflow_steps')
        .addColumn('run_id', 'text', (c) => c.notNull().references('workflow_runs.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('output', 'text')
        .addColumn('error', 'text')
        .addPrimaryKeyConstraint('workflow_steps_pk', ['run_id', 'name'])
        .execute();
    },
  },
  '0002_workflows_saved_by': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
    async up(db: Kysely<any>) {
      // Who last saved the workflow (`{ kind, id }` as JSON), whose rights its triggered runs
      // have; null for workflows saved through the SDK or before this column existed.
      await db.schema.alterTable('workflows').addColumn('saved_by', 'text').execute();
    },
  },
};

/** The workflow engine's migration module (`workflows`); run after core's. */
export const workflowMigrations: MigrationModule = { name: 'workflows', migrations };
