import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { DerivativeRecord } from '../model/index.js';
import type { DerivativeOutput, Processor, ProcessorFile, RecognisedType } from './processor.js';

/** Options for {@link runProcessors}. */
export interface RunProcessorsOptions {
  file: ProcessorFile;
  processors: readonly Processor[];
  /** The job's signal: aborting it (shutdown) aborts the run with `ABORTED`. */
  signal: AbortSignal;
  /** Budget for processors that set no `timeoutMs`. */
  defaultTimeoutMs: number;
  addDerivative(output: DerivativeOutput): Promise<DerivativeRecord>;
  /**
   * Called when a processor recognises the file's type (`ProcessResult.type`); the caller
   * records it with the run's results. Without it such a type is ignored.
   */
  onType?(type: RecognisedType): void;
}

const TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
const EXT = /^[a-z0-9]{1,16}$/;

/** A processor's `type`, checked: lower-case `type/subtype` without parameters and a plain extension. */
function recognisedType(processor: string, type: RecognisedType): RecognisedType {
  if (!TYPE.test(String(type?.mime)) || !EXT.test(String(type?.ext))) {
    throw new FileForgeError(
      ErrorCode.PROCESSOR_FAILED,
      `[fileforge:processors] Processor "${processor}" returned an invalid type ${JSON.stringify(type)}`,
      { details: { processor } },
    );
  }
  return { mime: type.mime, ext: type.ext };
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
 * processor name (none for a processor with only `process()` that returned `undefined`: the
 * file was not one it handles after all). A processor's recognised `type` goes to `onType`
 * and into `file.record` for the processors after it. The first failure stops the run and is thrown as a `FileForgeError`:
 * `CONTENT_REJECTED` as the processor raised it, `PROCESSOR_TIMEOUT` when the budget ran
 * out (the processor's signal is aborted too), `PROCESSOR_FAILED` for anything else, and
 * `ABORTED` when the caller's signal fired.
 */
export async function runProcessors(options: RunProcessorsOptions): Promise<Record<string, unknown>> {
  const { signal } = options;
  let { file } = options;
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
      const type = processed?.type === undefined ? undefined : recognisedType(processor.name, processed.type);
      // A processor with only process() that returned nothing found the file was not its own.
      const none = !processor.extractMetadata && processed === undefined;
      return { metadata: none ? undefined : { ...extracted, ...processed?.metadata }, type };
    })();
    work.catch(() => {}); // a timed-out processor may still reject later
    try {
      const { metadata, type } = await Promise.race([work, timeout]);
      if (metadata) results[processor.name] = metadata;
      if (type) {
        file = { ...file, record: { ...file.record, ...type } };
        options.onType?.(type);
      }
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
