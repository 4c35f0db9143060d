/**
 * The training worker's entry (a `worker_threads` script, built as its own file): trains one
 * classifier from its `workerData` ({@link TrainingRequest}), posts one
 * {@link TrainingAnswer} and ends. See `train-thread.ts`, which starts it.
 *
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FileForgeError } from '../errors/fileforge-error.js';
import { trainClassifier } from './train.js';
import type { TrainingAnswer, TrainingRequest } from './train-thread.js';

function answer(request: TrainingRequest): TrainingAnswer {
  try {
    return { model: trainClassifier(request.examples, { ...request.options, now: () => request.now }) };
  } catch (error) {
    // Only code, message and details cross the thread: what the caller's error is rebuilt from.
    if (FileForgeError.is(error)) {
      return { error: { code: error.code, message: error.message, details: error.details } };
    }
    return { error: { message: error instanceof Error ? error.message : String(error) } };
  }
}

parentPort?.postMessage(answer(workerData as TrainingRequest));
