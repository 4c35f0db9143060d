/**
 * Runs executed in this process without a queue job each: how the workflow engine dispatches
 * when its forge is the only process on its catalog (an embedded forge on the SQLite catalog
 * of its locked data directory).
 *
 * How this works: the run's own row is what makes it durable. It is committed `pending`
 * before it is handed here, and at start-up the engine hands over again every run still
 * `pending` or `running` (nothing else can hold one: the data-directory lock keeps other
 * processes off the catalog). So a queue job per run would only add its insert, claim and
 * finish (three writes and a commit of their own) to every run. Here runs wait in memory in
 * the order they came, `concurrency` execute at once, and one run is never executed twice
 * at once: a run handed over again while it waits is ignored, while it executes it is run
 * once more after (and then finds itself final, or resumes what is left). An execution that
 * throws (the catalog refused a change) is retried after an exponential backoff, up to
 * `maxAttempts` executions, after which `giveUp` ends the run. `close` stops taking runs,
 * waits up to its grace for the executing ones, then aborts them: what is left stays in the
 * catalog and resumes on the next start. Retry timers are unref'd, as the queue's are.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { type Backoff, exponentialBackoff } from '../queue/backoff.js';

/** Waiting runs that keep the run their creator stored (a few KiB each); later ones read theirs back. */
const KEEP_CREATED = 1000;

/** What a run is executed with. */
export interface LocalRunRequest<Created> {
  tenant: string;
  runId: string;
  /** The run as its creator just stored it (saves reading it back); first execution only. */
  created?: Created;
}

/** Options for {@link createLocalRuns}. */
export interface LocalRunsOptions<Created> {
  /** Runs executing at once. */
  concurrency: number;
  /** Executions of one run before `giveUp`. */
  maxAttempts: number;
  /** Delay before execution number n + 1 after n failed. @default exponentialBackoff() */
  backoff?: Backoff;
  /** Executes a run to its end; throws to be retried. */
  execute(request: LocalRunRequest<Created>, signal: AbortSignal): Promise<unknown>;
  /** Called once a run's last execution threw. */
  giveUp(request: LocalRunRequest<Created>, error: unknown): Promise<void>;
  /** Told of each execution that threw and will be retried. */
  onRetry?(request: LocalRunRequest<Created>, error: unknown, attempt: number): void;
}

/** Runs executed in this process (see the module comment). */
export interface LocalRuns<Created> {
  /** Hands a run over; it executes once started and a slot is free. `SHUTTING_DOWN` once closed. */
  dispatch(request: LocalRunRequest<Created>): void;
  /** Starts executing (runs handed over before wait until then). */
  start(): void;
  /**
   * Forgets a run waiting to start or for a retry (it was cancelled: executing it would only
   * find it final), so `onIdle()` does not wait for it; one executing is left to its execution.
   */
  drop(runId: string): void;
  /** Resolves once no run waits, executes or waits for a retry. */
  onIdle(): Promise<void>;
  /** Whether a run waits, executes or waits for a retry. */
  readonly busy: boolean;
  /**
   * Runs waiting (to start, or for a retry) and executing now: what `forge.queue.stats()` adds
   * to its jobs' `pending` and `running`, so a burst of runs shows in the health check and metrics.
   */
  readonly counts: { pending: number; running: number };
  /**
   * Stops taking runs and drops the waiting ones (they resume on the next start), waits up to
   * `graceMs` for the executing ones, then aborts them and waits for them to stop.
   */
  close(graceMs: number): Promise<void>;
}

interface Entry<Created> {
  request: LocalRunRequest<Created>;
  /** Executions that threw so far. */
  failures: number;
  /** Handed over again while executing: executed once more after. */
  again?: boolean;
}

/** Creates the in-process run dispatch of {@link LocalRuns}. */
export function createLocalRuns<Created>(options: LocalRunsOptions<Created>): LocalRuns<Created> {
  const backoff = options.backoff ?? exponentialBackoff();
  const waiting: Entry<Created>[] = [];
  /** Every run here: waiting, executing or waiting for a retry, by id. */
  const known = new Map<string, Entry<Created>>();
  const executing = new Map<
    string,
    { entry: Entry<Created>; controller: AbortController; done: Promise<void> }
  >();
  const retries = new Map<string, NodeJS.Timeout>();
  let idleWaiters: Array<() => void> = [];
  let started = false;
  let closed = false;
  let closing: Promise<void> | undefined;

  const settleIdle = () => {
    if (known.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  function pump(): void {
    while (started && !closed && executing.size < options.concurrency && waiting.length > 0) {
      const entry = waiting.shift()!;
      const controller = new AbortController();
      const slot = { entry, controller, done: Promise.resolve() };
      executing.set(entry.request.runId, slot);
      slot.done = execute(entry, controller.signal);
    }
    settleIdle();
  }

  async function execute(entry: Entry<Created>, signal: AbortSignal): Promise<void> {
    const { request } = entry;
    let failed: unknown;
    let threw = false;
    try {
      await options.execute(request, signal);
    } catch (error) {
      threw = true;
      failed = error;
    }
    // Only the first execution may skip reading the run back.
    delete request.created;
    if (threw && !closed) entry.failures++;
    const givingUp = threw && !closed && entry.failures >= options.maxAttempts;
    // Still executing while it is given up: `onIdle` and `close` wait for that too.
    if (givingUp) await options.giveUp(request, failed).catch(() => {});
    executing.delete(request.runId);
    if (closed || givingUp) {
      known.delete(request.runId);
    } else if (threw) {
      // The retry reads the run afresh: it covers a hand-over that came meanwhile.
      entry.again = false;
      options.onRetry?.(request, failed, entry.failures);
      const timer = setTimeout(() => {
        retries.delete(request.runId);
        waiting.push(entry);
        pump();
      }, backoff(entry.failures));
      timer.unref();
      retries.set(request.runId, timer);
    } else if (entry.again) {
      // A new hand-over: a round of attempts of its own.
      entry.again = false;
      entry.failures = 0;
      waiting.push(entry);
    } else {
      known.delete(request.runId);
    }
    pump();
  }

  return {
    dispatch(request) {
      if (closed) {
        throw new FileForgeError(
          ErrorCode.SHUTTING_DOWN,
          '[fileforge:workflows] The forge is closing; the run starts on the next start',
        );
      }
      const entry = known.get(request.runId);
      if (entry) {
        if (executing.has(request.runId)) entry.again = true;
        return;
      }
      // Past KEEP_CREATED waiting runs only ids are held (each reads its run back), so a burst
      // of runs costs little memory.
      const { created, ...rest } = request;
      const keep = created !== undefined && waiting.length < KEEP_CREATED;
      const fresh: Entry<Created> = { request: keep ? { ...rest, created } : rest, failures: 0 };
      known.set(request.runId, fresh);
      waiting.push(fresh);
      pump();
    },
    start() {
      started = true;
      pump();
    },
    drop(runId) {
      const entry = known.get(runId);
      if (!entry || executing.has(runId)) return;
      clearTimeout(retries.get(runId));
      retries.delete(runId);
      const at = waiting.indexOf(entry);
      if (at >= 0) waiting.splice(at, 1);
      known.delete(runId);
      settleIdle();
    },
    get busy() {
      return known.size > 0;
    },
    get counts() {
      return { pending: known.size - executing.size, running: executing.size };
    },
    onIdle() {
      if (closing) return closing;
      if (known.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    close(graceMs) {
      closing ??= stop(graceMs);
      return closing;
    },
  };

  async function stop(graceMs: number): Promise<void> {
    closed = true;
    // Runs waiting for a retry resume on the next start too: not counted while the grace runs.
    for (const [runId, timer] of retries) {
      clearTimeout(timer);
      known.delete(runId);
    }
    retries.clear();
    for (const entry of waiting.splice(0)) known.delete(entry.request.runId);
    const running = [...executing.values()];
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
      timer.unref();
    });
    await Promise.race([Promise.all(running.map((r) => r.done)), grace]);
    clearTimeout(timer);
    const interrupted = new FileForgeError(
      ErrorCode.SHUTTING_DOWN,
      '[fileforge:workflows] The forge closed; the run resumes on the next start',
    );
    for (const r of executing.values()) r.controller.abort(interrupted);
    await Promise.all(running.map((r) => r.done));
    known.clear();
    settleIdle();
  }
}
