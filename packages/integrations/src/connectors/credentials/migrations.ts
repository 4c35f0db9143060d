import type { MigrationModule } from '@fileforge/core';
import type { Kysely, Migration } from 'kysely';

/**
 * The connectors' table, the same on SQLite and PostgreSQL (text only; times ISO-8601 UTC).
 * One row per tenant and connector: the credentials sealed with AES-256-GCM (`sealed`), the
 * id of the key that sealed them (`key_id`, for rotation), and the names of the fields that
 * are set (`fields`, JSON), so listing never needs to decrypt. Progress is kept in
 * `fileforge_migration_connectors`.
 */
const migrations: Record<string, Migration> = {
  '0001_connector_credentials': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('connector_credentials')
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('sealed', 'text', (c) => c.notNull())
        .addColumn('fields', 'text', (c) => c.notNull())
        .addColumn('connected_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('connector_credentials_pk', ['tenant', 'slug'])
        .execute();
    },
  },
};

/** The `connectors` migration module (contributed by the connectors extension). */
export const connectorMigrations: MigrationModule = { name: 'connectors', migrations };
