/**
 * The delivery queue's SQL on one handle (the catalog's query builder or a transaction's):
 * insert messages and attempts (numbering them), lease due attempts, read the claimed ones
 * with their messages and endpoints, and record an outcome under its lease. Each statement is
 * built with Kysely once per shape and then run from its compiled text (`templates`).
 *
 * @module
 */
import { ErrorCode, FileForgeError, type QueryTemplates, runsDirectly } from '@fileforge/core';
import { type Kysely, sql } from 'kysely';
import type { AttemptResult, ClaimedAttempt } from './attempts.js';
import type { AttemptRow, MessageRow, NewAttemptRow, WebhookDatabase } from './rows.js';

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
  'schedule_step',
] as const satisfies readonly (keyof AttemptRow)[];

/** The columns of an attempt the store numbers (all but `attempt`), in the order templates bind them. */
const NEW_ATTEMPT_COLUMNS = ATTEMPT_COLUMNS.filter(
  (c): c is Exclude<(typeof ATTEMPT_COLUMNS)[number], 'attempt'> => c !== 'attempt',
);

/**
 * How often a numbered insert is tried: each try after the first follows another transaction
 * that took the number and committed (engines whose transactions run side by side).
 */
const NUMBERING_TRIES = 16;

/** A row whose every column in `columns` is a template marker (`markers` in column order). */
function rowOf<R>(columns: readonly string[], markers: readonly string[]): R {
  const row: Record<string, unknown> = {};
  columns.forEach((c, i) => {
    row[c] = markers[i];
  });
  return row as R;
}

function claimedFrom(row: Record<string, unknown>): ClaimedAttempt {
  return {
    id: row.id as string,
    tenant: row.tenant as string,
    endpointId: row.endpoint_id as string,
    messageId: row.message_id as string,
    attempt: Number(row.attempt),
    scheduleStep: Number(row.schedule_step ?? row.attempt),
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
/** What a claimed attempt is read with: the attempt, its message and its endpoint. */
const CLAIMED_COLUMNS = [
  'a.id',
  'a.tenant',
  'a.endpoint_id',
  'a.message_id',
  'a.attempt',
  'a.schedule_step',
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
] as const;

/** The queue's statements on one handle (the catalog's query builder or a transaction's). */
export function statements(h: Db, t: QueryTemplates) {
  /**
   * Due attempts (`a`) nobody holds a lease on, soonest first, none for the endpoints `skip`
   * (template markers as values); the caller selects what it needs.
   */
  const due = (now: string, limit: string, skip: readonly string[]) =>
    h
      .selectFrom('webhook_attempts as a')
      .where('a.status', '=', 'pending')
      .where('a.next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('a.lease_until', 'is', null), eb('a.lease_until', '<=', now)]))
      .$if(skip.length > 0, (q) => q.where('a.endpoint_id', 'not in', skip))
      .orderBy('a.next_attempt_at')
      .limit(limit as unknown as number);
  /** Leases attempt `id` to `owner` unless someone else holds a lease on it. */
  const leaseOne = (owner: string, leaseUntil: string, id: string, now: string) =>
    t.run(h, 'webhooks:leaseOne', [owner, leaseUntil, id, now], (...v) =>
      h
        .updateTable('webhook_attempts')
        .set({ lease_owner: v[0]!, lease_until: v[1]! })
        .where('id', '=', v[2]!)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', v[3]!)])),
    );
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
      const values: unknown[] = [];
      for (const row of rows) for (const c of ATTEMPT_COLUMNS) values.push(row[c]);
      const result = await t.run(
        h,
        rows.length === 1 ? 'webhooks:insertAttempts:1' : `webhooks:insertAttempts:${rows.length}`,
        values,
        (...v) =>
          h
            .insertInto('webhook_attempts')
            .values(rows.map((_, i) => rowOf<AttemptRow>(ATTEMPT_COLUMNS, v.slice(i * n, (i + 1) * n))))
            .onConflict((oc) => oc.column('dedupe_key').doNothing()),
      );
      return Number(result.numAffectedRows ?? 0n);
    },

    /**
     * Inserts `row` as the next attempt of its message to its endpoint: its number is one more
     * than the highest recorded, read by the INSERT itself, so nothing recorded between a read
     * and a write can take it too (SQLite has one writer; where transactions run side by side,
     * the unique `(message_id, endpoint_id, attempt)` index makes the later of two inserts
     * taking one number add nothing, once the earlier commits, and it is tried again).
     * Returns false when `row`'s dedupe key was recorded before: nothing added.
     */
    async insertNumbered(row: NewAttemptRow): Promise<boolean> {
      const values = NEW_ATTEMPT_COLUMNS.map((c) => row[c]);
      for (let tries = 1; ; tries++) {
        const result = await t.run(h, 'webhooks:insertNumbered', values, (...v) => {
          const marked = rowOf<NewAttemptRow>(NEW_ATTEMPT_COLUMNS, v);
          return h
            .insertInto('webhook_attempts')
            .values({
              ...marked,
              attempt: (eb) =>
                eb
                  .selectFrom('webhook_attempts')
                  .select(sql<number>`coalesce(max(attempt), 0) + 1`.as('n'))
                  .where('message_id', '=', marked.message_id)
                  .where('endpoint_id', '=', marked.endpoint_id),
            })
            .onConflict((oc) => oc.doNothing());
        });
        if (Number(result.numAffectedRows ?? 0n) > 0) return true;
        if (row.dedupe_key !== null) {
          const seen = await h
            .selectFrom('webhook_attempts')
            .select('id')
            .where('dedupe_key', '=', row.dedupe_key)
            .executeTakeFirst();
          if (seen) return false;
        }
        if (tries === NUMBERING_TRIES) {
          throw new FileForgeError(
            ErrorCode.BUSY,
            `[fileforge:webhooks] Every number tried for an attempt of "${row.message_id}" to "${row.endpoint_id}" was taken meanwhile; try again`,
            { details: { messageId: row.message_id, endpointId: row.endpoint_id } },
          );
        }
      }
    },

    /**
     * Leases up to `limit` due attempts to `owner`, oldest due first, in one
     * `UPDATE … WHERE id IN (SELECT …) RETURNING` (one round trip over a network, PostgreSQL);
     * returns their ids. The lease re-checks that it is free, so an attempt another process
     * claimed since the due ones were read is kept by that process. Attempts for the endpoints
     * `skip` are left (the sender has as many in flight to them as it lets them have).
     * In-process engines use {@link leaseDirect}.
     */
    async lease(
      now: string,
      leaseUntil: string,
      owner: string,
      limit: number,
      skip: readonly string[] = [],
    ): Promise<string[]> {
      const { rows } = await t.run(
        h,
        `webhooks:lease:${skip.length}`,
        [owner, leaseUntil, now, limit, ...skip],
        (owner, leaseUntil, now, limit, ...skip) => {
          return h
            .updateTable('webhook_attempts')
            .set({ lease_owner: owner!, lease_until: leaseUntil! })
            .where('id', 'in', due(now!, limit!, skip).select('a.id'))
            .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now!)]))
            .returning('id');
        },
      );
      return rows.map((r) => r.id);
    },

    /**
     * Where statements run in-process (SQLite, see `runsDirectly`): {@link lease} and
     * {@link selectClaimed} in one read and one guarded one-row UPDATE per attempt. The due
     * attempts are read with their messages and endpoints (one statement for the page instead
     * of one more per attempt), then each is leased, re-checking that its lease is free; only
     * the ones leased are returned. One `UPDATE … WHERE id IN (SELECT …) RETURNING` cost SQLite
     * 10–20× more per leased row (its RETURNING and `IN` list go through temporary tables).
     * Read and updates run in one transaction: were another process sharing the SQLite file to
     * commit in between, the first update would fail with `SQLITE_BUSY` (the claim is retried
     * on the next poll), so what was read is what gets leased.
     */
    async leaseDirect(
      now: string,
      leaseUntil: string,
      owner: string,
      limit: number,
      skip: readonly string[],
    ): Promise<ClaimedAttempt[]> {
      const page = await t.run(
        h,
        `webhooks:dueClaimed:${skip.length}`,
        [now, limit, ...skip],
        (now, limit, ...skip) =>
          due(now!, limit!, skip)
            .innerJoin('webhook_messages as m', 'm.id', 'a.message_id')
            .innerJoin('webhook_endpoints as e', 'e.id', 'a.endpoint_id')
            .select(CLAIMED_COLUMNS),
      );
      const claimed: ClaimedAttempt[] = [];
      for (const row of page.rows) {
        const result = await leaseOne(owner, leaseUntil, row.id as string, now);
        if (Number(result.numAffectedRows ?? 0n) > 0)
          claimed.push(claimedFrom(row as Record<string, unknown>));
      }
      return claimed;
    },

    /**
     * The attempts `ids` leased to `owner` and still pending, with their messages and endpoints.
     * `status` is checked here, not in SQL: with `a.status = ?` beside `a.id IN (…)` SQLite's
     * planner picks `webhook_attempts_due (status=?)` over the primary key for lists of a dozen
     * ids and more, and scans every pending attempt (the whole backlog) on each claim.
     */
    async selectClaimed(ids: readonly string[], owner: string): Promise<ClaimedAttempt[]> {
      if (ids.length === 0) return [];
      // In-process (SQLite), one read per id: an `in (…)` list of a dozen ids cost SQLite
      // 3–4× more per row than reads of one id each (see `lease`).
      const lists = ids.length > 1 && runsDirectly(h) ? ids.map((id) => [id]) : [ids];
      const claimed: ClaimedAttempt[] = [];
      for (const list of lists) {
        const { rows } = await t.run(
          h,
          `webhooks:selectClaimed:${list.length}`,
          [owner, ...list],
          (owner, ...ids) =>
            h
              .selectFrom('webhook_attempts as a')
              .innerJoin('webhook_messages as m', 'm.id', 'a.message_id')
              .innerJoin('webhook_endpoints as e', 'e.id', 'a.endpoint_id')
              .select(CLAIMED_COLUMNS)
              .where('a.id', 'in', ids)
              .where('a.lease_owner', '=', owner!),
        );
        for (const r of rows)
          if (r.status === 'pending') claimed.push(claimedFrom(r as Record<string, unknown>));
      }
      return claimed;
    },

    /** Records the outcome while `owner` holds the attempt; false when it does not. */
    /** Whether an attempt of the message to the endpoint succeeded (read only when a retry is planned). */
    async delivered(endpointId: string, messageId: string): Promise<boolean> {
      const row = await h
        .selectFrom('webhook_attempts')
        .select('id')
        .where('message_id', '=', messageId)
        .where('endpoint_id', '=', endpointId)
        .where('status', '=', 'succeeded')
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

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
