import { type ResourceLimits, Worker } from 'node:worker_threads';
import { ErrorCode, FileForgeError } from '@fileforge/core';

/** Options for {@link runSandboxed}. */
export interface SandboxOptions {
  /** Subsystem named in messages, e.g. `pdf`. */
  scope: string;
  /** The worker's script: CommonJS-style source run with `eval: true`. */
  source: string;
  workerData: unknown;
  transferList?: ArrayBuffer[];
  resourceLimits: ResourceLimits;
  /** Wall-clock budget; past it the worker is terminated. */
  timeoutMs: number;
  /** The `CONTENT_REJECTED` reason when the worker runs out of memory. */
  resourceLimitReason: string;
  signal: AbortSignal;
}

/**
 * Runs untrusted parsing in a worker thread and resolves with the first message it posts.
 *
 * Why a worker: a parser fed hostile input can loop, recurse without end or allocate without
 * bound. The worker gets its own V8 heap capped by `resourceLimits` (running out terminates
 * only the worker, with `ERR_WORKER_OUT_OF_MEMORY`), and a wall-clock timer terminates it when
 * it takes too long, so the process and its other jobs carry on. The worker is always
 * terminated when the promise settles; no timer outlives it.
 *
 * Fails with `PROCESSOR_TIMEOUT` past `timeoutMs`, `CONTENT_REJECTED` (`resourceLimitReason`)
 * on out-of-memory, the signal's reason when aborted, and a plain `Error` (→ `PROCESSOR_FAILED`)
 * when the worker crashes or exits without answering.
 */
export function runSandboxed(options: SandboxOptions): Promise<unknown> {
  const { scope, signal } = options;
  signal.throwIfAborted();
  const worker = new Worker(options.source, {
    eval: true,
    workerData: options.workerData,
    transferList: options.transferList ?? [],
    resourceLimits: options.resourceLimits,
  });
  return new Promise<unknown>((resolve, reject) => {
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      void worker.terminate().catch(() => {});
      settle();
    };
    const timer = setTimeout(() => {
      finish(() =>
        reject(
          new FileForgeError(
            ErrorCode.PROCESSOR_TIMEOUT,
            `[fileforge:${scope}] Parsing did not finish within ${options.timeoutMs} ms; the worker was terminated`,
            { details: { timeoutMs: options.timeoutMs } },
          ),
        ),
      );
    }, options.timeoutMs);
    const onAbort = () => finish(() => reject(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (message: unknown) => finish(() => resolve(message)));
    worker.once('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        finish(() =>
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
      finish(() =>
        reject(
          new Error(`[fileforge:${scope}] The parser worker crashed: ${error.message}`, { cause: error }),
        ),
      );
    });
    worker.once('exit', (code) => {
      finish(() =>
        reject(new Error(`[fileforge:${scope}] The parser worker exited (code ${code}) without a result`)),
      );
    });
  });
}
