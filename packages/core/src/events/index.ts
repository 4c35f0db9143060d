export {
  type DeliveryResult,
  EventBus,
  type EventBusOptions,
  type FileEvent,
  type FileFailedEvent,
  type ForgeEventName,
  type ForgeEventPayload,
  type ForgeEvents,
} from './bus.js';
export {
  createOutboxDispatcher,
  type OutboxDispatcher,
  type OutboxDispatcherOptions,
} from './outbox-dispatcher.js';
