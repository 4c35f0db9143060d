/**
 * Training off the event loop: {@link trainClassifierOffLoop} runs {@link trainClassifier} in a
 * `worker_threads` worker, so that a server goes on answering requests, uploads and webhooks
 * while a model of thousands of labels trains (half a second of CPU at 5,000 labels of the
 * generated corpus, more with longer real texts).
 *
 * How this works: each training starts one worker, which trains, posts its answer and ends;
 * no thread is kept between trainings (they come every 20 labels at most). The worker is sent
 * the examples cut to what the features read (`featureSubject`), the options, and the clock's
 * value read once here: the caller's clock is never called from the worker. It answers the
 * model, or the `FileForgeError` training threw (code, message and details), rebuilt here. A
 * worker that crashes, exits without an answer or answers something else rejects with
 * `INTERNAL`. It stays ref'd while it trains, since a script awaiting a training must not exit
 * under it, and is terminated as soon as it has answered.
 *
 * The worker's script: from the build, `dist/classifier/train-worker.js` (a tsup entry of its
 * own; this module is bundled at the root of `dist/`); from the sources (vitest, tsx), the
 * `train-worker.ts` beside this file, loaded through tsx's `tsImport` (on Node 20 a worker does
 * not inherit its parent's loader hooks). Where neither can be found (core bundled into another
 * program), training runs on the event loop as before, with a warning.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ErrorCode } from '../errors/codes.js';
import { FileForgeError } from '../errors/fileforge-error.js';
import type { ForgeLogger } from '../forge/options.js';
import { featureSubject } from './features.js';
import { trainClassifier } from './train.js';
import type { ClassifierModel, LabelledExample, TrainOptions } from './types.js';

/**
 * Below this many examples training stays on the event loop, where it blocks it about as long
 * as the worker path would (copying the examples in and the model out) and answers sooner.
 * Measured with the built package on bare Node 20 (shared 2-core VM, generated corpus, the
 * longest gap of a 1 ms interval): in-process training blocks 2–4 ms at 20 labels, 4–5 ms at
 * 50, 7–8 ms at 100, 12–18 ms at 150 and 110–130 ms at 1,500; the worker path blocks 2–5 ms
 * below 150 labels and 5–10 ms up to 5,000, and adds 28–38 ms to the caller's wait to start
 * the thread and load the training code.
 */
export const IN_PROCESS_BELOW = 50;

/** What the training worker is given as its `workerData` (structured-cloned). */
export interface TrainingRequest {
  examples: LabelledExample[];
  options: Omit<TrainOptions, 'now'>;
  /** The clock's value, read once by the caller: the model's `trainedAt`. */
  now: number;
}

/** What the training worker posts back: the model, or the error training threw. */
export type TrainingAnswer =
  | { model: ClassifierModel }
  | { error: { code?: string; message: string; details?: Record<string, unknown> | undefined } };

/** A worker script: a file URL, or source evaluated by the worker (`eval: true`). */
export interface TrainingWorkerEntry {
  script: URL | string;
  eval?: boolean;
}

/** Options of {@link trainClassifierOffLoop}: those of {@link trainClassifier}, and: */
export interface TrainOffLoopOptions extends TrainOptions {
  /** Stops the training: the worker is terminated and the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Fewer examples than this train on the event loop (faster for the caller; they block it
   * only for a few milliseconds). `0` always uses a worker. @default IN_PROCESS_BELOW (50)
   */
  inProcessBelow?: number;
  /** Told, once per process, when no worker script can be found and training stays in-process. */
  logger?: Pick<ForgeLogger, 'warn'>;
}

/** The worker script for this copy of the code, or `null` and why there is none. */
type WorkerLookup = { entry: TrainingWorkerEntry; reason?: never } | { entry: null; reason: string };

let resolved: WorkerLookup | undefined;
let warned = false;

/** Finds the worker script once per process (see the module's comment). */
function trainingWorker(): WorkerLookup {
  if (resolved) return resolved;
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const script = new URL('./train-worker.ts', here).href;
    try {
      const tsx = import.meta.resolve('tsx/esm/api');
      const source = `import(${JSON.stringify(tsx)}).then((tsx) => tsx.tsImport(${JSON.stringify(script)}, ${JSON.stringify(here)}));`;
      resolved = { entry: { script: source, eval: true } };
    } catch {
      resolved = { entry: null, reason: 'running from the TypeScript sources without tsx installed' };
    }
  } else {
    const script = new URL('./classifier/train-worker.js', here);
    resolved = existsSync(script)
      ? { entry: { script } }
      : {
          entry: null,
          reason: `${fileURLToPath(script)} is missing (@fileforge/core bundled into another program?)`,
        };
  }
  return resolved;
}

/**
 * {@link trainClassifier} without blocking the event loop: the same model (byte for byte, for
 * the same examples, options and clock value) trained in a worker thread, or the same error
 * (`VALIDATION_FAILED` with its message and details). The clock is read once, when called.
 * Internal: the sorter trains through it; `trainClassifier` stays the synchronous public API.
 *
 * @throws FileForgeError `VALIDATION_FAILED` as {@link trainClassifier}; `INTERNAL` when the
 *   worker crashes or exits without a model; the signal's reason when aborted
 */
export async function trainClassifierOffLoop(
  examples: readonly LabelledExample[],
  options: TrainOffLoopOptions = {},
): Promise<ClassifierModel> {
  const { signal, inProcessBelow = IN_PROCESS_BELOW, logger, now = Date.now, ...train } = options;
  signal?.throwIfAborted();
  const at = now();
  const worker = examples.length < inProcessBelow ? null : trainingWorker();
  if (!worker?.entry) {
    if (worker?.reason && !warned) {
      warned = true;
      logger?.warn({ reason: worker.reason }, 'classifier trains on the event loop: no training worker');
    }
    return trainClassifier(examples, { ...train, now: () => at });
  }
  const request: TrainingRequest = {
    examples: examples.map((e) => ({ subject: featureSubject(e.subject), category: e.category })),
    options: train,
    now: at,
  };
  return runTrainingWorker(worker.entry, request, signal);
}

const failed = (what: string, cause?: unknown) =>
  new FileForgeError(ErrorCode.INTERNAL, `[fileforge:classifier] The training worker ${what}`, { cause });

/** The model of a worker's answer, or the error it stands for. */
function modelOf(message: unknown): ClassifierModel {
  const answer = (typeof message === 'object' && message !== null ? message : {}) as Partial<
    Record<'model' | 'error', unknown>
  >;
  if (typeof answer.model === 'object' && answer.model !== null) return answer.model as ClassifierModel;
  const error = answer.error as { code?: unknown; message?: unknown; details?: Record<string, unknown> };
  if (typeof error?.message !== 'string') throw failed('answered without a model');
  if (typeof error.code === 'string' && Object.hasOwn(ErrorCode, error.code)) {
    throw new FileForgeError(error.code as ErrorCode, error.message, { details: error.details });
  }
  throw failed(`failed: ${error.message}`);
}

/**
 * Runs one training in a new worker started from `entry`; settles once, on its first answer,
 * error, exit or abort, and terminates it. Every listener is attached as the worker is made.
 * Exported for tests, which start scripts that crash or exit.
 */
export function runTrainingWorker(
  entry: TrainingWorkerEntry,
  request: TrainingRequest,
  signal?: AbortSignal,
): Promise<ClassifierModel> {
  return new Promise<ClassifierModel>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(entry.script, {
        eval: entry.eval === true,
        workerData: request,
        // Not the parent's flags, which a worker inherits by default: it only trains, and some
        // stop it from starting (`--input-type` of a `node -e` script).
        execArgv: [],
      });
    } catch (error) {
      reject(failed(`could not start: ${error instanceof Error ? error.message : String(error)}`, error));
      return;
    }
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      // Resolves once the thread is gone (at once when it already exited).
      worker.terminate().then(
        () => {},
        () => {},
      );
      outcome();
    };
    const onAbort = () => settle(() => reject(signal?.reason));
    worker.on('message', (message: unknown) =>
      settle(() => {
        try {
          resolve(modelOf(message));
        } catch (error) {
          reject(error);
        }
      }),
    );
    worker.on('messageerror', (error) => settle(() => reject(failed('sent an unreadable answer', error))));
    worker.on('error', (error) => settle(() => reject(failed(`crashed: ${error.message}`, error))));
    worker.on('exit', (code) => settle(() => reject(failed(`exited (code ${code}) without a model`))));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
