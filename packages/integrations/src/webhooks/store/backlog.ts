/**
 * The delivery backlog, read from the outbox: how many messages and attempts wait, since when,
 * how far the senders lag behind the schedule, and how many endpoints fail or are disabled.
 * Two aggregate reads (the pending attempts through the `(status, next_attempt_at)` index, and
 * the endpoints), whatever the backlog's size: nothing is loaded row by row.
 *
 * @module
 */
import type { Kysely } from 'kysely';
import type { WebhookBacklog } from '../model.js';
import type { WebhookDatabase } from './rows.js';

/**
 * The backlog at `now` (epoch ms, the service's clock), over every tenant or one.
 *
 * @example
 * ```ts
 * const { pendingMessages, oldestPendingAgeMs } = await readBacklog(db, Date.now());
 * ```
 */
export async function readBacklog(
  db: Kysely<WebhookDatabase>,
  now: number,
  tenant?: string,
): Promise<WebhookBacklog> {
  const at = new Date(now).toISOString();
  let pending = db
    .selectFrom('webhook_attempts as a')
    .innerJoin('webhook_messages as m', 'm.id', 'a.message_id')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('attempts'),
      eb.fn.count<number | string>('a.message_id').distinct().as('messages'),
      eb.fn.count<number | string>(eb.case().when('a.next_attempt_at', '<=', at).then(1).end()).as('due'),
      eb.fn.min<string | null>('m.created_at').as('oldest_message'),
      eb.fn.min<string | null>('a.next_attempt_at').as('oldest_due'),
    ])
    .where('a.status', '=', 'pending');
  let endpoints = db.selectFrom('webhook_endpoints').select((eb) => [
    eb.fn.count<number | string>(eb.case().when('enabled', '=', 0).then(1).end()).as('disabled'),
    eb.fn
      .count<number | string>(
        eb
          .case()
          .when(eb.and([eb('enabled', '=', 1), eb('failing_since', 'is not', null)]))
          .then(1)
          .end(),
      )
      .as('failing'),
  ]);
  if (tenant !== undefined) {
    pending = pending.where('a.tenant', '=', tenant);
    endpoints = endpoints.where('tenant', '=', tenant);
  }
  const [p, e] = await Promise.all([pending.executeTakeFirst(), endpoints.executeTakeFirst()]);
  const oldest = p?.oldest_message ?? null;
  const oldestDue = p?.oldest_due ?? null;
  const lag = oldestDue === null ? 0 : now - Date.parse(oldestDue);
  return {
    pendingMessages: Number(p?.messages ?? 0),
    pendingAttempts: Number(p?.attempts ?? 0),
    dueAttempts: Number(p?.due ?? 0),
    oldestPendingAt: oldest,
    oldestPendingAgeMs: oldest === null ? null : Math.max(0, now - Date.parse(oldest)),
    deliveryLagMs: Math.max(lag, 0),
    failingEndpoints: Number(e?.failing ?? 0),
    disabledEndpoints: Number(e?.disabled ?? 0),
  };
}
