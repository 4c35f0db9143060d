/**
 * What the webhook service hands out: subscriptions (endpoints) and delivery attempts.
 *
 * @module
 */

/** Why an endpoint stopped receiving: `gone` (it answered 410), `failing` (auto-disable), `manual`. */
export type WebhookDisabledReason = 'gone' | 'failing' | 'manual';

/** A webhook subscription (an endpoint). Its secret is never part of it. */
export interface WebhookSubscription {
  id: string;
  tenant: string;
  name: string;
  url: string;
  /** Event types or patterns (`file.*`, `*`). */
  events: string[];
  enabled: boolean;
  /** Set while disabled. */
  disabledReason: WebhookDisabledReason | null;
  /** When the current run of nothing-but-failures began; `null` after any success. */
  failingSince: string | null;
  /** Last secret rotation, if any. */
  secretRotatedAt: string | null;
  /** Until when the previous secret still signs (24 h after a rotation). */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What started an attempt: the retry schedule, a resend, or a test. */
export type WebhookTrigger = 'scheduled' | 'manual' | 'test';

/** `pending` until sent; then `succeeded` (2xx) or `failed`. */
export type WebhookAttemptStatus = 'pending' | 'succeeded' | 'failed';

/** One delivery attempt of one message to one endpoint (the delivery history's rows). */
export interface WebhookAttempt {
  id: string;
  subscriptionId: string;
  /** `msg_…`: the same on every attempt and every endpoint's delivery of one event. */
  messageId: string;
  eventType: string;
  /** 1-based, per message and endpoint. */
  attempt: number;
  trigger: WebhookTrigger;
  /** The URL it was (or will be) sent to. */
  url: string;
  /** The JSON body every attempt of the message sends (signed with the subscription's secret). */
  requestBody: string;
  status: WebhookAttemptStatus;
  /** The HTTP status; 0 for a network error, timeout or refused connection; `null` while pending. */
  responseStatus: number | null;
  /** The first 20 KB of the response body, or the error text; `null` while pending. */
  responseBody: string | null;
  durationMs: number | null;
  createdAt: string;
  /** When it was sent; `null` while pending. */
  sentAt: string | null;
  /** Pending: when it is due. Failed: when the retry is due (`null` when none follows). */
  nextAttemptAt: string | null;
}

/** One page, newest first; pass `nextCursor` back as `cursor` for the next one. */
export interface WebhookPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * The delivery backlog (`WebhookService.backlog()`, the `webhooks` component of
 * `/health/detailed`): what waits in the outbox and how the endpoints fare.
 */
export interface WebhookBacklog {
  /** Messages with an attempt not yet sent (a scheduled retry counts). */
  pendingMessages: number;
  /** Attempts not yet sent, due or scheduled. */
  pendingAttempts: number;
  /** Of them, those already due: waiting for a sender. */
  dueAttempts: number;
  /** When the oldest undelivered message was created; `null` when none waits. */
  oldestPendingAt: string | null;
  /** Its age; `null` when none waits. */
  oldestPendingAgeMs: number | null;
  /** How long the longest-due attempt has waited past its time (0 when none is late): the senders' lag. */
  deliveryLagMs: number;
  /** Enabled endpoints whose every recent attempt failed (`failingSince` set). */
  failingEndpoints: number;
  /** Disabled endpoints (410 Gone, failing too long, or by hand). */
  disabledEndpoints: number;
}
