import { ErrorCode } from '../errors/codes.js';
import { FileForgeError } from '../errors/fileforge-error.js';

/**
 * The error to throw when the caller's signal fired: its reason when that is already a
 * FileForge error (e.g. `ABORTED` from a closing queue, `TIMEOUT` from an outer deadline),
 * otherwise `ABORTED` with the reason kept as `cause`.
 */
export function abortError(signal: AbortSignal, subsystem: string): FileForgeError {
  if (FileForgeError.is(signal.reason)) return signal.reason;
  return new FileForgeError(ErrorCode.ABORTED, `[fileforge:${subsystem}] Operation aborted`, {
    cause: signal.reason,
  });
}

/**
 * Waits `ms` milliseconds; rejects at once (see {@link abortError}) when `signal` aborts,
 * clearing the timer and its listener so nothing is left behind.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal, 'retry'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!, 'retry'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
