import type { Kysely, Migration } from 'kysely';
import type { MigrationModule } from '../catalog/migrate.js';

/**
 * The sorter's tables, migrated by the catalog after core's (its own bookkeeping table):
 * rules, sort runs and their move journal, and the learned classifier's model per tenant with
 * the count of labels given since it was trained.
 * Portable types only, so the same steps run on SQLite and PostgreSQL.
 */
const migrations: Record<string, Migration> = {
  '0001_rules_runs_moves_models': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('sort_rules')
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('sort_rules_pk', ['tenant', 'id'])
        .execute();

      await db.schema
        .createTable('sort_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('moved', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .execute();
      await db.schema.createIndex('sort_runs_tenant_id').on('sort_runs').columns(['tenant', 'id']).execute();

      // The journal: one row per move, written `planned` before anything changes, so start-up
      // recovery can finish or roll back a move a crash interrupted.
      await db.schema
        .createTable('sort_moves')
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('file_id', 'text', (c) => c.notNull())
        .addColumn('from_path', 'text')
        .addColumn('to_path', 'text')
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('undoes_seq', 'integer')
        .addPrimaryKeyConstraint('sort_moves_pk', ['run_id', 'seq'])
        .execute();
      await db.schema.createIndex('sort_moves_state').on('sort_moves').column('state').execute();

      await db.schema
        .createTable('classifier_models')
        .addColumn('tenant', 'text', (c) => c.primaryKey())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('label_count', 'integer', (c) => c.notNull())
        .addColumn('trained_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0002_classifier_new_labels': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
    async up(db: Kysely<any>) {
      // Labels given since the tenant's last training (a first label, a correction, a
      // confirmation), counted as they are given: what makes the classifier retrain on its own.
      await db.schema
        .createTable('classifier_new_labels')
        .addColumn('tenant', 'text', (c) => c.primaryKey())
        .addColumn('count', 'integer', (c) => c.notNull())
        .execute();
    },
  },
  '0003_classifier_label_sequence': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
    async up(db: Kysely<any>) {
      // From here on `classifier_new_labels.count` only grows (every label given, ever) and a
      // model records the count its training read: labels since = count − labels_through.
      // Existing models read 0, so the labels counted since them stay counted.
      await db.schema
        .alterTable('classifier_models')
        .addColumn('labels_through', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
};

/** The sorter's migration module: pass it to the catalog (`migrations`) beside core's. */
export const sorterMigrations: MigrationModule = { name: 'sorter', migrations };
