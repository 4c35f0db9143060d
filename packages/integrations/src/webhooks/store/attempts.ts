/**
 * Messages and attempts: the durable delivery queue. A `pending` attempt is due at
 * `next_attempt_at`; a sender claims due attempts with a lease (one guarded UPDATE, so two
 * processes never take one attempt), sends, and finishes the attempt — recording the result
 * and scheduling the retry in one transaction, guarded by its lease, so a retry is scheduled
 * once.
 *
 * @module
 */
import type { Kysely } from 'kysely';
import type { WebhookAttemptStatus } from '../model.js';
import type { AttemptRow, MessageRow, WebhookDatabase } from './rows.js';

/** An attempt claimed for sending, with its message and its endpoint's current state. */
export interface ClaimedAttempt {
  id: string;
  tenant: string;
  endpointId: string;
  messageId: string;
  attempt: number;
  trigger: string;
  eventType: string;
  body: string;
  endpoint: {
    url: string;
    enabled: boolean;
    secret: string;
    previousSecret: string | null;
    previousSecretExpiresAt: string | null;
    failingSince: string | null;
  };
}

/** The outcome written when an attempt is finished. */
export interface AttemptResult {
  status: Exclude<WebhookAttemptStatus, 'pending'>;
  url: string;
  responseStatus: number;
  responseBody: string;
  durationMs: number;
  sentAt: string;
  /** The retry to schedule, if any. */
  next: AttemptRow | null;
}

function claimedFrom(row: Record<string, unknown>): ClaimedAttempt {
  return {
    id: row.id as string,
    tenant: row.tenant as string,
    endpointId: row.endpoint_id as string,
    messageId: row.message_id as string,
    attempt: Number(row.attempt),
    trigger: row.trigger as string,
    eventType: row.event_type as string,
    body: row.body as string,
    endpoint: {
      url: row.endpoint_url as string,
      enabled: Number(row.enabled) === 1,
      secret: row.secret as string,
      previousSecret: row.previous_secret as string | null,
      previousSecretExpiresAt: row.previous_secret_expires_at as string | null,
      failingSince: row.failing_since as string | null,
    },
  };
}

/** The webhook store's message and attempt methods. */
export function createAttemptStore(db: Kysely<WebhookDatabase>) {
  const selectClaimed = (ids: readonly string[], owner: string) =>
    db
      .selectFrom('webhook_attempts as a')
      .innerJoin('webhook_messages as m', 'm.id', 'a.message_id')
      .innerJoin('webhook_endpoints as e', 'e.id', 'a.endpoint_id')
      .select([
        'a.id',
        'a.tenant',
        'a.endpoint_id',
        'a.message_id',
        'a.attempt',
        'a.trigger',
        'm.event_type',
        'm.body',
        'e.url as endpoint_url',
        'e.enabled',
        'e.secret',
        'e.previous_secret',
        'e.previous_secret_expires_at',
        'e.failing_since',
      ])
      .where('a.id', 'in', ids)
      .where('a.lease_owner', '=', owner)
      .execute();

  return {
    /**
     * Records a message (once: a message id seen before is kept as it is) and its first
     * attempts (once per dedupe key), in one transaction. Returns the attempts it added.
     */
    async enqueue(message: MessageRow, attempts: readonly AttemptRow[]): Promise<number> {
      return db.transaction().execute(async (trx) => {
        await trx
          .insertInto('webhook_messages')
          .values(message)
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        if (attempts.length === 0) return 0;
        const result = await trx
          .insertInto('webhook_attempts')
          .values([...attempts])
          .onConflict((oc) => oc.column('dedupe_key').doNothing())
          .executeTakeFirst();
        return Number(result.numInsertedOrUpdatedRows ?? 0n);
      });
    },

    /** Inserts one attempt already leased to `owner` (a test or a resend, sent right away). */
    async insertLeased(attempt: AttemptRow): Promise<void> {
      await db.insertInto('webhook_attempts').values(attempt).execute();
    },

    /** The number the next attempt of a message to an endpoint gets. */
    async nextNumber(endpointId: string, messageId: string): Promise<number> {
      const row = await db
        .selectFrom('webhook_attempts')
        .select((eb) => eb.fn.max('attempt').as('n'))
        .where('endpoint_id', '=', endpointId)
        .where('message_id', '=', messageId)
        .executeTakeFirst();
      return Number(row?.n ?? 0) + 1;
    },

    /**
     * Leases up to `limit` due attempts (pending, due, lease free or expired) to `owner` until
     * `leaseUntil`, oldest due first, and returns them with their messages and endpoints.
     * Reads one page: the queue's size never reaches memory.
     */
    async claimDue(now: string, leaseUntil: string, owner: string, limit: number): Promise<ClaimedAttempt[]> {
      const due = await db
        .selectFrom('webhook_attempts')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
        .orderBy('next_attempt_at')
        .limit(limit)
        .execute();
      if (due.length === 0) return [];
      const ids = due.map((r) => r.id);
      // The guard repeats the due condition: another process that claimed one of these since
      // the select keeps it, and this UPDATE skips it.
      await db
        .updateTable('webhook_attempts')
        .set({ lease_owner: owner, lease_until: leaseUntil })
        .where('id', 'in', ids)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
        .execute();
      return (await selectClaimed(ids, owner)).map((r) => claimedFrom(r as Record<string, unknown>));
    },

    /** One leased attempt with its message and endpoint (after {@link insertLeased}). */
    async getLeased(id: string, owner: string): Promise<ClaimedAttempt | undefined> {
      const [row] = await selectClaimed([id], owner);
      return row ? claimedFrom(row as Record<string, unknown>) : undefined;
    },

    /**
     * Records an attempt's outcome and schedules its retry, in one transaction, only while
     * `owner` still holds the attempt (false otherwise: another sender took it over).
     */
    async finish(id: string, owner: string, result: AttemptResult): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('webhook_attempts')
          .set({
            status: result.status,
            url: result.url,
            response_status: result.responseStatus,
            response_body: result.responseBody,
            duration_ms: result.durationMs,
            sent_at: result.sentAt,
            next_attempt_at: result.next?.next_attempt_at ?? null,
            lease_owner: null,
            lease_until: null,
          })
          .where('id', '=', id)
          .where('status', '=', 'pending')
          .where('lease_owner', '=', owner)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) return false;
        if (result.next) {
          await trx
            .insertInto('webhook_attempts')
            .values(result.next)
            .onConflict((oc) => oc.column('dedupe_key').doNothing())
            .execute();
        }
        return true;
      });
    },

    /** Gives back leases not used (a sender closing before it sent what it claimed). */
    async release(ids: readonly string[], owner: string): Promise<void> {
      if (ids.length === 0) return;
      await db
        .updateTable('webhook_attempts')
        .set({ lease_owner: null, lease_until: null })
        .where('id', 'in', ids)
        .where('lease_owner', '=', owner)
        .where('status', '=', 'pending')
        .execute();
    },

    /** An endpoint's attempts, newest first, `limit` before `cursor` (an attempt id). */
    async history(
      tenant: string,
      endpointId: string,
      query: { status?: WebhookAttemptStatus; cursor?: string | null; limit: number },
    ) {
      let q = db
        .selectFrom('webhook_attempts as a')
        .innerJoin('webhook_messages as m', 'm.id', 'a.message_id')
        .selectAll('a')
        .select('m.event_type')
        .where('a.tenant', '=', tenant)
        .where('a.endpoint_id', '=', endpointId);
      if (query.status) q = q.where('a.status', '=', query.status);
      if (query.cursor) q = q.where('a.id', '<', query.cursor);
      return q.orderBy('a.id', 'desc').limit(query.limit).execute();
    },

    /** One attempt of an endpoint, with its event type. */
    async get(tenant: string, endpointId: string, id: string) {
      return db
        .selectFrom('webhook_attempts as a')
        .innerJoin('webhook_messages as m', 'm.id', 'a.message_id')
        .selectAll('a')
        .select('m.event_type')
        .where('a.tenant', '=', tenant)
        .where('a.endpoint_id', '=', endpointId)
        .where('a.id', '=', id)
        .executeTakeFirst();
    },
  };
}

/** The attempt store. */
export type AttemptStore = ReturnType<typeof createAttemptStore>;
