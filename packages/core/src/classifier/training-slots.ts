/**
 * Slots for trainings: each training runs on a thread of its own with a copy of its labels,
 * so a process runs at most a few at once (one fewer than its cores, at least one) and the
 * rest wait in turn, first come first served. Twenty trainings asked for at once (twenty
 * tenants retraining, or a burst of `POST /api/v1/classifier/train`) otherwise start twenty
 * threads and twenty copies of the labels: 955 MB at their peak with 1,000 labels each,
 * against 200 MB one at a time.
 *
 * @module
 */
import { availableParallelism } from 'node:os';

/** A bound on work running at once; see {@link createSlots}. */
export interface Slots {
  /**
   * Runs `task` once a slot is free and frees it when `task` settles. Aborting `signal` while
   * waiting leaves the line (rejecting with the signal's reason; `task` never runs).
   */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/** Creates `size` slots, handed out in the order they were asked for. */
export function createSlots(size: number): Slots {
  let free = size;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  const take = (signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      signal?.throwIfAborted();
      if (free > 0) {
        free--;
        resolve();
        return;
      }
      const onAbort = () => {
        const at = waiting.indexOf(granted);
        if (at >= 0) waiting.splice(at, 1);
        reject(signal?.reason);
      };
      const granted = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      waiting.push(granted);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  return {
    async run(task, signal) {
      await take(signal);
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}

/** The trainings of this process: one fewer than its cores, at least one. */
export const trainingSlots: Slots = createSlots(Math.max(1, availableParallelism() - 1));
