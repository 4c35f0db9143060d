import { type Kysely, type Migration, sql } from 'kysely';
import { isPostgres } from '../catalog/dialect.js';
import type { MigrationModule } from '../catalog/migrate.js';

/**
 * The audit trail's table, migrated by the catalog after core's (its own bookkeeping table).
 * `seq` is the primary key and every append takes the last seq + 1, so two appends racing for
 * the same place cannot both commit: the chain never forks. Triggers refuse UPDATE and DELETE
 * (and TRUNCATE on PostgreSQL) through FileForge's own connection; someone with the database
 * file or the table's owner role can still drop them, which is what the hash chain and
 * `fileforge audit verify` are for.
 */
const migrations: Record<string, Migration> = {
  '0001_audit_log': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('tenant', 'text')
        .addColumn('actor_type', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text')
        .addColumn('target_id', 'text')
        .addColumn('target_name', 'text')
        .addColumn('request_id', 'text')
        .addColumn('client_address', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('audit_log_tenant_seq')
        .on('audit_log')
        .columns(['tenant', 'seq'])
        .execute();
      await db.schema
        .createIndex('audit_log_tenant_action_seq')
        .on('audit_log')
        .columns(['tenant', 'action', 'seq'])
        .execute();
      if (isPostgres(db)) {
        await sql`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`.execute(db);
        await sql`CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
          FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
        await sql`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
          FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`.execute(db);
        return;
      }
      await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
      await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
    },
  },
};

/** The audit module's migrations (`audit_log`). */
export const auditMigrations: MigrationModule = { name: 'audit', migrations };
