/**
 * Attempt numbers (review: "webhook resend numbering can repeat"): every attempt of a message
 * to an endpoint gets a number of its own, one more than the last one recorded, whatever
 * records it — the retry schedule, a resend, two resends at once, two processes — and the
 * history lists them newest first. A resend takes a number, not a place in the retry
 * schedule. On SQLite and, when it answers, PostgreSQL.
 */
import {
  type Catalog,
  createPostgresCatalog,
  createQueryTemplates,
  createSqliteCatalog,
  runMigrations,
  type SqlCatalogOptions,
} from '@fileforge/core';
import {
  POSTGRES_TEST_URL,
  type PostgresTestSchema,
  postgresTestSchema,
  requireService,
} from '@fileforge/test-fixtures/services';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { webhookMigrations } from '../src/index.js';
import { statements } from '../src/webhooks/store/attempt-statements.js';
import type { AttemptRow, NewAttemptRow, WebhookDatabase } from '../src/webhooks/store/rows.js';
import {
  fakeClock,
  openForge,
  type Receiver,
  removeDir,
  startReceiver,
  type TestForge,
  until,
} from './webhooks-support.js';

const postgres = await requireService('PostgreSQL', POSTGRES_TEST_URL);

const AT = '2026-01-01T00:00:00.000Z';

/** An attempt row of endpoint `ep_1` (`attempt` and the rest as given). */
function attemptRow(id: string, messageId: string, fields: Partial<AttemptRow> = {}): AttemptRow {
  return {
    id,
    tenant: 'default',
    endpoint_id: 'ep_1',
    message_id: messageId,
    attempt: 1,
    trigger: 'scheduled',
    url: 'http://127.0.0.1:9/hooks',
    status: 'failed',
    response_status: 500,
    response_body: '',
    duration_ms: 1,
    created_at: AT,
    sent_at: AT,
    next_attempt_at: null,
    lease_owner: null,
    lease_until: null,
    dedupe_key: null,
    schedule_step: null,
    ...fields,
  };
}

/** The catalog of one engine, migrated with `migrations` (and core's). */
async function openCatalog(
  engine: 'SQLite' | 'PostgreSQL',
  schema: PostgresTestSchema | undefined,
  migrations: SqlCatalogOptions['migrations'],
): Promise<{ catalog: Catalog; db: Kysely<WebhookDatabase> }> {
  const catalog =
    engine === 'SQLite'
      ? createSqliteCatalog({ path: ':memory:', migrations })
      : createPostgresCatalog({ url: schema!.url, max: 3, migrations });
  await catalog.migrate();
  return { catalog, db: catalog.db!() as unknown as Kysely<WebhookDatabase> };
}

/** Endpoint `ep_1` and the messages `ids`, as rows. */
async function seed(db: Kysely<WebhookDatabase>, ids: string[]): Promise<void> {
  await db
    .insertInto('webhook_endpoints')
    .values({
      id: 'ep_1',
      tenant: 'default',
      name: 'r',
      url: 'http://127.0.0.1:9/hooks',
      events: '["*"]',
      secret: 'sealed',
      previous_secret: null,
      previous_secret_expires_at: null,
      secret_rotated_at: null,
      enabled: 1,
      disabled_reason: null,
      failing_since: null,
      created_at: AT,
      updated_at: AT,
    })
    .execute();
  for (const id of ids) {
    await db
      .insertInto('webhook_messages')
      .values({ id, tenant: 'default', event_type: 'invoice.paid', body: '{}', created_at: AT })
      .execute();
  }
}

const ENGINES = [
  { engine: 'SQLite', available: true },
  { engine: 'PostgreSQL', available: postgres },
] as const;

for (const { engine, available } of ENGINES) {
  describe.skipIf(!available)(`webhook attempt numbers on ${engine}`, () => {
    let receiver: Receiver;
    let schema: PostgresTestSchema | undefined;
    const opened: TestForge[] = [];
    /** A forge on this engine's catalog (every call on PostgreSQL: the same schema, as another process would). */
    const open = async (...[options, forgeOptions = {}]: Parameters<typeof openForge>) => {
      if (engine === 'PostgreSQL') schema ??= postgresTestSchema();
      const t = await openForge(
        options,
        schema ? { ...forgeOptions, databaseUrl: schema.url } : forgeOptions,
      );
      opened.push(t);
      return t;
    };

    beforeEach(async () => {
      receiver = await startReceiver();
      receiver.respond = () => ({ status: 500 });
    });
    afterEach(async () => {
      for (const t of opened.splice(0).reverse()) {
        await t.close();
        await removeDir(t.dataDir);
      }
      await schema?.drop();
      schema = undefined;
      await receiver.close();
    });

    it('a resend while a retry is planned takes the next number, the retry after it the one after; the schedule keeps its length', async () => {
      const clock = fakeClock();
      const { hooks } = await open({ retrySchedule: [60_000, 60_000] }, { now: clock.now });
      const svc = hooks.service;
      const { subscription } = await svc.subscribe({ name: 'r', url: receiver.url, events: ['*'] });
      await svc.emit('invoice.paid', {});
      await svc.flush();
      const [planned, first] = (await svc.deliveries(subscription.id)).items;
      expect([planned?.attempt, planned?.status, first?.attempt, first?.status]).toEqual([
        2,
        'pending',
        1,
        'failed',
      ]);

      expect(await svc.resend(subscription.id, first!.id)).toMatchObject({
        attempt: 3,
        trigger: 'manual',
        status: 'failed',
      });
      for (let i = 0; i < 3; i++) {
        clock.advance(60_000);
        await svc.flush();
      }

      const { items } = await svc.deliveries(subscription.id);
      expect(items.map((a) => [a.attempt, a.trigger, a.status])).toEqual([
        [4, 'scheduled', 'failed'],
        [3, 'manual', 'failed'],
        [2, 'scheduled', 'failed'],
        [1, 'scheduled', 'failed'],
      ]);
      expect(receiver.received).toHaveLength(4);
    });

    it('an attempt that fails after a resend delivered its message plans no retry: the receiver gets it once', async () => {
      const { hooks } = await open({ retrySchedule: [1] });
      const svc = hooks.service;
      const { subscription } = await svc.subscribe({ name: 'r', url: receiver.url, events: ['*'] });
      // The first attempt hangs, then fails; the resend sent meanwhile gets through.
      receiver.respond = (_request, index) =>
        index === 0 ? { status: 500, delayMs: 1_500 } : { status: 204 };
      await svc.emit('invoice.paid', {});
      await until(() => receiver.received.length === 1);
      const [first] = (await svc.deliveries(subscription.id)).items;
      expect(await svc.resend(subscription.id, first!.id)).toMatchObject({ status: 'succeeded' });
      await until(async () =>
        (await svc.deliveries(subscription.id)).items.every((a) => a.status !== 'pending'),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      await svc.flush();
      const { items } = await svc.deliveries(subscription.id);
      expect(items.map((a) => [a.attempt, a.trigger, a.status])).toEqual([
        [2, 'manual', 'succeeded'],
        [1, 'scheduled', 'failed'],
      ]);
      expect(receiver.received).toHaveLength(2);
    });

    it('two resends at once get two numbers, increasing in the order the history lists them', async () => {
      const { hooks } = await open({ retrySchedule: [] });
      const svc = hooks.service;
      const { subscription } = await svc.subscribe({ name: 'r', url: receiver.url, events: ['*'] });
      await svc.emit('invoice.paid', {});
      await svc.flush();
      const [first] = (await svc.deliveries(subscription.id)).items;

      const resent = await Promise.all([
        svc.resend(subscription.id, first!.id),
        svc.resend(subscription.id, first!.id),
      ]);
      expect(resent.map((a) => a.attempt).sort()).toEqual([2, 3]);
      const { items } = await svc.deliveries(subscription.id);
      expect(items.map((a) => a.attempt)).toEqual([3, 2, 1]);
      expect(receiver.received).toHaveLength(3);
    });

    it('the upgrade gives attempts recorded with a repeated number numbers of their own, in the order they were recorded, and refuses a repeat from then on', async () => {
      if (engine === 'PostgreSQL') schema = postgresTestSchema();
      const first = {
        name: 'webhooks',
        migrations: {
          '0001_endpoints_messages_attempts':
            webhookMigrations.migrations['0001_endpoints_messages_attempts']!,
        },
      };
      const { catalog, db } = await openCatalog(engine, schema, [first]);
      try {
        await seed(db, ['msg_a', 'msg_b']);
        // As the old code recorded them: a resend while attempt 1 was being sent took 2, then
        // attempt 1's retry took 2 too; a resend took 3, then the retry after it 3 too.
        const old = (id: string, messageId: string, n: number, fields: Partial<AttemptRow> = {}) => {
          // That column comes with the migration under test.
          const { schedule_step: _, ...row } = attemptRow(id, messageId, { attempt: n, ...fields });
          return db.insertInto('webhook_attempts').values(row).execute();
        };
        await old('a01', 'msg_a', 1, { dedupe_key: 'ep_1/msg_a/1' });
        await old('a02', 'msg_a', 2, { trigger: 'manual' });
        await old('a03', 'msg_a', 2, { dedupe_key: 'ep_1/msg_a/2' });
        await old('a04', 'msg_a', 3, { trigger: 'manual' });
        await old('a05', 'msg_a', 3, {
          dedupe_key: 'ep_1/msg_a/3',
          status: 'pending',
          next_attempt_at: '2099-01-01T00:00:00.000Z',
        });
        await old('b01', 'msg_b', 1);
        await old('b02', 'msg_b', 2, { trigger: 'manual', status: 'succeeded' });

        await runMigrations(db, [webhookMigrations]);
        const rows = await db
          .selectFrom('webhook_attempts')
          .select(['id', 'attempt', 'schedule_step'])
          .orderBy('id')
          .execute();
        expect(
          rows.map((r) => [
            r.id,
            Number(r.attempt),
            r.schedule_step === null ? null : Number(r.schedule_step),
          ]),
        ).toEqual([
          ['a01', 1, null],
          ['a02', 2, null],
          ['a03', 3, 2],
          ['a04', 4, null],
          ['a05', 5, 3],
          ['b01', 1, null],
          ['b02', 2, null],
        ]);
        await expect(
          db
            .insertInto('webhook_attempts')
            .values(attemptRow('a06', 'msg_a', { attempt: 5, trigger: 'manual' }))
            .execute(),
        ).rejects.toThrow(/unique|duplicate/i);
      } finally {
        await catalog.close();
      }
    });

    if (engine === 'PostgreSQL') {
      it('a number an uncommitted transaction took is not given again: the later insert waits for its commit and takes the next', async () => {
        schema = postgresTestSchema();
        const { catalog, db } = await openCatalog(engine, schema, [webhookMigrations]);
        try {
          await seed(db, ['msg_a']);
          await db.insertInto('webhook_attempts').values(attemptRow('a01', 'msg_a')).execute();
          const templates = createQueryTemplates();
          const next = (id: string): NewAttemptRow => {
            const { attempt: _, ...row } = attemptRow(id, 'msg_a', { trigger: 'manual' });
            return row;
          };
          let taken!: () => void;
          const tookNumber = new Promise<void>((resolve) => {
            taken = resolve;
          });
          let commit!: () => void;
          const committing = new Promise<void>((resolve) => {
            commit = resolve;
          });
          const earlier = db.transaction().execute(async (trx) => {
            await statements(trx, templates).insertNumbered(next('a02'));
            taken();
            await committing;
          });
          await tookNumber;
          const later = db
            .transaction()
            .execute((trx) => statements(trx, templates).insertNumbered(next('a03')));
          await new Promise((r) => setTimeout(r, 200)); // the later insert now waits on the earlier one
          commit();
          await Promise.all([earlier, later]);
          const rows = await db
            .selectFrom('webhook_attempts')
            .select(['id', 'attempt'])
            .orderBy('id')
            .execute();
          expect(rows.map((r) => [r.id, Number(r.attempt)])).toEqual([
            ['a01', 1],
            ['a02', 2],
            ['a03', 3],
          ]);
        } finally {
          await catalog.close();
        }
      });

      it('two processes resending one attempt at once never give out one number twice', async () => {
        const one = await open({ retrySchedule: [] });
        const two = await open({ retrySchedule: [] });
        const { subscription } = await one.hooks.service.subscribe({
          name: 'r',
          url: receiver.url,
          events: ['*'],
        });
        await one.hooks.service.emit('invoice.paid', {});
        await one.hooks.service.flush();
        const [first] = (await one.hooks.service.deliveries(subscription.id)).items;

        const resent = await Promise.all(
          [one, two, one, two].map((t) => t.hooks.service.resend(subscription.id, first!.id)),
        );
        expect(resent.map((a) => a.attempt).sort()).toEqual([2, 3, 4, 5]);
        const { items } = await two.hooks.service.deliveries(subscription.id);
        expect(items.map((a) => a.attempt).sort()).toEqual([1, 2, 3, 4, 5]);
      });
    }
  });
}
