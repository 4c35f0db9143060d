/**
 * The webhook service: subscriptions (endpoints) and their secrets, messages, the durable
 * delivery loop and the delivery history. Everything is scoped by tenant (default
 * `default`); another tenant's subscription answers `NOT_FOUND`, like a missing one.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  createGroupCommit,
  createQueryTemplates,
  DEFAULT_TENANT,
  ErrorCode,
  FileForgeError,
  type ForgeLogger,
  type WebhookDisabledEvent,
} from '@fileforge/core';
import type { Kysely } from 'kysely';
import { createHttpClient, upstreamStatusError, validateOutboundUrl } from '../http/index.js';
import { type DeliveryContext, deliverAttempt } from './deliver.js';
import { type DeliveryLoop, startDeliveryLoop } from './delivery-loop.js';
import { createEndpointCache } from './endpoint-cache.js';
import { createIdSource, messageIdForEvent, randomMessageId } from './ids.js';
import { eventMessageBody, messageBody } from './message.js';
import type { WebhookAttempt, WebhookAttemptStatus, WebhookPage, WebhookSubscription } from './model.js';
import { resolveWebhookOptions, type WebhookServiceOptions } from './options.js';
import { checkEventPatterns } from './patterns.js';
import { createSecretBox } from './secret-box.js';
import { generateWebhookSecret, signedHeaders } from './signing.js';
import { type ClaimedAttempt, createAttemptStore } from './store/attempts.js';
import { createEndpointStore } from './store/endpoints.js';
import { type AttemptRow, attemptFromRow, subscriptionFromRow, type WebhookDatabase } from './store/rows.js';

/** Options every call takes: the tenant it acts in. */
export interface WebhookTenantOption {
  /** @default 'default' */
  tenant?: string;
}

/** What {@link WebhookService.subscribe} takes. */
export interface WebhookSubscribeInput extends WebhookTenantOption {
  /** A label for people (1-200 characters). */
  name: string;
  /** The receiver: http(s), reachable under the SSRF guard. */
  url: string;
  /** Event types and patterns: `file.processed`, `file.*`, `*`. */
  events: readonly string[];
  /** @default true */
  enabled?: boolean;
}

/** What {@link WebhookService.update} may change (PATCH: absent fields stay). */
export interface WebhookPatch {
  name?: string;
  url?: string;
  events?: readonly string[];
  /** Re-enabling clears the disabled reason and the failing clock. */
  enabled?: boolean;
}

/** A subscription with its secret: only at creation and rotation. */
export interface WebhookWithSecret {
  subscription: WebhookSubscription;
  /** `whsec_…`: shown this once; FileForge keeps it encrypted. */
  secret: string;
}

/** Options of {@link WebhookService.emit}. */
export interface WebhookEmitOptions extends WebhookTenantOption {
  /** Makes the message idempotent: emitting the same id again adds nothing. @default a fresh message */
  eventId?: string;
  /** The message's `timestamp`. @default now */
  timestamp?: string;
}

/** What {@link WebhookService.signedPost} takes. */
export interface WebhookSignedPost extends WebhookTenantOption {
  url: string;
  type: string;
  data: unknown;
  idempotencyKey: string;
  signal?: AbortSignal;
}

/** Options of {@link WebhookService.deliveries}. */
export interface WebhookDeliveriesQuery extends WebhookTenantOption {
  status?: WebhookAttemptStatus;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  /** 1-100. @default 50 */
  limit?: number;
}

/**
 * Webhooks of a forge. The server's routes call these methods; every error is a
 * `FileForgeError` (`NOT_FOUND`, `VALIDATION_FAILED`, `WEBHOOK_URL_FORBIDDEN`).
 */
export interface WebhookService {
  /** Creates a subscription; its secret is returned this once. */
  subscribe(input: WebhookSubscribeInput): Promise<WebhookWithSecret>;
  /** The tenant's subscriptions, oldest first. */
  list(
    query?: WebhookTenantOption & { cursor?: string; limit?: number },
  ): Promise<WebhookPage<WebhookSubscription>>;
  get(id: string, options?: WebhookTenantOption): Promise<WebhookSubscription>;
  /** Changes the given fields (PATCH semantics). */
  update(id: string, patch: WebhookPatch, options?: WebhookTenantOption): Promise<WebhookSubscription>;
  /** Deletes a subscription and its delivery history; pending attempts are dropped. */
  remove(id: string, options?: WebhookTenantOption): Promise<void>;
  /**
   * Records one message `{ type, timestamp, data }` for every enabled subscription of the
   * tenant whose patterns match `type`, to be delivered (and retried) by the loop.
   */
  emit(
    type: string,
    data: unknown,
    options?: WebhookEmitOptions,
  ): Promise<{ messageId: string; subscriptions: number }>;
  /** Sends a `webhook.test` message to the subscription now; resolves with the attempt (sent, or failed). */
  test(id: string, options?: WebhookTenantOption): Promise<WebhookAttempt>;
  /** The subscription's attempts, newest first. */
  deliveries(id: string, query?: WebhookDeliveriesQuery): Promise<WebhookPage<WebhookAttempt>>;
  /** Sends an attempt's message again now, as a new `manual` attempt (same `webhook-id`). */
  resend(id: string, attemptId: string, options?: WebhookTenantOption): Promise<WebhookAttempt>;
  /** A new secret; the previous one keeps signing too for `rotationOverlapMs` (24 h). */
  rotateSecret(id: string, options?: WebhookTenantOption): Promise<WebhookWithSecret>;
  /** A bus event: a message for every matching subscription (what the extension's listener calls). */
  receive(type: string, payload: { eventId: string; tenant: string }): Promise<void>;
  /**
   * Sends one signed message outside the schedule and history (the `webhook` workflow step):
   * to `url`, which must be the URL of an enabled subscription of the tenant (whose secret
   * signs it). `idempotencyKey` fixes the `webhook-id`, so a retried step is recognisable.
   * Resolves on a 2xx; otherwise throws `UPSTREAM_ERROR` (`details.status`, `retryable`).
   */
  signedPost(input: WebhookSignedPost): Promise<{ messageId: string; status: number; durationMs: number }>;
  /** Sends every attempt due now (and any that makes due now); resolves with how many were sent. */
  flush(): Promise<number>;
  /** Stops the delivery loop, waiting for the sends in flight. */
  close(): Promise<void>;
}

/** What the service needs from its host besides {@link WebhookServiceOptions}. */
export interface WebhookServiceHost {
  /** The catalog's Kysely (`forge.catalog.db()`), migrated with `webhookMigrations`. */
  // biome-ignore lint/suspicious/noExplicitAny: the catalog's database holds other modules' tables too
  db: Kysely<any>;
  /** Publishes `webhook.disabled` (`forge.publish`). @default none (logged only) */
  publish?: (event: WebhookDisabledEvent) => Promise<void>;
  /** @default silent */
  logger?: ForgeLogger;
  /** The host's clock, used when `options.now` is absent. */
  now?: () => number;
}

const silent: ForgeLogger = { debug() {}, info() {}, warn() {}, error() {} };

function notFound(id: string): never {
  throw new FileForgeError(ErrorCode.NOT_FOUND, `[fileforge:webhooks] No webhook subscription "${id}"`, {
    details: { id },
  });
}

function invalid(field: string, message: string): never {
  throw new FileForgeError(ErrorCode.VALIDATION_FAILED, `[fileforge:webhooks] ${message}`, {
    details: { field },
  });
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > 200) {
    invalid('name', 'A subscription needs a name of 1-200 characters');
  }
  return name.trim();
}

function pageSize(limit: number | undefined): number {
  const n = limit ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > 100) invalid('limit', 'limit must be an integer in 1-100');
  return n;
}

/**
 * Creates the webhook service over a migrated catalog and starts its delivery loop. Most
 * applications get it from the {@link webhooks} extension instead.
 *
 * @example
 * ```ts
 * const service = createWebhookService({ secretKey: process.env.SECRET_KEY! }, { db: forge.catalog.db!() });
 * const { subscription, secret } = await service.subscribe({ name: 'crm', url, events: ['file.*'] });
 * ```
 */
export function createWebhookService(
  options: WebhookServiceOptions,
  host: WebhookServiceHost,
): WebhookService {
  const o = resolveWebhookOptions(options, host.now);
  const logger = host.logger ?? silent;
  const db = host.db as Kysely<WebhookDatabase>;
  const box = createSecretBox(options);
  const client =
    options.client ??
    createHttpClient({
      guard: {
        ...(options.allowedHosts === undefined ? {} : { allowedHosts: options.allowedHosts }),
        requireHttps: options.requireHttps ?? false,
      },
      userAgent: o.userAgent,
      timeoutMs: o.timeoutMs,
    });
  const endpoints = createEndpointStore(db);
  // Messages, claims and outcomes asked for in one turn of the event loop share a commit
  // (each resolved once committed); the hot statements are compiled once.
  const writes = createGroupCommit<Kysely<WebhookDatabase>>({
    transaction: (fn) => db.transaction().execute(fn),
    direct: db,
  });
  const attempts = createAttemptStore(db, writes, createQueryTemplates());
  const enabledEndpoints = createEndpointCache(endpoints, o.now, o.endpointCacheMs);
  const newId = createIdSource(o.now);
  const iso = (ms = o.now()) => new Date(ms).toISOString();

  const ctx: DeliveryContext = {
    attempts,
    box,
    client,
    now: o.now,
    random: o.random,
    schedule: o.retrySchedule,
    jitter: o.jitter,
    timeoutMs: o.timeoutMs,
    userAgent: o.userAgent,
    disableAfterMs: o.disableAfterMs,
    newId,
    logger,
    async onDisabled({ tenant, endpointId, url, reason }) {
      enabledEndpoints.invalidate(tenant);
      const event: WebhookDisabledEvent = {
        eventId: newId(),
        tenant,
        webhookId: endpointId,
        url,
        reason: reason === 'gone' ? 'gone' : 'failing',
        timestamp: iso(),
      };
      await host
        .publish?.(event)
        .catch((err) => logger.error({ err, webhookId: endpointId }, 'webhook.disabled not published'));
    },
  };
  const loop: DeliveryLoop = startDeliveryLoop(ctx, {
    concurrency: o.concurrency,
    pollIntervalMs: o.pollIntervalMs,
    leaseMs: o.leaseMs,
    closeGraceMs: o.timeoutMs,
  });

  const row = async (tenant: string, id: string) => (await endpoints.get(tenant, id)) ?? notFound(id);
  const checkUrl = async (url: unknown) => {
    if (typeof url !== 'string' || url.length > 2048)
      invalid('url', 'url must be an http(s) URL of at most 2048 characters');
    return (await validateOutboundUrl(url, client.guard)).href;
  };

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
        targets.map((e, i) => ({
          ...pendingAttempt(tenant, e.id, e.url, messageId, 1, 'scheduled', now),
          dedupe_key: `${e.id}/${messageId}/1`,
          ...(i < lease.count ? { lease_owner: lease.owner, lease_until: lease.leaseUntil } : {}),
        })),
        lease.count > 0 ? lease.owner : null,
      );
      leased = result.leased;
      if (result.added > leased.length) loop.wake();
    } finally {
      lease.adopt(leased);
    }
  }

  function pendingAttempt(
    tenant: string,
    endpointId: string,
    url: string,
    messageId: string,
    attempt: number,
    trigger: string,
    now: string,
  ): AttemptRow {
    return {
      id: newId(),
      tenant,
      endpoint_id: endpointId,
      message_id: messageId,
      attempt,
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
    };
  }

  /** Inserts an attempt leased to this call, sends it now and returns its record. */
  async function sendNow(
    tenant: string,
    endpointId: string,
    url: string,
    messageId: string,
    attempt: number,
    trigger: 'manual' | 'test',
  ): Promise<WebhookAttempt> {
    const owner = `webhooks:direct:${randomUUID()}`;
    const pending = pendingAttempt(tenant, endpointId, url, messageId, attempt, trigger, iso());
    await attempts.insertLeased({ ...pending, lease_owner: owner, lease_until: iso(o.now() + o.leaseMs) });
    const claimed = await attempts.getLeased(pending.id, owner);
    if (claimed) await deliverAttempt(ctx, claimed, owner);
    const stored = await attempts.get(tenant, endpointId, pending.id);
    return attemptFromRow(stored!);
  }

  function signingSecrets(endpoint: {
    id: string;
    secret: string;
    previous_secret: string | null;
    previous_secret_expires_at: string | null;
  }) {
    const secrets = [box.open(endpoint.secret, endpoint.id)];
    if (
      endpoint.previous_secret &&
      endpoint.previous_secret_expires_at &&
      Date.parse(endpoint.previous_secret_expires_at) > o.now()
    ) {
      secrets.push(box.open(endpoint.previous_secret, endpoint.id));
    }
    return secrets;
  }

  const matching = (tenant: string, type: string) => enabledEndpoints.matching(tenant, type);

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
      enabledEndpoints.invalidate(tenant);
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
      enabledEndpoints.invalidate(tenant);
      if (!patched) notFound(id);
      return subscriptionFromRow(await row(tenant, id));
    },

    async remove(id, options = {}) {
      const tenant = options.tenant ?? DEFAULT_TENANT;
      const removed = await endpoints.remove(tenant, id);
      enabledEndpoints.invalidate(tenant);
      if (!removed) notFound(id);
    },

    async emit(type, data, options = {}) {
      const tenant = options.tenant ?? DEFAULT_TENANT;
      checkEventPatterns([type]);
      if (type.endsWith('*')) invalid('type', 'An event type has no wildcard');
      const body = messageBody(type, options.timestamp ?? iso(), data);
      const messageId = options.eventId ? messageIdForEvent(tenant, options.eventId) : randomMessageId(newId);
      const targets = await matching(tenant, type);
      await enqueue(tenant, messageId, type, body, targets);
      return { messageId, subscriptions: targets.length };
    },

    async receive(type, payload) {
      const targets = await matching(payload.tenant, type);
      if (targets.length === 0) return;
      const body = eventMessageBody(type, payload as unknown as Record<string, unknown>);
      await enqueue(payload.tenant, messageIdForEvent(payload.tenant, payload.eventId), type, body, targets);
    },

    async test(id, options = {}) {
      const tenant = options.tenant ?? DEFAULT_TENANT;
      const endpoint = await row(tenant, id);
      const messageId = randomMessageId(newId);
      const body = messageBody('webhook.test', iso(), { subscriptionId: id, name: endpoint.name });
      await attempts.enqueue(
        { id: messageId, tenant, event_type: 'webhook.test', body, created_at: iso() },
        [],
      );
      return sendNow(tenant, id, endpoint.url, messageId, 1, 'test');
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
      const n = await attempts.nextNumber(id, original.message_id);
      return sendNow(tenant, id, endpoint.url, original.message_id, n, 'manual');
    },

    async rotateSecret(id, options = {}) {
      const tenant = options.tenant ?? DEFAULT_TENANT;
      const current = await row(tenant, id);
      const secret = generateWebhookSecret();
      const now = o.now();
      await endpoints.patch(tenant, id, {
        secret: box.seal(secret, id),
        previous_secret: current.secret,
        previous_secret_expires_at: iso(now + o.rotationOverlapMs),
        secret_rotated_at: iso(now),
        updated_at: iso(now),
      });
      enabledEndpoints.invalidate(tenant);
      return { subscription: subscriptionFromRow(await row(tenant, id)), secret };
    },

    async signedPost(input) {
      const tenant = input.tenant ?? DEFAULT_TENANT;
      const url = new URL(input.url).href;
      const endpoint = (await endpoints.enabled(tenant)).find((e) => e.url === url);
      if (!endpoint) {
        invalid(
          'url',
          `No enabled webhook subscription has the URL ${url}: subscribe it first, so it has a secret`,
        );
      }
      const messageId = messageIdForEvent(tenant, `step:${input.idempotencyKey}`);
      const body = messageBody(input.type, iso(), input.data);
      const started = performance.now();
      const response = await client.request({
        method: 'POST',
        url,
        headers: {
          'content-type': 'application/json',
          'user-agent': o.userAgent,
          ...signedHeaders(signingSecrets(endpoint), messageId, Math.floor(o.now() / 1000), body),
        },
        body,
        timeoutMs: o.timeoutMs,
        ...(input.signal ? { signal: input.signal } : {}),
      });
      if (!response.ok) throw upstreamStatusError(response, 'webhooks', o.now());
      return { messageId, status: response.status, durationMs: Math.round(performance.now() - started) };
    },

    flush: () => loop.flush(),

    async close() {
      await loop.close();
      if (!options.client) await client.close();
    },
  };
}
