/**
 * Live file events for server-sent-event streams: one subscription per `file.*` event on the
 * forge's bus, fanned out to the streams of the event's tenant. Each stream gets a slim view of
 * the file (what a list row shows, never its extracted text), in bus order, and a heartbeat
 * comment every `heartbeatMs` so proxies keep the connection open and a dead one is noticed.
 *
 * @module
 */
import { type EventBus, type FileEvent, type FileRecord, typeFamilyOf } from '@fileforge/core';

/** The `file.*` events a stream carries. */
export const LIVE_FILE_EVENTS = [
  'file.uploaded',
  'file.processed',
  'file.failed',
  'file.classified',
  'file.sorted',
  'file.deleted',
] as const;

/** One event as a stream sends it (`data:` is this object as JSON). */
export interface LiveFileEvent {
  /** The event's stable id (also the SSE `id`). */
  eventId: string;
  type: (typeof LIVE_FILE_EVENTS)[number];
  timestamp: string;
  file: {
    id: string;
    name: string;
    status: FileRecord['status'];
    mime: string;
    typeFamily: string;
    size: number;
    category: string | null;
    path: string | null;
    error: FileRecord['error'];
    updatedAt: string;
  };
}

/** Where a stream's events go: the route writes them out. */
export interface LiveStreamSink {
  send(event: LiveFileEvent): void;
  heartbeat(): void;
  /** The hub is closing (server shutdown): end the stream. */
  end(): void;
}

/** What {@link createLiveEvents} returns. */
export interface LiveEvents {
  /** Adds a stream of `tenant`; returns its unsubscribe. Throws when the hub is closed. */
  subscribe(tenant: string, sink: LiveStreamSink): () => void;
  /** Streams open now. */
  readonly size: number;
  readonly closed: boolean;
  /** Ends every stream and stops listening. Idempotent. */
  close(): void;
}

/** Options for {@link createLiveEvents}. */
export interface LiveEventsOptions {
  /** How often each stream gets a heartbeat comment. @default 15000 */
  heartbeatMs?: number;
}

const slim = (type: LiveFileEvent['type'], event: FileEvent): LiveFileEvent => ({
  eventId: event.eventId,
  type,
  timestamp: event.timestamp,
  file: {
    id: event.file.id,
    name: event.file.name,
    status: event.file.status,
    mime: event.file.mime,
    typeFamily: typeFamilyOf(event.file.mime),
    size: event.file.size,
    category: event.file.category ?? null,
    path: event.file.path ?? null,
    error: event.file.error,
    updatedAt: event.file.updatedAt,
  },
});

/**
 * Subscribes to the bus once for all streams. Bus delivery never waits on a stream: a sink's
 * `send` only queues a write, and a sink that throws is dropped.
 */
export function createLiveEvents(bus: EventBus, options: LiveEventsOptions = {}): LiveEvents {
  const streams = new Map<string, Set<LiveStreamSink>>();
  let count = 0;
  let closed = false;
  const drop = (tenant: string, sink: LiveStreamSink) => {
    const set = streams.get(tenant);
    if (set?.delete(sink)) count--;
    if (set?.size === 0) streams.delete(tenant);
  };
  const unsubscribers = LIVE_FILE_EVENTS.map((type) =>
    bus.on(type, (event: FileEvent) => {
      const set = streams.get(event.tenant);
      if (!set) return;
      const payload = slim(type, event);
      for (const sink of [...set]) {
        try {
          sink.send(payload);
        } catch {
          drop(event.tenant, sink);
        }
      }
    }),
  );
  const heartbeat = setInterval(() => {
    for (const [tenant, set] of streams) {
      for (const sink of [...set]) {
        try {
          sink.heartbeat();
        } catch {
          drop(tenant, sink);
        }
      }
    }
  }, options.heartbeatMs ?? 15_000);
  heartbeat.unref();

  return {
    subscribe(tenant, sink) {
      if (closed) throw new Error('[fileforge:server] live events are closed');
      const set = streams.get(tenant) ?? new Set<LiveStreamSink>();
      streams.set(tenant, set);
      if (!set.has(sink)) count++;
      set.add(sink);
      return () => drop(tenant, sink);
    },
    get size() {
      return count;
    },
    get closed() {
      return closed;
    },
    close() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      for (const off of unsubscribers) off();
      const all = [...streams.values()].flatMap((set) => [...set]);
      streams.clear();
      count = 0;
      for (const sink of all) {
        try {
          sink.end();
        } catch {
          // Already gone.
        }
      }
    },
  };
}
