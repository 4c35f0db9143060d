/**
 * Endpoint (subscription) rows: create, read, list by tenant, patch, delete, and the delivery
 * loop's health bookkeeping (failing since, disabled), which an attempt's outcome applies in
 * its own transaction.
 *
 * @module
 */
import type { QueryTemplates } from '@fileforge/core';
import type { Kysely } from 'kysely';
import type { WebhookDisabledReason } from '../model.js';
import type { HealthChange } from './attempts.js';
import type { EndpointRow, WebhookDatabase } from './rows.js';

/** Fields a patch of an endpoint row may set. */
export type EndpointPatch = Partial<
  Pick<
    EndpointRow,
    | 'name'
    | 'url'
    | 'events'
    | 'enabled'
    | 'disabled_reason'
    | 'failing_since'
    | 'secret'
    | 'previous_secret'
    | 'previous_secret_expires_at'
    | 'secret_rotated_at'
    | 'updated_at'
  >
>;

/** The webhook store's endpoint methods. */
export function createEndpointStore(db: Kysely<WebhookDatabase>) {
  return {
    async insert(row: EndpointRow): Promise<void> {
      await db.insertInto('webhook_endpoints').values(row).execute();
    },

    async get(tenant: string, id: string): Promise<EndpointRow | undefined> {
      return db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('id', '=', id)
        .where('tenant', '=', tenant)
        .executeTakeFirst();
    },

    /** A tenant's endpoints by id (oldest first), `limit` after `cursor`. */
    async list(tenant: string, cursor: string | null, limit: number): Promise<EndpointRow[]> {
      let query = db.selectFrom('webhook_endpoints').selectAll().where('tenant', '=', tenant);
      if (cursor) query = query.where('id', '>', cursor);
      return query.orderBy('id').limit(limit).execute();
    },

    /** Disables an enabled endpoint; false when it was not enabled (already disabled, or gone). */
    disable: (id: string, reason: WebhookDisabledReason, at: string): Promise<boolean> =>
      disableEndpoint(db, id, reason, at),

    /** The tenant's enabled endpoints: what an event is matched against. */
    async enabled(tenant: string): Promise<EndpointRow[]> {
      return db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('tenant', '=', tenant)
        .where('enabled', '=', 1)
        .execute();
    },

    async patch(tenant: string, id: string, patch: EndpointPatch): Promise<boolean> {
      const result = await db
        .updateTable('webhook_endpoints')
        .set(patch)
        .where('id', '=', id)
        .where('tenant', '=', tenant)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async remove(tenant: string, id: string): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('webhook_attempts')
          .where('endpoint_id', '=', id)
          .where('tenant', '=', tenant)
          .execute();
        const result = await trx
          .deleteFrom('webhook_endpoints')
          .where('id', '=', id)
          .where('tenant', '=', tenant)
          .executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      });
    },
  };
}

/** The endpoint store. */
export type EndpointStore = ReturnType<typeof createEndpointStore>;

/**
 * Applies an outcome's health change to its endpoint on `h` (the outcome's transaction);
 * why, when this call disabled an enabled endpoint (so one event is published), else `null`.
 */
export async function endpointHealth(
  h: Kysely<WebhookDatabase>,
  templates: QueryTemplates,
  change: HealthChange,
): Promise<WebhookDisabledReason | null> {
  switch (change.kind) {
    case 'healthy':
      await templates.run(h, 'webhooks:markHealthy', [change.endpointId], (id) =>
        h
          .updateTable('webhook_endpoints')
          .set({ failing_since: null })
          .where('id', '=', id!)
          .where('failing_since', 'is not', null),
      );
      return null;
    case 'failed': {
      // Starts the failing clock unless it runs already, then disables if it ran long enough.
      await templates.run(h, 'webhooks:markFailing', [change.at, change.endpointId], (at, id) =>
        h
          .updateTable('webhook_endpoints')
          .set({ failing_since: at! })
          .where('id', '=', id!)
          .where('failing_since', 'is', null),
      );
      const result = await h
        .updateTable('webhook_endpoints')
        .set({ enabled: 0, disabled_reason: 'failing', updated_at: change.at })
        .where('id', '=', change.endpointId)
        .where('enabled', '=', 1)
        .where('failing_since', '<=', change.disableFrom)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0 ? 'failing' : null;
    }
    case 'disable':
      return (await disableEndpoint(h, change.endpointId, change.reason, change.at)) ? change.reason : null;
  }
}

/** Disables an endpoint if it is enabled; whether it was. */
async function disableEndpoint(
  h: Kysely<WebhookDatabase>,
  id: string,
  reason: WebhookDisabledReason,
  at: string,
): Promise<boolean> {
  const result = await h
    .updateTable('webhook_endpoints')
    .set({ enabled: 0, disabled_reason: reason, updated_at: at })
    .where('id', '=', id)
    .where('enabled', '=', 1)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
