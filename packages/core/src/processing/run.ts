import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { DerivativeRecord } from '../model/index.js';
import type { DerivativeOutput, Processor, ProcessorFile } from './processor.js';

/** Options for {@link runProcessors}. */
export interface RunProcessorsOptions {
  file: ProcessorFile;
  processors: readonly Processor[];
  /** The job's signal: aborting it (shutdown) aborts the run with `ABORTED`. */
  signal: AbortSignal;
  /** Budget for processors that set no `timeoutMs`. */
  defaultTimeoutMs: number;
  addDerivative(output: DerivativeOutput): Promise<DerivativeRecord>;
}

/** Faults of FileForge's own storage or catalog: not the file's fault, so the job is retried. */
export const INFRASTRUCTURE_CODES: ReadonlySet<string> = new Set([
  ErrorCode.INSUFFICIENT_STORAGE,
  ErrorCode.STORAGE_UNAVAILABLE,
  ErrorCode.CATALOG_UNAVAILABLE,
]);

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs each processor in turn with its own time budget and returns their results keyed by
 * processor name. The first failure stops the run and is thrown as a `FileForgeError`:
 * `CONTENT_REJECTED` as the processor raised it, `PROCESSOR_TIMEOUT` when the budget ran
 * out (the processor's signal is aborted too), `PROCESSOR_FAILED` for anything else, and
 * `ABORTED` when the caller's signal fired.
 */
export async function runProcessors(options: RunProcessorsOptions): Promise<Record<string, unknown>> {
  const { file, signal } = options;
  const results: Record<string, unknown> = {};
  for (const processor of options.processors) {
    signal.throwIfAborted();
    const timeoutMs = processor.timeoutMs ?? options.defaultTimeoutMs;
    const controller = new AbortController();
    const forward = () => controller.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new FileForgeError(
          ErrorCode.PROCESSOR_TIMEOUT,
          `[fileforge:processors] Processor "${processor.name}" did not finish within ${timeoutMs} ms`,
          { details: { processor: processor.name, timeoutMs } },
        );
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    });
    const context = { signal: controller.signal, addDerivative: options.addDerivative };
    const work = (async () => {
      const extracted = processor.extractMetadata ? await processor.extractMetadata(file, context) : {};
      const processed = processor.process ? await processor.process(file, context) : undefined;
      return { ...extracted, ...processed?.metadata };
    })();
    work.catch(() => {}); // a timed-out processor may still reject later
    try {
      results[processor.name] = await Promise.race([work, timeout]);
    } catch (error) {
      if (signal.aborted) {
        throw new FileForgeError(ErrorCode.ABORTED, '[fileforge:processors] Processing aborted', {
          cause: error,
        });
      }
      if (
        FileForgeError.is(error) &&
        (error.code === 'CONTENT_REJECTED' || error.code === 'PROCESSOR_TIMEOUT')
      ) {
        throw new FileForgeError(error.code, error.message, {
          cause: error.cause,
          details: { processor: processor.name, ...error.details },
        });
      }
      throw new FileForgeError(
        ErrorCode.PROCESSOR_FAILED,
        `[fileforge:processors] Processor "${processor.name}" failed: ${message(error)}`,
        { cause: error, details: { processor: processor.name } },
      );
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', forward);
    }
  }
  return results;
}
