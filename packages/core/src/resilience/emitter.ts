/** A listener for one event of an event map. */
export type Listener<Payload> = (payload: Payload) => void;

/** Removes the listener it was returned for; calling it again does nothing. */
export type Unsubscribe = () => void;

/**
 * A minimal typed event emitter. Listeners run synchronously in the order they were added; a
 * listener that throws is reported with `process.emitWarning` and never reaches the emitting
 * primitive, so an observer cannot break a breaker. Emitting to no listener costs one lookup.
 */
export class Emitter<Events extends object> {
  private readonly listeners: { [K in keyof Events]?: Listener<Events[K]>[] } = {};

  /** Adds `listener` for `event`; returns a function that removes it. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): Unsubscribe {
    const list = this.listeners[event];
    // copy on write: an emit in progress keeps iterating the array it started with
    this.listeners[event] = list ? [...list, listener] : [listener];
    return () => {
      const current = this.listeners[event];
      if (!current) return;
      const rest = current.filter((l) => l !== listener);
      this.listeners[event] = rest.length > 0 ? rest : undefined;
    };
  }

  /** Whether anything listens to `event` (lets hot paths skip building a payload). */
  has(event: keyof Events): boolean {
    return this.listeners[event] !== undefined;
  }

  /** Calls every listener of `event` with `payload`. */
  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const list = this.listeners[event];
    if (!list) return;
    for (const listener of list) {
      try {
        listener(payload);
      } catch (error) {
        process.emitWarning(
          `[fileforge:resilience] A "${String(event)}" listener threw: ${error instanceof Error ? error.message : String(error)}`,
          { code: 'FILEFORGE_LISTENER_ERROR' },
        );
      }
    }
  }
}
