/**
 * Messages and attempts: the durable delivery queue. A `pending` attempt is due at
 * `next_attempt_at`; a sender claims due attempts with a lease (one guarded UPDATE, so two
 * processes never take one attempt), sends, and finishes the attempt — recording the result,
 * scheduling the retry and keeping the endpoint's health in one transaction, guarded by its
 * lease, so a retry is scheduled once. Every attempt of a message to an endpoint but its first
 * (numbered 1 when the message is recorded) is numbered by the INSERT that adds it, one more
 * than the highest recorded (`insertNumbered`): a retry, a resend and a test alike, so two
 * attempts never share a number, and a later one never has a lower number.
 *
 * How this works: every write goes through the service's group commit (`writes`), so the
 * messages, claims and outcomes asked for in one turn of the event loop share one transaction;
 * each call still resolves only once its change is committed. The hot statements are built
 * with Kysely once per shape and then run from their compiled text (`templates`): they live in
 * `attempt-statements.ts`; the history's read queries in `attempt-history.ts`.
 *
 * @module
 */
import { type GroupCommit, type QueryTemplates, runsDirectly } from '@fileforge/core';
import type { Kysely } from 'kysely';
import type { WebhookAttemptStatus, WebhookDisabledReason } from '../model.js';
import { attemptHistoryQueries } from './attempt-history.js';
import { type AttemptStatements, statements } from './attempt-statements.js';
import { endpointHealth } from './endpoints.js';
import type { AttemptRow, MessageRow, NewAttemptRow, WebhookDatabase } from './rows.js';

type Db = Kysely<WebhookDatabase>;

/** An attempt claimed for sending, with its message and its endpoint's current state. */
export interface ClaimedAttempt {
  id: string;
  tenant: string;
  endpointId: string;
  messageId: string;
  attempt: number;
  /** Its place in the retry schedule (see `AttemptRow.schedule_step`); only read for scheduled ones. */
  scheduleStep: number;
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
 * What an outcome does to its endpoint's health, decided in the outcome's transaction on the
 * endpoint's row as it is then (never on what was read when the attempt was claimed: other
 * attempts of the endpoint finish meanwhile): any success clears the failing clock; a failure
 * starts it unless it runs, and disables the endpoint when it started at or before
 * `disableFrom`; `410` disables at once.
 */
export type HealthChange = { endpointId: string } & (
  | { kind: 'healthy' }
  | { kind: 'failed'; at: string; disableFrom: string }
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
  /** The retry to schedule, if any; the store numbers it. */
  next: NewAttemptRow | null;
  /** The endpoint's health change, if any. @default none */
  health?: HealthChange | null;
}

/** What {@link AttemptStore.finish} did. */
export interface FinishOutcome {
  /** False when the lease was lost meanwhile: nothing was recorded. */
  recorded: boolean;
  /** Why this call disabled the endpoint (so one `webhook.disabled` is published), or `null`. */
  disabled: WebhookDisabledReason | null;
}
/**
 * The webhook store's message and attempt methods; writes share `writes`' commits, the hot
 * statements come from `templates`.
 */
export function createAttemptStore(db: Db, writes: GroupCommit<Db>, templates: QueryTemplates) {
  const bound = new WeakMap<Db, AttemptStatements>();
  const on = (h: Db) => {
    let s = bound.get(h);
    if (!s) {
      s = statements(h, templates);
      bound.set(h, s);
    }
    return s;
  };
  return {
    ...attemptHistoryQueries(db),

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

    /**
     * Inserts one attempt already leased to `owner` (a test or a resend, sent right away),
     * numbered after the last one recorded for its message and endpoint.
     */
    async insertLeased(attempt: NewAttemptRow): Promise<void> {
      // One statement (tried again only after another commit took its number): no transaction needed.
      await writes.write((h) => on(h).insertNumbered(attempt), true);
    },
    /**
     * Leases up to `limit` due attempts (pending, due, lease free or expired) to `owner` until
     * `leaseUntil`, oldest due first, none for the endpoints `skip`, and returns them with their
     * messages and endpoints. Reads one page: the queue's size never reaches memory.
     */
    claimDue(
      now: string,
      leaseUntil: string,
      owner: string,
      limit: number,
      skip: readonly string[] = [],
    ): Promise<ClaimedAttempt[]> {
      return writes.write(async (h) => {
        if (runsDirectly(h)) return on(h).leaseDirect(now, leaseUntil, owner, limit, skip);
        const ids = await on(h).lease(now, leaseUntil, owner, limit, skip);
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
        if (!(await on(h).record(id, owner, result))) return { recorded: false, disabled: null };
        const disabled = health ? await endpointHealth(h, templates, health) : null;
        // A disabled endpoint gets no retry: its messages wait for it to be enabled again. Nor
        // does a message another attempt delivered meanwhile (a resend while this one was sent).
        const next = result.next;
        if (next && disabled === null && !(await on(h).delivered(next.endpoint_id, next.message_id)))
          await on(h).insertNumbered(next);
        return { recorded: true, disabled };
      }, single);
    },

    /**
     * Drops the retries still planned for a message to an endpoint (a manual resend got
     * through: the message is delivered). One being sent right now (leased) is left to finish.
     */
    async dropScheduled(endpointId: string, messageId: string, now: string): Promise<void> {
      await writes.write(
        (h) =>
          h
            .deleteFrom('webhook_attempts')
            .where('endpoint_id', '=', endpointId)
            .where('message_id', '=', messageId)
            .where('trigger', '=', 'scheduled')
            .where('status', '=', 'pending')
            .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
            .execute(),
        true,
      );
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
  };
}

/** The attempt store. */
export type AttemptStore = ReturnType<typeof createAttemptStore>;
