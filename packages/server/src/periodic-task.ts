/**
 * A task that runs every interval for as long as the server is up (scheduled backups, the
 * orphan sweep). The timer is unref'd, so it never keeps a process alive; the next run is
 * scheduled only once the previous one has settled, so runs never overlap; a failed run is
 * reported and the next interval tries again; {@link PeriodicTask.stop} aborts and waits for a
 * run in progress.
 *
 * @module
 */

/** Options for {@link createPeriodicTask}. */
export interface PeriodicTaskOptions {
  /** Time between runs; the first runs one interval after the start. */
  intervalMs: number;
  /** One run; `signal` aborts when the task is stopped. */
  run: (signal: AbortSignal) => Promise<void>;
  /** Called when a run fails, unless the failure is the stop aborting it. */
  onError: (error: unknown) => void;
}

/** A running periodic task. */
export interface PeriodicTask {
  /** Stops the timer and waits for (aborts) a run in progress. */
  stop(): Promise<void>;
}

/**
 * Starts running `run` every `intervalMs`.
 *
 * @example
 * const task = createPeriodicTask({
 *   intervalMs: 60_000,
 *   run: (signal) => sweep({ signal }),
 *   onError: (err) => logger.error({ err }, 'sweep failed; trying again at the next interval'),
 * });
 * await task.stop();
 */
export function createPeriodicTask({ intervalMs, run, onError }: PeriodicTaskOptions): PeriodicTask {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const runOnce = async () => {
    try {
      await run(controller.signal);
    } catch (error) {
      if (controller.signal.aborted) return;
      onError(error);
    }
  };
  const schedule = () => {
    if (controller.signal.aborted) return;
    timer = setTimeout(() => {
      running = runOnce().finally(() => {
        running = undefined;
        schedule();
      });
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      controller.abort();
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
