/**
 * Row types of the webhook tables and their mapping to the public model.
 *
 * @module
 */
import type { WebhookAttempt, WebhookDisabledReason, WebhookSubscription } from '../model.js';

export interface EndpointRow {
  id: string;
  tenant: string;
  name: string;
  url: string;
  events: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
  secret_rotated_at: string | null;
  enabled: number;
  disabled_reason: string | null;
  failing_since: string | null;
  created_at: string;
  updated_at: string;
}

export interface MessageRow {
  id: string;
  tenant: string;
  event_type: string;
  body: string;
  created_at: string;
}

export interface AttemptRow {
  id: string;
  tenant: string;
  endpoint_id: string;
  message_id: string;
  attempt: number;
  trigger: string;
  url: string;
  status: string;
  response_status: number | null;
  response_body: string | null;
  duration_ms: number | null;
  created_at: string;
  sent_at: string | null;
  next_attempt_at: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  dedupe_key: string | null;
  /**
   * A scheduled attempt's place in the retry schedule (1 for the first attempt; its dedupe key
   * ends with it), `null` for manual and test attempts: a resend takes a number, never a step,
   * so it does not shorten the schedule. Scheduled rows recorded before the `webhooks/0002`
   * migration have none unless it renumbered them: their number is their step.
   */
  schedule_step: number | null;
}

/** An attempt row before the store numbers it (`insertNumbered` in `attempt-statements.ts`). */
export type NewAttemptRow = Omit<AttemptRow, 'attempt'>;

/** The webhook tables, for a typed Kysely. */
export interface WebhookDatabase {
  webhook_endpoints: EndpointRow;
  webhook_messages: MessageRow;
  webhook_attempts: AttemptRow;
}

export function subscriptionFromRow(row: EndpointRow): WebhookSubscription {
  return {
    id: row.id,
    tenant: row.tenant,
    name: row.name,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    enabled: Number(row.enabled) === 1,
    disabledReason: row.disabled_reason as WebhookDisabledReason | null,
    failingSince: row.failing_since,
    secretRotatedAt: row.secret_rotated_at,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function attemptFromRow(row: AttemptRow & { event_type: string; body: string }): WebhookAttempt {
  return {
    id: row.id,
    subscriptionId: row.endpoint_id,
    messageId: row.message_id,
    eventType: row.event_type,
    attempt: Number(row.attempt),
    trigger: row.trigger as WebhookAttempt['trigger'],
    url: row.url,
    requestBody: row.body,
    status: row.status as WebhookAttempt['status'],
    responseStatus: row.response_status === null ? null : Number(row.response_status),
    responseBody: row.response_body,
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    createdAt: row.created_at,
    sentAt: row.sent_at,
    nextAttemptAt: row.next_attempt_at,
  };
}
