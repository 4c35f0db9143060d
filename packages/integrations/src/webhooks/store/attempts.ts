/**
 * Messages and attempts: the durable delivery queue. A `pending` attempt is due at
 * `next_attempt_at`; a sender claims due attempts with a lease (one guarded UPDATE, so two
 * processes never take one attempt), sends, and finishes the attempt — recording the result,
 * scheduling the retry and keeping the endpoint's health in one transaction, guarded by its
 * lease, so a retry is scheduled once.
 *
 * How this works: every write goes through the service's group commit (`writes`), so the
 * messages, claims and outcomes asked for in one turn of the event loop share one transaction;
 * each call still resolves only once its change is committed. The hot statements are built
 * with Kysely once per shape and then run from their compiled text (`templates`).
 *
 * @module
 */
import type { GroupCommit, QueryTemplates } from '@fileforge/core';
import type { Kysely } from 'kysely';
import type { WebhookAttemptStatus, WebhookDisabledReason } from '../model.js';
import { endpointHealth } from './endpoints.js';
import type { AttemptRow, MessageRow, WebhookDatabase } from './rows.js';

type Db = Kysely<WebhookDatabase>;

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

/**
 * What an outcome does to its endpoint's health, in the same transaction: any success clears
 * the failing clock, a first failure starts it, `410` or failing too long disables.
 */
export type HealthChange = { endpointId: string } & (
  | { kind: 'healthy' }
  | { kind: 'failing'; at: string }
  | { kind: 'disable'; reason: WebhookDisabledReason; at: string }
);

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
  /** The endpoint's health change, if any. @default none */
  health?: HealthChange | null;
}

/** What {@link AttemptStore.finish} did. */
export interface FinishOutcome {
  /** False when the lease was lost meanwhile: nothing was recorded. */
  recorded: boolean;
  /** This call disabled the endpoint (so one `webhook.disabled` is published). */
  disabled: boolean;
}

/** The columns of an attempt row, in the order templates bind them. */
const ATTEMPT_COLUMNS = [
  'id',
  'tenant',
  'endpoint_id',
  'message_id',
  'attempt',
  'trigger',
  'url',
  'status',
  'response_status',
  'response_body',
  'duration_ms',
  'created_at',
  'sent_at',
  'next_attempt_at',
  'lease_owner',
  'lease_until',
  'dedupe_key',
] as const satisfies readonly (keyof AttemptRow)[];

const attemptValues = (row: AttemptRow) => ATTEMPT_COLUMNS.map((c) => row[c]);

/** An attempt row whose every column is a template marker (`markers` in column order). */
function attemptOf(markers: readonly string[]): AttemptRow {
  const row: Record<string, unknown> = {};
  ATTEMPT_COLUMNS.forEach((c, i) => {
    row[c] = markers[i];
  });
  return row as unknown as AttemptRow;
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

/** The queue's statements on one handle (the catalog's query builder or a transaction's). */
function statements(h: Db, t: QueryTemplates) {
  return {
    async insertMessage(m: MessageRow): Promise<void> {
      await t.run(h, 'webhooks:insertMessage', [m.id, m.tenant, m.event_type, m.body, m.created_at], (...v) =>
        h
          .insertInto('webhook_messages')
          .values({ id: v[0]!, tenant: v[1]!, event_type: v[2]!, body: v[3]!, created_at: v[4]! })
          .onConflict((oc) => oc.column('id').doNothing()),
      );
    },

    /** Inserts attempts (a dedupe key seen before adds nothing); returns how many were added. */
    async insertAttempts(rows: readonly AttemptRow[]): Promise<number> {
      const n = ATTEMPT_COLUMNS.length;
      const result = await t.run(
        h,
        `webhooks:insertAttempts:${rows.length}`,
        rows.flatMap(attemptValues),
        (...v) =>
          h
            .insertInto('webhook_attempts')
            .values(rows.map((_, i) => attemptOf(v.slice(i * n, (i + 1) * n))))
            .onConflict((oc) => oc.column('dedupe_key').doNothing()),
      );
      return Number(result.numAffectedRows ?? 0n);
    },

    /**
     * Leases up to `limit` due attempts to `owner`: one UPDATE of the oldest due, whose
     * re-check of the lease keeps an attempt another process claimed since the inner select
     * (on engines that run writers concurrently). The re-check names no `status`, so SQLite
     * finds the rows by id; a row finished meanwhile is skipped by {@link selectClaimed}.
     */
    async lease(now: string, leaseUntil: string, owner: string, limit: number): Promise<string[]> {
      const { rows } = await t.run(
        h,
        'webhooks:lease',
        [owner, leaseUntil, now, limit],
        (owner, leaseUntil, now, limit) => {
          const due = h
            .selectFrom('webhook_attempts')
            .select('id')
            .where('status', '=', 'pending')
            .where('next_attempt_at', '<=', now!)
            .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now!)]))
            .orderBy('next_attempt_at')
            .limit(limit as unknown as number);
          return h
            .updateTable('webhook_attempts')
            .set({ lease_owner: owner!, lease_until: leaseUntil! })
            .where('id', 'in', due)
            .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now!)]))
            .returning('id');
        },
      );
      return rows.map((r) => r.id);
    },

    /**
     * The attempts `ids` leased to `owner` and still pending, with their messages and endpoints.
     * `status` is checked here, not in SQL: with `a.status = ?` beside `a.id IN (…)` SQLite's
     * planner picks `webhook_attempts_due (status=?)` over the primary key for lists of a dozen
     * ids and more, and scans every pending attempt (the whole backlog) on each claim.
     */
    async selectClaimed(ids: readonly string[], owner: string): Promise<ClaimedAttempt[]> {
      if (ids.length === 0) return [];
      const { rows } = await t.run(
        h,
        `webhooks:selectClaimed:${ids.length}`,
        [owner, ...ids],
        (owner, ...ids) =>
          h
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
              'a.status',
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
            .where('a.lease_owner', '=', owner!),
      );
      const claimed: ClaimedAttempt[] = [];
      for (const r of rows)
        if (r.status === 'pending') claimed.push(claimedFrom(r as Record<string, unknown>));
      return claimed;
    },

    /** Records the outcome while `owner` holds the attempt; false when it does not. */
    async record(id: string, owner: string, r: AttemptResult): Promise<boolean> {
      const values = [
        r.status,
        r.url,
        r.responseStatus,
        r.responseBody,
        r.durationMs,
        r.sentAt,
        r.next?.next_attempt_at ?? null,
        id,
        owner,
      ];
      const result = await t.run(h, 'webhooks:record', values, (...v) =>
        h
          .updateTable('webhook_attempts')
          .set({
            status: v[0]!,
            url: v[1]!,
            response_status: v[2] as unknown as number,
            response_body: v[3]!,
            duration_ms: v[4] as unknown as number,
            sent_at: v[5]!,
            next_attempt_at: v[6]!,
            lease_owner: null,
            lease_until: null,
          })
          .where('id', '=', v[7]!)
          .where('status', '=', 'pending')
          .where('lease_owner', '=', v[8]!),
      );
      return Number(result.numAffectedRows ?? 0n) > 0;
    },
  };
}

/**
 * The webhook store's message and attempt methods; writes share `writes`' commits, the hot
 * statements come from `templates`.
 */
export function createAttemptStore(db: Db, writes: GroupCommit<Db>, templates: QueryTemplates) {
  const bound = new WeakMap<Db, ReturnType<typeof statements>>();
  const on = (h: Db) => {
    let s = bound.get(h);
    if (!s) {
      s = statements(h, templates);
      bound.set(h, s);
    }
    return s;
  };

  return {
    /**
     * Records a message (once: a message id seen before is kept as it is) and its first
     * attempts (once per dedupe key), in one transaction. Returns how many attempts it added
     * and, with their message and endpoint, those of them recorded leased to `leasedTo` (a
     * sender that takes them over without claiming them).
     */
    enqueue(
      message: MessageRow,
      attempts: readonly AttemptRow[],
      leasedTo: string | null = null,
    ): Promise<{ added: number; leased: ClaimedAttempt[] }> {
      return writes.write(async (h) => {
        await on(h).insertMessage(message);
        if (attempts.length === 0) return { added: 0, leased: [] };
        const added = await on(h).insertAttempts(attempts);
        const ids =
          leasedTo === null ? [] : attempts.filter((a) => a.lease_owner === leasedTo).map((a) => a.id);
        return { added, leased: await on(h).selectClaimed(ids, leasedTo ?? '') };
      }, attempts.length === 0);
    },

    /** Inserts one attempt already leased to `owner` (a test or a resend, sent right away). */
    async insertLeased(attempt: AttemptRow): Promise<void> {
      await writes.write((h) => on(h).insertAttempts([attempt]), true);
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
    claimDue(now: string, leaseUntil: string, owner: string, limit: number): Promise<ClaimedAttempt[]> {
      return writes.write(async (h) => {
        const ids = await on(h).lease(now, leaseUntil, owner, limit);
        return on(h).selectClaimed(ids, owner);
      });
    },

    /** One leased attempt with its message and endpoint (after {@link insertLeased}). */
    async getLeased(id: string, owner: string): Promise<ClaimedAttempt | undefined> {
      const [claimed] = await on(db).selectClaimed([id], owner);
      return claimed;
    },

    /**
     * Records an attempt's outcome, schedules its retry and applies its endpoint's health
     * change, in one transaction, only while `owner` still holds the attempt (`recorded`
     * false otherwise: another sender took it over).
     */
    finish(id: string, owner: string, result: AttemptResult): Promise<FinishOutcome> {
      const health = result.health ?? null;
      const single = result.next === null && health === null;
      return writes.write(async (h) => {
        if (!(await on(h).record(id, owner, result))) return { recorded: false, disabled: false };
        if (result.next) await on(h).insertAttempts([result.next]);
        const disabled = health ? await endpointHealth(h, templates, health) : false;
        return { recorded: true, disabled };
      }, single);
    },

    /** Gives back leases not used (a sender closing before it sent what it claimed). */
    async release(ids: readonly string[], owner: string): Promise<void> {
      if (ids.length === 0) return;
      await writes.write(
        (h) =>
          h
            .updateTable('webhook_attempts')
            .set({ lease_owner: null, lease_until: null })
            .where('id', 'in', ids)
            .where('lease_owner', '=', owner)
            .where('status', '=', 'pending')
            .execute(),
        true,
      );
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
