/**
 * Ids of the webhook service: message ids (`msg_…`, derived from the bus event id so a
 * redelivered event maps to the same message) and time-ordered row ids that never go
 * backwards within a process (core's `createIdSource`; the delivery history pages by id).
 *
 * @module
 */
import { createHash } from 'node:crypto';

/** The message id of a bus event: the same for every redelivery of it. */
export function messageIdForEvent(tenant: string, eventId: string): string {
  const digest = createHash('sha256').update(`fileforge:webhooks:${tenant}:${eventId}`).digest('hex');
  return `msg_${digest.slice(0, 32)}`;
}

/**
 * A fresh message id (an `emit()` without an event id): `msg_` + a time-ordered id (`ids`,
 * core's `createIdSource`; 80 random bits). Time order makes the catalog's message-id
 * indexes append instead of touching a random page per message.
 */
export function randomMessageId(ids: () => string): string {
  return `msg_${ids()}`;
}
