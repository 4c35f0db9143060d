export {
  EventBus,
  type FileEvent,
  type FileFailedEvent,
  type ForgeEventName,
  type ForgeEvents,
} from './bus.js';
