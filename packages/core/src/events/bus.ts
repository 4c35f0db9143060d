import { EventEmitter } from 'eventemitter3';
import type { FileRecord } from '../model/index.js';

/** Payload common to every file event. `eventId` stays the same across redeliveries. */
export interface FileEvent {
  eventId: string;
  tenant: string;
  file: FileRecord;
  timestamp: string;
}

/** Emitted when processing gives up on a file or rejects hostile content. */
export interface FileFailedEvent extends FileEvent {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/**
 * The typed event map. Names are stable (they double as webhook event types); new events
 * may be added, none renamed. Per file the order is fixed:
 * `file.uploaded` → `file.processed` | `file.failed` → … → `file.deleted`.
 */
export interface ForgeEvents {
  'file.uploaded': (event: FileEvent) => void;
  'file.processed': (event: FileEvent) => void;
  'file.failed': (event: FileFailedEvent) => void;
  'file.deleted': (event: FileEvent) => void;
}

/** Names of all events on the bus. */
export type ForgeEventName = keyof ForgeEvents;

/**
 * The FileForge event bus: an eventemitter3 emitter typed by {@link ForgeEvents}.
 * Listeners run synchronously; a throwing listener is reported through `onListenerError`
 * and never breaks the pipeline.
 */
export class EventBus {
  readonly #emitter = new EventEmitter<ForgeEvents>();
  readonly #onListenerError: (error: unknown, event: ForgeEventName) => void;

  constructor(options: { onListenerError?: (error: unknown, event: ForgeEventName) => void } = {}) {
    this.#onListenerError = options.onListenerError ?? (() => {});
  }

  /** Subscribes; returns a function that unsubscribes. */
  on<E extends ForgeEventName>(event: E, listener: ForgeEvents[E]): () => void {
    // biome-ignore lint/suspicious/noExplicitAny: eventemitter3's typings cannot express the generic listener
    this.#emitter.on(event, listener as any);
    // biome-ignore lint/suspicious/noExplicitAny: see above
    return () => this.#emitter.off(event, listener as any);
  }

  /** Subscribes for one delivery. */
  once<E extends ForgeEventName>(event: E, listener: ForgeEvents[E]): () => void {
    // biome-ignore lint/suspicious/noExplicitAny: see above
    this.#emitter.once(event, listener as any);
    // biome-ignore lint/suspicious/noExplicitAny: see above
    return () => this.#emitter.off(event, listener as any);
  }

  /** Delivers an event to every listener, isolating listener failures. */
  emit<E extends ForgeEventName>(event: E, payload: Parameters<ForgeEvents[E]>[0]): void {
    for (const listener of this.#emitter.listeners(event)) {
      try {
        (listener as (p: typeof payload) => void)(payload);
      } catch (error) {
        this.#onListenerError(error, event);
      }
    }
  }

  /** Removes every listener. */
  clear(): void {
    this.#emitter.removeAllListeners();
  }
}
