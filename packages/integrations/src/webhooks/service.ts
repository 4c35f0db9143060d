/**
 * The webhook service: subscriptions (endpoints) and their secrets, messages, the durable
 * delivery loop and the delivery history. Everything is scoped by tenant (default
 * `default`); another tenant's subscription answers `NOT_FOUND`, like a missing one.
 * Composes the subscription CRUD (`subscriptions.ts`), the emit path (`recording.ts`) and
 * the delivery history with its direct sends (`history.ts`).
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import {
  createGroupCommit,
  createIdSource,
  createIsoFormatter,
  createQueryTemplates,
  createSharedCache,
  DEFAULT_TENANT,
  type ForgeLogger,
  type WebhookDisabledEvent,
} from '@fileforge/core';
import type { Kysely } from 'kysely';
import { createHttpClient, upstreamStatusError } from '../http/index.js';
import type { DeliveryContext } from './deliver.js';
import { type DeliveryLoop, startDeliveryLoop } from './delivery-loop.js';
import { createEndpointCache } from './endpoint-cache.js';
import { createHistoryOperations } from './history.js';
import { messageIdForEvent } from './ids.js';
import { messageBody } from './message.js';
import { resolveWebhookOptions, type WebhookServiceOptions } from './options.js';
import { createRecordingOperations } from './recording.js';
import { createSecretBox } from './secret-box.js';
import { invalid } from './service-checks.js';
import type { WebhookService, WebhookServiceHost } from './service-types.js';
import { signedHeaders } from './signing.js';
import { createAttemptStore } from './store/attempts.js';
import { readBacklog } from './store/backlog.js';
import { createEndpointStore } from './store/endpoints.js';
import type { WebhookDatabase } from './store/rows.js';
import { createSubscriptionOperations } from './subscriptions.js';

export type {
  WebhookDeliveriesQuery,
  WebhookEmitOptions,
  WebhookPatch,
  WebhookService,
  WebhookServiceHost,
  WebhookSignedPost,
  WebhookSubscribeInput,
  WebhookTenantOption,
  WebhookWithSecret,
} from './service-types.js';

const silent: ForgeLogger = { debug() {}, info() {}, warn() {}, error() {} };

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
    transaction: host.transaction ?? ((fn) => db.transaction().execute(fn)),
    direct: db,
  });
  const attempts = createAttemptStore(db, writes, createQueryTemplates());
  // Shared with the other instances (REDIS_URL) so a subscription removed on one is not
  // matched by another's emit(); without one, each process's own changes apply at once.
  const sharedCache =
    options.cache ??
    (options.cacheUrl ? createSharedCache({ url: options.cacheUrl, namespace: 'fileforge' }) : undefined);
  const enabledEndpoints = createEndpointCache(endpoints, o.now, o.endpointCacheMs, 1024, sharedCache);
  const newId = createIdSource(o.now);
  const isoAt = createIsoFormatter();
  const iso = (ms = o.now()) => isoAt(ms);

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
    iso: isoAt,
    logger,
    async onDisabled({ tenant, endpointId, url, reason }) {
      await enabledEndpoints.invalidate(tenant);
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
    slowSendMs: o.slowSendMs,
  });

  const subscriptions = createSubscriptionOperations({
    endpoints,
    enabledEndpoints,
    box,
    guard: client.guard,
    newId,
    now: o.now,
    iso,
    rotationOverlapMs: o.rotationOverlapMs,
    // Loaded when a subscription is made, not by its first delivery (a one-time load of
    // 100 ms or more); a failure here is the first request's to report.
    preload: async () => {
      await client.preload?.().catch((err: unknown) => {
        logger.warn({ err }, 'outbound HTTP client not loaded ahead of the first delivery');
      });
    },
  });
  const recording = createRecordingOperations({ attempts, loop, enabledEndpoints, newId, iso });
  const history = createHistoryOperations({
    attempts,
    endpoints,
    ctx,
    newId,
    now: o.now,
    iso,
    leaseMs: o.leaseMs,
  });

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

  return {
    subscribe: subscriptions.subscribe,
    list: subscriptions.list,
    get: subscriptions.get,
    update: subscriptions.update,
    remove: subscriptions.remove,
    emit: recording.emit,
    receive: recording.receive,
    test: history.test,
    deliveries: history.deliveries,
    resend: history.resend,
    rotateSecret: subscriptions.rotateSecret,

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
      const body = messageBody(input.type, input.timestamp ?? iso(), input.data);
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
      if (response.status === 410 && (await endpoints.disable(endpoint.id, 'gone', iso()))) {
        // As for a delivery: the receiver says it is gone for good.
        logger.warn({ webhookId: endpoint.id, reason: 'gone' }, 'webhook endpoint disabled');
        await ctx.onDisabled({ tenant, endpointId: endpoint.id, url, reason: 'gone' });
      }
      if (!response.ok) throw upstreamStatusError(response, 'webhooks', o.now());
      return { messageId, status: response.status, durationMs: Math.round(performance.now() - started) };
    },

    backlog: (options) => readBacklog(db, o.now(), options?.tenant),

    flush: () => loop.flush(),

    async close() {
      await loop.close();
      if (!options.client) await client.close();
      if (!options.cache) await sharedCache?.close();
    },
  };
}
