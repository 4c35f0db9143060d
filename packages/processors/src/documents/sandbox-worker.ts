import { type ResourceLimits, Worker } from 'node:worker_threads';
import { ErrorCode, FileForgeError } from '@fileforge/core';

/** Options for {@link createSandbox}. */
export interface SandboxOptions {
  /** Subsystem named in messages, e.g. `pdf`. */
  scope: string;
  /**
   * The worker's script: CommonJS-style source run with `eval: true`. It answers every
   * `{ id, data }` message with `{ id, result, reusable }`; `reusable: false` when the worker
   * must not be given another job (it may still be busy with this one).
   */
  source: string;
  /** Handed to every worker of the sandbox (settings that do not change between jobs). */
  workerData?: unknown;
  resourceLimits: ResourceLimits;
  /** The `CONTENT_REJECTED` reason when a worker runs out of memory. */
  resourceLimitReason: string;
  /**
   * Jobs one worker runs before it is replaced. Starting a worker means a new V8 isolate and
   * loading the parser again (pdf.js: most of a job's CPU time, and native memory the
   * allocator keeps), so reuse is faster and steadier; a fresh worker per job (`1`) isolates
   * each input from the ones before it. Whatever this is, a worker that timed out, was aborted,
   * ran out of memory or crashed is never reused.
   * @default 1
   */
  maxJobsPerWorker?: number;
  /**
   * How long an idle worker waits for the next job before it is terminated, in ms, so an idle
   * process holds no parser isolate. Idle workers never keep the process alive.
   * @default 10000
   */
  idleMs?: number;
}

/** One job for {@link Sandbox.run}. */
export interface SandboxJob {
  data: unknown;
  transferList?: ArrayBuffer[];
  /** Wall-clock budget; past it the worker is terminated. */
  timeoutMs: number;
  signal: AbortSignal;
}

/** Runs untrusted parsing in worker threads; see {@link createSandbox}. */
export interface Sandbox {
  /** Resolves with the job's result. */
  run(job: SandboxJob): Promise<unknown>;
  /** Terminates the idle workers (jobs in flight finish; their workers are not kept). */
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  jobs: number;
  /** The job in flight, told when the worker answers, fails or exits. */
  current?: {
    answer(message: { id?: unknown; result?: unknown; reusable?: unknown }): void;
    fail(error: Error & { code?: string }): void;
    exit(code: number): void;
  };
  idleTimer?: NodeJS.Timeout;
}

/**
 * Runs untrusted parsing in worker threads.
 *
 * Why a worker: a parser fed hostile input can loop, recurse without end or allocate without
 * bound. Each worker gets its own V8 heap capped by `resourceLimits` (running out terminates
 * only the worker, with `ERR_WORKER_OUT_OF_MEMORY`), and a wall-clock timer terminates it when
 * a job takes too long, so the process and its other jobs carry on. One worker runs one job at
 * a time; concurrent jobs get workers of their own. A worker that answered normally is kept
 * (up to `maxJobsPerWorker` jobs, `idleMs` idle); any other ending terminates it. No timer
 * or idle worker keeps the process alive.
 *
 * `run` fails with `PROCESSOR_TIMEOUT` past `timeoutMs`, `CONTENT_REJECTED`
 * (`resourceLimitReason`) on out-of-memory, the signal's reason when aborted, and a plain
 * `Error` (→ `PROCESSOR_FAILED`) when the worker crashes or exits without answering.
 */
export function createSandbox(options: SandboxOptions): Sandbox {
  const { scope } = options;
  const maxJobs = options.maxJobsPerWorker ?? 1;
  const idleMs = options.idleMs ?? 10_000;
  const idle: Slot[] = [];
  let nextId = 0;
  let closed = false;

  const retire = (slot: Slot) => {
    clearTimeout(slot.idleTimer);
    const at = idle.indexOf(slot);
    if (at >= 0) idle.splice(at, 1);
    slot.current = undefined;
    return slot.worker.terminate().then(
      () => {},
      () => {},
    );
  };

  const spawn = (): Slot => {
    const worker = new Worker(options.source, {
      eval: true,
      workerData: options.workerData,
      resourceLimits: options.resourceLimits,
    });
    const slot: Slot = { worker, jobs: 0 };
    // Listeners for the worker's whole life: an idle worker that fails or exits is dropped.
    worker.on('message', (message) => slot.current?.answer(message ?? {}));
    worker.on('error', (error) => (slot.current ? slot.current.fail(error) : void retire(slot)));
    worker.on('exit', (code) => (slot.current ? slot.current.exit(code) : void retire(slot)));
    return slot;
  };

  const park = (slot: Slot) => {
    slot.current = undefined;
    if (closed || slot.jobs >= maxJobs) return void retire(slot);
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => void retire(slot), idleMs);
    slot.idleTimer.unref();
    idle.push(slot);
  };

  const take = (): Slot => {
    const slot = idle.pop() ?? spawn();
    clearTimeout(slot.idleTimer);
    slot.worker.ref();
    slot.jobs++;
    return slot;
  };

  return {
    run(job) {
      const { signal } = job;
      signal.throwIfAborted();
      const slot = take();
      const id = ++nextId;
      return new Promise<unknown>((resolve, reject) => {
        let settled = false;
        const finish = (reusable: boolean, settle: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          if (reusable) park(slot);
          else void retire(slot);
          settle();
        };
        const timer = setTimeout(() => {
          finish(false, () =>
            reject(
              new FileForgeError(
                ErrorCode.PROCESSOR_TIMEOUT,
                `[fileforge:${scope}] Parsing did not finish within ${job.timeoutMs} ms; the worker was terminated`,
                { details: { timeoutMs: job.timeoutMs } },
              ),
            ),
          );
        }, job.timeoutMs);
        const onAbort = () => finish(false, () => reject(signal.reason));
        signal.addEventListener('abort', onAbort, { once: true });
        slot.current = {
          answer(message) {
            if (message.id !== id) return;
            finish(message.reusable === true, () => resolve(message.result));
          },
          fail(error) {
            if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
              finish(false, () =>
                reject(
                  new FileForgeError(
                    ErrorCode.CONTENT_REJECTED,
                    `[fileforge:${scope}] Parsing needed more memory than the worker's limit`,
                    { cause: error, details: { reason: options.resourceLimitReason } },
                  ),
                ),
              );
              return;
            }
            finish(false, () =>
              reject(
                new Error(`[fileforge:${scope}] The parser worker crashed: ${error.message}`, {
                  cause: error,
                }),
              ),
            );
          },
          exit(code) {
            finish(false, () =>
              reject(
                new Error(`[fileforge:${scope}] The parser worker exited (code ${code}) without a result`),
              ),
            );
          },
        };
        slot.worker.postMessage({ id, data: job.data }, job.transferList ?? []);
      });
    },
    async close() {
      closed = true;
      await Promise.all(idle.slice().map(retire));
    },
  };
}
