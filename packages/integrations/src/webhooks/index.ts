/**
 * Webhooks that speak Standard Webhooks v1: subscriptions with encrypted secrets and
 * rotation, durable delivery with Svix's retry schedule, delivery history, the `webhook`
 * workflow step, and `verifyWebhook` for receivers.
 *
 * @module
 */
export { WEBHOOK_BUS_EVENTS, WEBHOOK_EVENT_TYPES } from './event-types.js';
export { createWebhooksExtension, type WebhooksExtension } from './extension.js';
export { MAX_MESSAGE_BYTES } from './message.js';
export { webhookMigrations } from './migrations.js';
export type {
  WebhookAttempt,
  WebhookAttemptStatus,
  WebhookBacklog,
  WebhookDisabledReason,
  WebhookPage,
  WebhookSubscription,
  WebhookTrigger,
} from './model.js';
export type { WebhookServiceOptions } from './options.js';
export { DEFAULT_RETRY_SCHEDULE } from './schedule.js';
export { resealEndpointSecrets, type SecretBoxKeys } from './secret-box.js';
export {
  createWebhookService,
  type WebhookDeliveriesQuery,
  type WebhookEmitOptions,
  type WebhookPatch,
  type WebhookService,
  type WebhookServiceHost,
  type WebhookSignedPost,
  type WebhookSubscribeInput,
  type WebhookTenantOption,
  type WebhookWithSecret,
} from './service.js';
export {
  generateWebhookSecret,
  signedHeaders,
  signWebhook,
  type WebhookSignatureHeaders,
} from './signing.js';
export { webhookStep } from './step.js';
export { type VerifyWebhookOptions, verifyWebhook, type WebhookHeaders } from './verify.js';
