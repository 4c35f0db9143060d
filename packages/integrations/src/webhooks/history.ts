/**
 * Delivery history of the webhook service and its direct sends: `deliveries` pages a
 * subscription's attempts, `resend` and `test` insert an attempt leased to the call and send
 * it now (outside the loop's schedule), resolving with its record. The store numbers the
 * attempt as it inserts it (after every attempt of the message to the endpoint recorded
 * before, a planned retry included), so two resends at once never share a number.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_TENANT, ErrorCode, FileForgeError } from '@fileforge/core';
import { type DeliveryContext, deliverAttempt } from './deliver.js';
import { randomMessageId } from './ids.js';
import { messageBody } from './message.js';
import type { WebhookAttempt } from './model.js';
import { pendingAttempt } from './recording.js';
import { endpointRow, pageSize } from './service-checks.js';
import type { WebhookService } from './service-types.js';
import type { AttemptStore } from './store/attempts.js';
import type { EndpointStore } from './store/endpoints.js';
import { attemptFromRow } from './store/rows.js';

/** What the history operations need from the service. */
export interface HistoryDeps {
  attempts: AttemptStore;
  endpoints: EndpointStore;
  /** Sends the direct attempts, as the delivery loop would. */
  ctx: DeliveryContext;
  newId: () => string;
  now: () => number;
  iso: (ms?: number) => string;
  leaseMs: number;
}

/** The history methods of {@link WebhookService}. */
export type HistoryOperations = Pick<WebhookService, 'test' | 'deliveries' | 'resend'>;

export function createHistoryOperations(d: HistoryDeps): HistoryOperations {
  const { attempts, newId, iso } = d;
  const row = (tenant: string, id: string) => endpointRow(d.endpoints, tenant, id);

  /** Inserts an attempt leased to this call, sends it now and returns its record. */
  async function sendNow(
    tenant: string,
    endpointId: string,
    url: string,
    messageId: string,
    trigger: 'manual' | 'test',
  ): Promise<WebhookAttempt> {
    const owner = `webhooks:direct:${randomUUID()}`;
    const pending = pendingAttempt(newId, tenant, endpointId, url, messageId, trigger, iso());
    await attempts.insertLeased({ ...pending, lease_owner: owner, lease_until: iso(d.now() + d.leaseMs) });
    const claimed = await attempts.getLeased(pending.id, owner);
    if (claimed) await deliverAttempt(d.ctx, claimed, owner);
    const stored = await attempts.get(tenant, endpointId, pending.id);
    // Delivered by hand: the retries still planned would only send it again.
    if (trigger === 'manual' && stored?.status === 'succeeded')
      await attempts.dropScheduled(endpointId, messageId, iso());
    return attemptFromRow(stored!);
  }

  return {
    async test(id, options = {}) {
      const tenant = options.tenant ?? DEFAULT_TENANT;
      const endpoint = await row(tenant, id);
      const messageId = randomMessageId(newId);
      const body = messageBody('webhook.test', iso(), { subscriptionId: id, name: endpoint.name });
      await attempts.enqueue(
        { id: messageId, tenant, event_type: 'webhook.test', body, created_at: iso() },
        [],
      );
      return sendNow(tenant, id, endpoint.url, messageId, 'test');
    },

    async deliveries(id, query = {}) {
      const tenant = query.tenant ?? DEFAULT_TENANT;
      await row(tenant, id);
      const limit = pageSize(query.limit);
      const rows = await attempts.history(tenant, id, {
        ...(query.status ? { status: query.status } : {}),
        cursor: query.cursor ?? null,
        limit: limit + 1,
      });
      const items = rows.slice(0, limit).map(attemptFromRow);
      return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
    },

    async resend(id, attemptId, options = {}) {
      const tenant = options.tenant ?? DEFAULT_TENANT;
      const endpoint = await row(tenant, id);
      const original = await attempts.get(tenant, id, attemptId);
      if (!original) {
        throw new FileForgeError(
          ErrorCode.NOT_FOUND,
          `[fileforge:webhooks] No attempt "${attemptId}" of "${id}"`,
          {
            details: { id, attemptId },
          },
        );
      }
      return sendNow(tenant, id, endpoint.url, original.message_id, 'manual');
    },
  };
}
