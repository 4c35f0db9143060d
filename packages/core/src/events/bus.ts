import type { Classification, FileRecord } from '../model/index.js';

/** Payload common to every file event. `eventId` stays the same across redeliveries. */
export interface FileEvent {
  eventId: string;
  tenant: string;
  file: FileRecord;
  timestamp: string;
  /**
   * Set when a workflow run caused the event (one of its steps changed the file): the
   * workflow is never triggered again by it, and chains stop at a depth limit.
   */
  causedBy?: { workflowId: string; runId: string; depth: number };
}

/** Emitted when processing gives up on a file or rejects hostile content. */
export interface FileFailedEvent extends FileEvent {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** Emitted when the classify step has decided (or not) a file's category; carries the explanation. */
export interface FileClassifiedEvent extends FileEvent {
  classification: Classification;
}

/** Emitted when a file takes its place in the sorted tree (a sort run or its undo moved it). */
export interface FileSortedEvent extends FileEvent {
  /** The previous sorted path; `null` when the file was not in the tree. */
  from: string | null;
  /**
   * The new sorted path; `null` when the file left the tree (a run undone that had put it
   * there, a file `overwrite` displaced: its record and content stay stored).
   */
  to: string | null;
  /** The sort run (journal) the move belongs to. */
  runId: string;
}

/**
 * A workflow run started, completed or failed. Ordered per run (outbox stream
 * `<tenant>/workflow/<runId>`).
 */
export interface WorkflowEvent {
  eventId: string;
  tenant: string;
  workflowId: string;
  runId: string;
  /** The file the run is about, if any. */
  fileId: string | null;
  timestamp: string;
  /** `workflow.failed`: the step that failed the run. */
  step?: string;
  /** `workflow.failed`: why. */
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

/**
 * Something happened to a connector (`@fileforge/integrations`): it was connected, a call
 * failed for good, or its circuit opened or closed. Ordered per tenant and type.
 */
export interface IntegrationEvent {
  eventId: string;
  tenant: string;
  /** The connector's slug (`salesforce`, `slack`, …). */
  integration: string;
  timestamp: string;
  /** The region the connector talks to, when it has one. */
  region?: string;
  /** `integration.error`: the operation that failed. */
  operation?: string;
  /** `integration.error`: why. */
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

/** A webhook endpoint was disabled (410 Gone, or failing for the auto-disable period). */
export interface WebhookDisabledEvent {
  eventId: string;
  tenant: string;
  webhookId: string;
  url: string;
  reason: 'gone' | 'failing';
  timestamp: string;
}

/**
 * The typed event map. Names are stable (they double as webhook event types); new events
 * may be added, none renamed. Per file the order is fixed:
 * `file.uploaded` → `file.processed` | `file.failed` → `file.classified` → `file.sorted` → … → `file.deleted`.
 *
 * A listener may be async (return a promise): delivery waits for it (see {@link EventBus.deliver}).
 */
export interface ForgeEvents {
  'file.uploaded': (event: FileEvent) => void;
  'file.processed': (event: FileEvent) => void;
  'file.failed': (event: FileFailedEvent) => void;
  'file.deleted': (event: FileEvent) => void;
  'file.classified': (event: FileClassifiedEvent) => void;
  'file.sorted': (event: FileSortedEvent) => void;
  'workflow.started': (event: WorkflowEvent) => void;
  'workflow.completed': (event: WorkflowEvent) => void;
  'workflow.failed': (event: WorkflowEvent) => void;
  'integration.connected': (event: IntegrationEvent) => void;
  'integration.error': (event: IntegrationEvent) => void;
  'integration.circuit_opened': (event: IntegrationEvent) => void;
  'integration.circuit_closed': (event: IntegrationEvent) => void;
  'webhook.disabled': (event: WebhookDisabledEvent) => void;
}

/** Names of all events on the bus. */
export type ForgeEventName = keyof ForgeEvents;

/** The payload of an event. */
export type ForgeEventPayload<E extends ForgeEventName> = Parameters<ForgeEvents[E]>[0];

/** One subscription: its identity tells deliveries which listeners already have an event. */
interface Subscription {
  readonly listener: (payload: never) => unknown;
  readonly once: boolean;
}

/** What {@link EventBus.deliver} reports. */
export interface DeliveryResult {
  /** Subscriptions that took the event (pass them as `skip` when delivering it again). */
  succeeded: readonly object[];
  /** Errors of the listeners that threw, rejected or timed out. */
  errors: readonly unknown[];
}

/** Options for {@link EventBus}. */
export interface EventBusOptions {
  /** Told about every listener that throws, rejects or times out. @default ignore */
  onListenerError?: (error: unknown, event: ForgeEventName) => void;
}

function withTimeout(value: unknown, timeoutMs: number, event: string): Promise<void> | undefined {
  if (!(value instanceof Promise)) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`[fileforge:events] A "${event}" listener did not settle within ${timeoutMs} ms`)),
      timeoutMs,
    );
    timer.unref();
  });
  return Promise.race([value, timeout]).finally(() => clearTimeout(timer)) as Promise<void>;
}

/**
 * The FileForge event bus, typed by {@link ForgeEvents}. FileForge's own events reach it
 * through the durable outbox (written with the state change, delivered at least once, in order
 * per file — see `createOutboxDispatcher`), so a listener may see an event again after a
 * crash: deduplicate by `eventId`. A failing listener is reported through `onListenerError`
 * and never breaks the pipeline nor keeps the event from the other listeners.
 */
export class EventBus {
  readonly #subscriptions = new Map<ForgeEventName, Set<Subscription>>();
  readonly #onListenerError: (error: unknown, event: ForgeEventName) => void;

  constructor(options: EventBusOptions = {}) {
    this.#onListenerError = options.onListenerError ?? (() => {});
  }

  #add<E extends ForgeEventName>(event: E, listener: ForgeEvents[E], once: boolean): () => void {
    const subscription: Subscription = { listener, once };
    const set = this.#subscriptions.get(event) ?? new Set<Subscription>();
    this.#subscriptions.set(event, set);
    set.add(subscription);
    return () => {
      set.delete(subscription);
    };
  }

  /** Subscribes; returns a function that unsubscribes. */
  on<E extends ForgeEventName>(event: E, listener: ForgeEvents[E]): () => void {
    return this.#add(event, listener, false);
  }

  /** Subscribes for one delivery (removed when first called, whether it succeeds or not). */
  once<E extends ForgeEventName>(event: E, listener: ForgeEvents[E]): () => void {
    return this.#add(event, listener, true);
  }

  /** Whether any listener is subscribed to `event` now. */
  hasListeners(event: ForgeEventName): boolean {
    return (this.#subscriptions.get(event)?.size ?? 0) > 0;
  }

  /** The current subscriptions of an event, taking `once` ones off the bus. */
  #take(event: ForgeEventName): Subscription[] {
    const set = this.#subscriptions.get(event);
    if (!set) return [];
    const all = [...set];
    for (const s of all) if (s.once) set.delete(s);
    return all;
  }

  /**
   * Calls every listener now, in this process only, without waiting for promises (rejections
   * are reported). Not durable: FileForge's own events go through the outbox and
   * {@link EventBus.deliver}. For tests and in-process signals.
   */
  emit<E extends ForgeEventName>(event: E, payload: ForgeEventPayload<E>): void {
    for (const { listener } of this.#take(event)) {
      try {
        const result = (listener as (p: typeof payload) => unknown)(payload);
        if (result instanceof Promise) result.catch((error) => this.#onListenerError(error, event));
      } catch (error) {
        this.#onListenerError(error, event);
      }
    }
  }

  /**
   * Delivers an event to each listener not in `skip`, one after another, awaiting what a
   * listener returns for at most `timeoutMs` (then it counts as failed; its promise is left
   * to itself). Never rejects: failures are reported and returned. Used by the outbox
   * dispatcher, which retries the failed listeners only.
   */
  async deliver<E extends ForgeEventName>(
    event: E,
    payload: ForgeEventPayload<E>,
    options: { skip?: ReadonlySet<object>; timeoutMs?: number } = {},
  ): Promise<DeliveryResult> {
    const succeeded: object[] = [];
    const errors: unknown[] = [];
    for (const subscription of this.#take(event)) {
      if (options.skip?.has(subscription)) continue;
      try {
        const result = (subscription.listener as (p: typeof payload) => unknown)(payload);
        await withTimeout(result, options.timeoutMs ?? 30_000, event);
        succeeded.push(subscription);
      } catch (error) {
        errors.push(error);
        this.#onListenerError(error, event);
      }
    }
    return { succeeded, errors };
  }

  /** Removes every listener. */
  clear(): void {
    this.#subscriptions.clear();
  }
}
