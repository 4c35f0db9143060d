/**
 * The emit path of the webhook service: `emit` and `receive` record one message for every
 * enabled subscription of the tenant whose patterns match its type, with a first attempt due
 * now, and hand as many as the delivery loop has room for straight to it.
 *
 * @module
 */
import { DEFAULT_TENANT } from '@fileforge/core';
import type { DeliveryLoop } from './delivery-loop.js';
import type { EndpointCache } from './endpoint-cache.js';
import { messageIdForEvent, randomMessageId } from './ids.js';
import { eventMessageBody, messageBody } from './message.js';
import { checkEventPatterns } from './patterns.js';
import { invalid } from './service-checks.js';
import type { WebhookService } from './service-types.js';
import type { AttemptStore, ClaimedAttempt } from './store/attempts.js';
import type { NewAttemptRow } from './store/rows.js';

/** What the emit path needs from the service. */
export interface RecordingDeps {
  attempts: AttemptStore;
  loop: DeliveryLoop;
  enabledEndpoints: EndpointCache;
  newId: () => string;
  iso: (ms?: number) => string;
}

/** The emit methods of {@link WebhookService}. */
export type RecordingOperations = Pick<WebhookService, 'emit' | 'receive'>;

/** A new `pending` attempt row (id from `newId`), due at `now`, not leased, not yet numbered. */
export function pendingAttempt(
  newId: () => string,
  tenant: string,
  endpointId: string,
  url: string,
  messageId: string,
  trigger: string,
  now: string,
): NewAttemptRow {
  return {
    id: newId(),
    tenant,
    endpoint_id: endpointId,
    message_id: messageId,
    trigger,
    url,
    status: 'pending',
    response_status: null,
    response_body: null,
    duration_ms: null,
    created_at: now,
    sent_at: null,
    next_attempt_at: now,
    lease_owner: null,
    lease_until: null,
    dedupe_key: null,
    schedule_step: null,
  };
}

export function createRecordingOperations(d: RecordingDeps): RecordingOperations {
  const { attempts, loop, newId, iso } = d;
  const matching = (tenant: string, type: string) => d.enabledEndpoints.matching(tenant, type);

  /** Records a message for the given endpoints (first attempts due now) and wakes the loop. */
  async function enqueue(
    tenant: string,
    messageId: string,
    type: string,
    body: string,
    targets: { id: string; url: string }[],
  ) {
    if (targets.length === 0) return;
    const now = iso();
    // As many attempts as the loop has room for are recorded leased to it and handed over
    // once committed (no claim needed); the rest wait in the catalog for its next claim.
    const lease = loop.reserve(targets.length);
    let leased: ClaimedAttempt[] = [];
    try {
      const result = await attempts.enqueue(
        { id: messageId, tenant, event_type: type, body, created_at: now },
        targets.map((e, i) => {
          // The first attempt of a message to an endpoint: number 1, the schedule's first step.
          const row = {
            ...pendingAttempt(newId, tenant, e.id, e.url, messageId, 'scheduled', now),
            attempt: 1,
            schedule_step: 1,
            dedupe_key: `${e.id}/${messageId}/1`,
          };
          if (i < lease.count) {
            row.lease_owner = lease.owner;
            row.lease_until = lease.leaseUntil;
          }
          return row;
        }),
        lease.count > 0 ? lease.owner : null,
      );
      leased = result.leased;
      if (result.added > leased.length) loop.wake();
    } finally {
      lease.adopt(leased);
    }
  }

  /**
   * Records a message for the tenant's endpoints matching `type`; resolves with how many. The
   * cached list may still name an endpoint another instance removed meanwhile: recording then
   * fails (its foreign key), and is tried once more with the list read again from the catalog,
   * so such a removal costs one failed insert, never a failed emit.
   */
  async function record(tenant: string, messageId: string, type: string, body: string): Promise<number> {
    const targets = await matching(tenant, type);
    try {
      await enqueue(tenant, messageId, type, body, targets);
      return targets.length;
    } catch (error) {
      if (targets.length === 0) throw error;
      await d.enabledEndpoints.invalidate(tenant);
      const fresh = await matching(tenant, type);
      await enqueue(tenant, messageId, type, body, fresh);
      return fresh.length;
    }
  }

  return {
    async emit(type, data, options = {}) {
      const tenant = options.tenant ?? DEFAULT_TENANT;
      checkEventPatterns([type]);
      if (type.endsWith('*')) invalid('type', 'An event type has no wildcard');
      const body = messageBody(type, options.timestamp ?? iso(), data);
      const messageId = options.eventId ? messageIdForEvent(tenant, options.eventId) : randomMessageId(newId);
      return { messageId, subscriptions: await record(tenant, messageId, type, body) };
    },

    async receive(type, payload) {
      // Most events match no subscription: the body is only built when one does.
      if ((await matching(payload.tenant, type)).length === 0) return;
      const body = eventMessageBody(type, payload as unknown as Record<string, unknown>);
      await record(payload.tenant, messageIdForEvent(payload.tenant, payload.eventId), type, body);
    },
  };
}
