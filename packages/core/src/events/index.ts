export {
  type DeliveryResult,
  EventBus,
  type EventBusOptions,
  type FileClassifiedEvent,
  type FileEvent,
  type FileFailedEvent,
  type FileSortedEvent,
  type ForgeEventName,
  type ForgeEventPayload,
  type ForgeEvents,
  type IntegrationEvent,
  type WebhookDisabledEvent,
  type WorkflowEvent,
} from './bus.js';
export {
  createOutboxDispatcher,
  type OutboxDispatcher,
  type OutboxDispatcherOptions,
} from './outbox-dispatcher.js';
