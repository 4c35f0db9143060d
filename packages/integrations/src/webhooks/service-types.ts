/**
 * The webhook service's public types: what its methods take and return, and what it needs
 * from its host.
 *
 * @module
 */
import type { ForgeLogger, WebhookDisabledEvent } from '@fileforge/core';
import type { Kysely } from 'kysely';
import type {
  WebhookAttempt,
  WebhookAttemptStatus,
  WebhookBacklog,
  WebhookPage,
  WebhookSubscription,
} from './model.js';
import type { WebhookServiceOptions } from './options.js';

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
  /**
   * The body's `timestamp` (ISO 8601). Give the same one on every retry of the same
   * `idempotencyKey`: one `webhook-id`, one body, byte for byte. @default now
   */
  timestamp?: string;
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
  /**
   * The delivery backlog now (the service's clock): pending messages and attempts, the oldest
   * one's age, the senders' lag, failing and disabled endpoints. Over every tenant unless one
   * is given (the health check reads it for the installation).
   */
  backlog(options?: { tenant?: string }): Promise<WebhookBacklog>;
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
  /**
   * Runs `fn` in one catalog transaction, given the query builder bound to it
   * (`forge.catalog.transaction` with its `db()`): the SQLite catalog then runs the service's
   * compiled statements straight on the driver inside it, without Kysely's executor.
   * @default `db.transaction().execute(fn)`
   */
  // biome-ignore lint/suspicious/noExplicitAny: as `db`
  transaction?: <T>(fn: (trx: Kysely<any>) => Promise<T>) => Promise<T>;
}
