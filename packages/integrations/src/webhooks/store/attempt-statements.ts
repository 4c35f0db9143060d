/**
 * The delivery queue's SQL on one handle (the catalog's query builder or a transaction's):
 * insert messages and attempts, lease due attempts, read the claimed ones with their
 * messages and endpoints, and record an outcome under its lease. Each statement is built with
 * Kysely once per shape and then run from its compiled text (`templates`).
 *
 * @module
 */
import type { QueryTemplates } from '@fileforge/core';
import type { Kysely } from 'kysely';
import type { AttemptResult, ClaimedAttempt } from './attempts.js';
import type { AttemptRow, MessageRow, WebhookDatabase } from './rows.js';

type Db = Kysely<WebhookDatabase>;

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
export function statements(h: Db, t: QueryTemplates) {
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

/** The statements bound to one handle. */
export type AttemptStatements = ReturnType<typeof statements>;
