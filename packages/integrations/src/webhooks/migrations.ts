import type { MigrationModule } from '@fileforge/core';
import type { Kysely, Migration } from 'kysely';

/**
 * The webhook service's tables, the same on SQLite and PostgreSQL (text, integer; JSON and
 * times as text, times in ISO-8601 UTC so they compare as text). The catalog is the delivery
 * queue: a `pending` attempt is due at `next_attempt_at` and is claimed with a lease
 * (`lease_owner`, `lease_until`). Progress is kept in `fileforge_migration_webhooks`.
 */
const migrations: Record<string, Migration> = {
  '0001_endpoints_messages_attempts': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('webhook_endpoints')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('previous_secret', 'text')
        .addColumn('previous_secret_expires_at', 'text')
        .addColumn('secret_rotated_at', 'text')
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('disabled_reason', 'text')
        .addColumn('failing_since', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('webhook_endpoints_tenant')
        .on('webhook_endpoints')
        .columns(['tenant', 'id'])
        .execute();

      await db.schema
        .createTable('webhook_messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('webhook_attempts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('endpoint_id', 'text', (c) =>
          c.notNull().references('webhook_endpoints.id').onDelete('cascade'),
        )
        .addColumn('message_id', 'text', (c) => c.notNull().references('webhook_messages.id'))
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('response_status', 'integer')
        .addColumn('response_body', 'text')
        .addColumn('duration_ms', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .addColumn('next_attempt_at', 'text')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'text')
        // Scheduled attempts only: `<endpoint>/<message>/<n>`, so a redelivered event or a
        // retry recorded twice adds no second attempt (NULLs never collide).
        .addColumn('dedupe_key', 'text', (c) => c.unique())
        .execute();
      await db.schema
        .createIndex('webhook_attempts_due')
        .on('webhook_attempts')
        .columns(['status', 'next_attempt_at'])
        .execute();
      await db.schema
        .createIndex('webhook_attempts_endpoint')
        .on('webhook_attempts')
        .columns(['endpoint_id', 'id'])
        .execute();
      await db.schema
        .createIndex('webhook_attempts_message')
        .on('webhook_attempts')
        .column('message_id')
        .execute();
    },
  },

  // Attempt numbers repeated: a resend numbered itself from a read made before its insert, and
  // a retry numbered itself after the attempt it follows, whatever was recorded in between.
  // Now the store numbers every attempt in its INSERT, and this index refuses a number twice.
  '0002_attempt_numbers': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema-less Kysely by design
    async up(db: Kysely<any>) {
      await db.schema.alterTable('webhook_attempts').addColumn('schedule_step', 'integer').execute();
      await renumberRepeatedAttempts(db);
      // The unique index leads with the message: it serves what the old index did.
      await db.schema.dropIndex('webhook_attempts_message').execute();
      await db.schema
        .createIndex('webhook_attempts_number')
        .on('webhook_attempts')
        .columns(['message_id', 'endpoint_id', 'attempt'])
        .unique()
        .execute();
    },
  },
};

/**
 * Gives the attempts of a message to an endpoint that share a number numbers of their own,
 * in the order they were recorded (their ids): each keeps its number when it is above the one
 * before it, else takes the number after that one's. A scheduled attempt renumbered keeps its
 * old number as its place in the retry schedule (until now the two were the same). Only the
 * pairs with a repeated number are read.
 */
// biome-ignore lint/suspicious/noExplicitAny: as the migrations
async function renumberRepeatedAttempts(db: Kysely<any>): Promise<void> {
  const repeated = await db
    .selectFrom('webhook_attempts')
    .select(['message_id', 'endpoint_id'])
    .groupBy(['message_id', 'endpoint_id', 'attempt'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  const pairs = new Map<string, { message_id: string; endpoint_id: string }>();
  for (const r of repeated) pairs.set(`${r.endpoint_id}/${r.message_id}`, r);
  for (const { message_id, endpoint_id } of pairs.values()) {
    const rows = await db
      .selectFrom('webhook_attempts')
      .select(['id', 'attempt', 'trigger'])
      .where('message_id', '=', message_id)
      .where('endpoint_id', '=', endpoint_id)
      .orderBy('id')
      .execute();
    let last = 0;
    for (const row of rows) {
      const was = Number(row.attempt);
      const n = Math.max(last + 1, was);
      last = n;
      if (n === was) continue;
      await db
        .updateTable('webhook_attempts')
        .set({ attempt: n, ...(row.trigger === 'scheduled' ? { schedule_step: was } : {}) })
        .where('id', '=', row.id)
        .execute();
    }
  }
}

/** The webhook service's migration module (`webhooks`). */
export const webhookMigrations: MigrationModule = { name: 'webhooks', migrations };
