/**
 * Read-only queries of the delivery history: an endpoint's attempts page by page, and one
 * attempt. (An attempt's number is given by the INSERT that adds it: see `attempt-statements.ts`.)
 *
 * @module
 */
import type { Kysely } from 'kysely';
import type { WebhookAttemptStatus } from '../model.js';
import type { WebhookDatabase } from './rows.js';

/** The history queries of the attempt store, on the catalog's query builder. */
export function attemptHistoryQueries(db: Kysely<WebhookDatabase>) {
  return {
    /** An endpoint's attempts with their message's type and body, newest first, `limit` before `cursor` (an attempt id). */
    async history(
      tenant: string,
      endpointId: string,
      query: { status?: WebhookAttemptStatus; cursor?: string | null; limit: number },
    ) {
      let q = db
        .selectFrom('webhook_attempts as a')
        .innerJoin('webhook_messages as m', 'm.id', 'a.message_id')
        .selectAll('a')
        .select(['m.event_type', 'm.body'])
        .where('a.tenant', '=', tenant)
        .where('a.endpoint_id', '=', endpointId);
      if (query.status) q = q.where('a.status', '=', query.status);
      if (query.cursor) q = q.where('a.id', '<', query.cursor);
      return q.orderBy('a.id', 'desc').limit(query.limit).execute();
    },

    /** One attempt of an endpoint, with its event type and the body it sends. */
    async get(tenant: string, endpointId: string, id: string) {
      return db
        .selectFrom('webhook_attempts as a')
        .innerJoin('webhook_messages as m', 'm.id', 'a.message_id')
        .selectAll('a')
        .select(['m.event_type', 'm.body'])
        .where('a.tenant', '=', tenant)
        .where('a.endpoint_id', '=', endpointId)
        .where('a.id', '=', id)
        .executeTakeFirst();
    },
  };
}
