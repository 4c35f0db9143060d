/**
 * The event types a subscription can receive: every event of the forge's bus (checked against
 * `ForgeEvents` at compile time, so a new core event must be listed here) and `webhook.test`.
 *
 * @module
 */
import type { ForgeEventName } from '@fileforge/core';

const BUS_EVENTS = {
  'file.uploaded': true,
  'file.processed': true,
  'file.failed': true,
  'file.deleted': true,
  'file.classified': true,
  'file.sorted': true,
  'workflow.started': true,
  'workflow.completed': true,
  'workflow.failed': true,
  'integration.connected': true,
  'integration.error': true,
  'integration.circuit_opened': true,
  'integration.circuit_closed': true,
  'webhook.disabled': true,
} as const satisfies Record<ForgeEventName, true>;

/** The bus events delivered as webhooks. */
export const WEBHOOK_BUS_EVENTS = Object.keys(BUS_EVENTS) as ForgeEventName[];

/** Every event type a subscription may name (besides patterns). */
export const WEBHOOK_EVENT_TYPES: readonly string[] = [...WEBHOOK_BUS_EVENTS, 'webhook.test'];
