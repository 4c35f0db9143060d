/**
 * Subscription CRUD of the webhook service: subscribe, list, get, update, remove and secret
 * rotation. Every change invalidates the tenant's cached enabled endpoints.
 *
 * @module
 */
import { DEFAULT_TENANT } from '@fileforge/core';
import { type HttpClient, validateOutboundUrl } from '../http/index.js';
import type { EndpointCache } from './endpoint-cache.js';
import { checkEventPatterns } from './patterns.js';
import type { SecretBox } from './secret-box.js';
import { checkName, endpointRow, invalid, notFound, pageSize } from './service-checks.js';
import type { WebhookService } from './service-types.js';
import { generateWebhookSecret } from './signing.js';
import type { EndpointStore } from './store/endpoints.js';
import { subscriptionFromRow } from './store/rows.js';

/** What the subscription operations need from the service. */
export interface SubscriptionDeps {
  endpoints: EndpointStore;
  enabledEndpoints: EndpointCache;
  box: SecretBox;
  /** The guard every subscription URL must pass. */
  guard: HttpClient['guard'];
  newId: () => string;
  now: () => number;
  iso: (ms?: number) => string;
  rotationOverlapMs: number;
  /** Readies the outbound client once an enabled subscription exists (deliveries will follow). */
  preload(): Promise<void>;
}

/** The subscription methods of {@link WebhookService}. */
export type SubscriptionOperations = Pick<
  WebhookService,
  'subscribe' | 'list' | 'get' | 'update' | 'remove' | 'rotateSecret'
>;

export function createSubscriptionOperations(d: SubscriptionDeps): SubscriptionOperations {
  const { endpoints, enabledEndpoints, box, newId, iso } = d;
  const row = (tenant: string, id: string) => endpointRow(endpoints, tenant, id);
  const checkUrl = async (url: unknown) => {
    if (typeof url !== 'string' || url.length > 2048)
      invalid('url', 'url must be an http(s) URL of at most 2048 characters');
    return (await validateOutboundUrl(url, d.guard)).href;
  };

  return {
    async subscribe(input) {
      const tenant = input.tenant ?? DEFAULT_TENANT;
      const name = checkName(input.name);
      const events = checkEventPatterns(
        Array.isArray(input.events) ? input.events : invalid('events', 'events must be a list'),
      );
      const url = await checkUrl(input.url);
      const id = newId();
      const secret = generateWebhookSecret();
      const now = iso();
      const enabled = input.enabled ?? true;
      await endpoints.insert({
        id,
        tenant,
        name,
        url,
        events: JSON.stringify(events),
        secret: box.seal(secret, id),
        previous_secret: null,
        previous_secret_expires_at: null,
        secret_rotated_at: null,
        enabled: enabled ? 1 : 0,
        disabled_reason: enabled ? null : 'manual',
        failing_since: null,
        created_at: now,
        updated_at: now,
      });
      await enabledEndpoints.invalidate(tenant);
      if (enabled) await d.preload();
      return { subscription: subscriptionFromRow(await row(tenant, id)), secret };
    },

    async list(query = {}) {
      const limit = pageSize(query.limit);
      const rows = await endpoints.list(query.tenant ?? DEFAULT_TENANT, query.cursor ?? null, limit + 1);
      const items = rows.slice(0, limit).map(subscriptionFromRow);
      return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
    },

    async get(id, options = {}) {
      return subscriptionFromRow(await row(options.tenant ?? DEFAULT_TENANT, id));
    },

    async update(id, patch, options = {}) {
      const tenant = options.tenant ?? DEFAULT_TENANT;
      const current = await row(tenant, id);
      const set: Parameters<typeof endpoints.patch>[2] = { updated_at: iso() };
      if (patch.name !== undefined) set.name = checkName(patch.name);
      if (patch.events !== undefined) set.events = JSON.stringify(checkEventPatterns(patch.events));
      if (patch.url !== undefined) set.url = await checkUrl(patch.url);
      if (patch.enabled !== undefined && patch.enabled !== (Number(current.enabled) === 1)) {
        set.enabled = patch.enabled ? 1 : 0;
        set.disabled_reason = patch.enabled ? null : 'manual';
        set.failing_since = null;
      }
      const patched = await endpoints.patch(tenant, id, set);
      await enabledEndpoints.invalidate(tenant);
      if (!patched) notFound(id);
      if (set.enabled === 1) await d.preload();
      return subscriptionFromRow(await row(tenant, id));
    },

    async remove(id, options = {}) {
      const tenant = options.tenant ?? DEFAULT_TENANT;
      const removed = await endpoints.remove(tenant, id);
      await enabledEndpoints.invalidate(tenant);
      if (!removed) notFound(id);
    },

    async rotateSecret(id, options = {}) {
      const tenant = options.tenant ?? DEFAULT_TENANT;
      const current = await row(tenant, id);
      const secret = generateWebhookSecret();
      const now = d.now();
      await endpoints.patch(tenant, id, {
        secret: box.seal(secret, id),
        previous_secret: current.secret,
        previous_secret_expires_at: iso(now + d.rotationOverlapMs),
        secret_rotated_at: iso(now),
        updated_at: iso(now),
      });
      await enabledEndpoints.invalidate(tenant);
      return { subscription: subscriptionFromRow(await row(tenant, id)), secret };
    },
  };
}
