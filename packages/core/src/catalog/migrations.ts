import { type Kysely, type Migration, SqliteAdapter, sql } from 'kysely';
import { isPostgres } from './dialect.js';
import type { MigrationModule } from './migrate.js';
import { cjkPairsMigration, filesSearchMigration } from './search-migration.js';

/**
 * Core's migration set, the same for every SQL dialect FileForge supports. Only portable types are
 * used (text, bigint, integer) so the same steps run on SQLite and PostgreSQL.
 */
const migrations: Record<string, Migration> = {
  '0001_files_derivatives_jobs': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('files')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('ext', 'text', (c) => c.notNull())
        .addColumn('declared_mime', 'text')
        .addColumn('type_mismatch', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('blob_key', 'text', (c) => c.notNull())
        .addColumn('duplicate_of', 'text')
        .addColumn('error', 'text')
        .addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('files_tenant_id').on('files').columns(['tenant', 'id']).execute();
      await db.schema.createIndex('files_tenant_sha256').on('files').columns(['tenant', 'sha256']).execute();
      await db.schema.createIndex('files_tenant_status').on('files').columns(['tenant', 'status']).execute();
      await db.schema.createIndex('files_blob_key').on('files').column('blob_key').execute();

      await db.schema
        .createTable('derivatives')
        .addColumn('file_id', 'text', (c) => c.notNull().references('files.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('width', 'integer')
        .addColumn('height', 'integer')
        .addColumn('blob_key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('derivatives_pk', ['file_id', 'name'])
        .execute();

      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('run_at', 'text', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('jobs_status_run_at').on('jobs').columns(['status', 'run_at']).execute();
    },
  },
  '0002_accounts_and_ownership': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
    async up(db: Kysely<any>) {
      await db.schema.alterTable('files').addColumn('owner_id', 'text').execute();
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('users_tenant').on('users').column('tenant').execute();
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('api_keys_tenant').on('api_keys').column('tenant').execute();
      await db.schema
        .createTable('refresh_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('family_id', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('revoked_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('refresh_tokens_family').on('refresh_tokens').column('family_id').execute();
      await db.schema.createIndex('refresh_tokens_user').on('refresh_tokens').column('user_id').execute();
    },
  },
  '0003_users_email_per_tenant_token_version': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
    async up(db: Kysely<any>) {
      // Emails become unique per tenant, and each user gets a token version (bumped when a
      // password, role or disabled flag changes: older access tokens stop working at once).
      // SQLite cannot drop a column's UNIQUE, so the table is rebuilt; every step is also valid
      // on PostgreSQL. Nothing references users by foreign key.
      await db.schema
        .createTable('users_next')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('token_version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('users_tenant_email_unique', ['tenant', 'email'])
        .execute();
      const columns = [
        'id',
        'tenant',
        'email',
        'password_hash',
        'role',
        'disabled',
        'created_at',
        'updated_at',
      ];
      await db
        .insertInto('users_next')
        .columns(columns)
        .expression(db.selectFrom('users').select(columns))
        .execute();
      await db.schema.dropTable('users').execute();
      await db.schema.alterTable('users_next').renameTo('users').execute();
      // Login without a tenant looks an email up across tenants.
      await db.schema.createIndex('users_email').on('users').column('email').execute();
    },
  },
  '0004_files_api_key_and_job_keys': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
    async up(db: Kysely<any>) {
      // The API key a file was uploaded through: a key is its own principal for ownership.
      await db.schema.alterTable('files').addColumn('api_key_id', 'text').execute();
      // A job with a key absorbs later jobs of the same key while it is still pending.
      await db.schema.alterTable('jobs').addColumn('dedupe_key', 'text').execute();
      await db.schema
        .createIndex('jobs_dedupe_key_status')
        .on('jobs')
        .columns(['dedupe_key', 'status'])
        .execute();
    },
  },
  '0005_job_leases_and_event_outbox': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
    async up(db: Kysely<any>) {
      // Jobs are leased to one queue instance at a time (owner, per-claim token, expiry).
      for (const column of ['lease_owner', 'lease_token', 'lease_expires_at']) {
        await db.schema.alterTable('jobs').addColumn(column, 'text').execute();
      }
      // Earlier versions could leave two pending jobs of one key (a crashed run set back to
      // pending beside a newer request). The oldest carries the work; the others end.
      await db
        .updateTable('jobs')
        .set({ status: 'failed', last_error: 'superseded by an earlier pending job of the same key' })
        .where('status', '=', 'pending')
        .where('dedupe_key', 'is not', null)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('jobs as p')
              .select('p.id')
              .whereRef('p.dedupe_key', '=', 'jobs.dedupe_key')
              .where('p.status', '=', 'pending')
              .whereRef('p.id', '<', 'jobs.id'),
          ),
        )
        .execute();
      // Never two pending jobs of one key, whatever races (partial unique index: SQLite and PostgreSQL).
      await db.schema
        .createIndex('jobs_pending_key')
        .unique()
        .on('jobs')
        .column('dedupe_key')
        .where(sql.ref('status'), '=', 'pending')
        .execute();

      // The durable event outbox. `seq` is the one dialect-specific column: an auto-increment
      // key on SQLite, an identity sequence on PostgreSQL.
      const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
      await db.schema
        .createTable('event_outbox')
        .addColumn('seq', sqlite ? 'integer' : 'bigserial', (c) =>
          sqlite ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('event_id', 'text', (c) => c.notNull().unique())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('stream', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text')
        .addColumn('delivered_at', 'text')
        .addColumn('last_error', 'text')
        .execute();
      await db.schema
        .createIndex('event_outbox_delivered_at')
        .on('event_outbox')
        .columns(['delivered_at', 'seq'])
        .execute();
    },
  },
  '0006_files_sorted_path_and_classification': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
    async up(db: Kysely<any>) {
      // A file's place in the sorted tree (unique per tenant where set), its category and its
      // classification (JSON, with the explanation). `classification_status` and
      // `classified_by` repeat two fields of that JSON as columns so the review queue and
      // the classifier's labels are found by index, the same way on every dialect.
      // Paths compare byte by byte on every engine (SQLite's default): the sorted tree reads a
      // folder as the range `folder/` ≤ path < `folder0`, which a linguistic collation breaks.
      await db.schema
        .alterTable('files')
        .addColumn('path', 'text', (c) => (isPostgres(db) ? c.modifyEnd(sql`collate "C"`) : c))
        .execute();
      await db.schema.alterTable('files').addColumn('category', 'text').execute();
      await db.schema.alterTable('files').addColumn('classification', 'text').execute();
      await db.schema.alterTable('files').addColumn('classification_status', 'text').execute();
      await db.schema.alterTable('files').addColumn('classified_by', 'text').execute();
      await db.schema
        .createIndex('files_tenant_path')
        .unique()
        .on('files')
        .columns(['tenant', 'path'])
        .where(sql.ref('path'), 'is not', null)
        .execute();
      await db.schema
        .createIndex('files_tenant_category')
        .on('files')
        .columns(['tenant', 'category'])
        .execute();
      await db.schema
        .createIndex('files_tenant_classification')
        .on('files')
        .columns(['tenant', 'classification_status'])
        .execute();
      await db.schema
        .createIndex('files_tenant_classified_by')
        .on('files')
        .columns(['tenant', 'classified_by'])
        .execute();
    },
  },
  '0007_jobs_claim_order_index': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
    async up(db: Kysely<any>) {
      // A claim reads jobs of one status in (run_at, id) order and stops at its limit: with the
      // id in the index it never sorts the backlog. It replaces the (status, run_at) index.
      await db.schema
        .createIndex('jobs_status_run_at_id')
        .on('jobs')
        .columns(['status', 'run_at', 'id'])
        .execute();
      await db.schema.dropIndex('jobs_status_run_at').execute();
    },
  },
  '0008_files_damaged': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
    async up(db: Kysely<any>) {
      // `fileforge fsck --repair` marks a record whose blob is missing or no longer matches its
      // SHA-256. A flag beside the status, not a sixth status: the five statuses describe
      // processing (and stay as issue 10 promised); damage can strike a file in any of them.
      await db.schema.alterTable('files').addColumn('damaged_at', 'text').execute();
      await db.schema.alterTable('files').addColumn('damage_reason', 'text').execute();
    },
  },
  '0009_event_outbox_claims': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
    async up(db: Kysely<any>) {
      // Several processes deliver one outbox: a dispatcher claims entries (who, until when)
      // before handing them to its listeners, so each goes to one process at a time. A claim
      // checks its entries' streams for earlier undelivered entries: a partial index holds the
      // undelivered ones only (a stream such as `<tenant>/webhook.disabled` keeps its delivered
      // entries for the retention period), the same way on SQLite and PostgreSQL.
      await db.schema.alterTable('event_outbox').addColumn('claimed_by', 'text').execute();
      await db.schema.alterTable('event_outbox').addColumn('claimed_until', 'text').execute();
      await db.schema
        .createIndex('event_outbox_undelivered_stream_seq')
        .on('event_outbox')
        .columns(['stream', 'seq'])
        .where(sql.ref('delivered_at'), 'is', null)
        .execute();
    },
  },
  // The full-text index of files (SQLite FTS5, PostgreSQL tsvector), existing files indexed.
  '0010_files_search': filesSearchMigration,
  '0011_event_outbox_stream_index': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
    async up(db: Kysely<any>) {
      // A file's history reads its stream's latest entries, delivered ones included (the
      // partial index of 0009 holds only undelivered ones).
      await db.schema
        .createIndex('event_outbox_stream_seq')
        .on('event_outbox')
        .columns(['stream', 'seq'])
        .execute();
    },
  },
  // Chinese and Japanese text in the search index as pairs of characters (see search-migration.ts).
  '0012_files_search_cjk_pairs': cjkPairsMigration,
};

/** Core's tables: files (with their sorted path, classification and full-text index), derivatives, jobs, accounts, the event outbox (with its claims). */
export const coreMigrations: MigrationModule = { name: 'core', migrations };
