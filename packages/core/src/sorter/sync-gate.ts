/**
 * When the sorter may make a metadata call (`link`, `unlink`) synchronously. On a local disk
 * such a call takes a few microseconds, and its `fs.promises` form spends several times that
 * handing it to libuv's thread pool and back: a run of thousands of moves is mostly that hand-
 * over. A gate lets a run make its calls synchronously while they stay fast, and closes for
 * the rest of the run once they are often slow (a network or overloaded filesystem), where
 * blocking the event loop would cost more than the hand-over; the asynchronous path then runs
 * as before. Slow calls among many fast ones (the process descheduled, or the disk's journal
 * busy, on a loaded machine) leave it open. While open, it also hands the event loop a turn every few milliseconds, so
 * timers, signals and I/O are never held up for long.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';

/** Options of {@link createSyncGate}. */
export interface SyncGateOptions {
  /**
   * A synchronous call slower than this is slow. More than 8 slow calls that are also more
   * than a quarter of the calls close the gate for good (the run goes on with the asynchronous
   * calls). Lower keeps the event loop freer on slow filesystems; higher keeps the fast path
   * on a briefly busy disk.
   * @default 1
   */
  slowMs?: number;
  /**
   * Synchronous work between two turns handed to the event loop (see {@link SyncGate.pause}).
   * @default 10
   */
  sliceMs?: number;
  /** Start closed: every call asynchronous (tests, injected filesystem calls). @default false */
  closed?: boolean;
  /** Milliseconds clock. @default performance.now */
  now?: () => number;
}

/** See the module comment. */
export interface SyncGate {
  /** Whether the next call may be synchronous. */
  readonly open: boolean;
  /**
   * Runs `call` synchronously and times it (the gate closes when it was slow). Only call it
   * while {@link open}; errors are thrown as the call threw them.
   */
  run<T>(call: () => T): T;
  /** Resolves at once, or after one event-loop turn when the gate's calls held it for a slice. */
  pause(): Promise<void> | undefined;
}

/**
 * Creates a gate for one run (see the module comment).
 *
 * @example
 * ```ts
 * const gate = createSyncGate();
 * if (gate.open) gate.run(() => linkSync(from, to));
 * else await link(from, to);
 * await gate.pause();
 * ```
 */
export function createSyncGate(options: SyncGateOptions = {}): SyncGate {
  const now = options.now ?? (() => performance.now());
  const slowMs = options.slowMs ?? 1;
  let calls = 0;
  let slow = 0;
  const sliceMs = options.sliceMs ?? 10;
  let open = options.closed !== true;
  let sliceStart = now();
  return {
    get open() {
      return open;
    },
    run(call) {
      const start = now();
      try {
        return call();
      } finally {
        calls++;
        if (now() - start > slowMs && ++slow > 8 && slow * 4 > calls) open = false;
      }
    },
    pause() {
      if (now() - sliceStart < sliceMs) return undefined;
      return new Promise<void>((resolve) =>
        setImmediate(() => {
          sliceStart = now();
          resolve();
        }),
      );
    },
  };
}
