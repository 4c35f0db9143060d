import { ErrorCode, FileForgeError, type ProcessorFile } from '@fileforge/core';
import {
  createDocumentOperations,
  type DocumentOperationsOptions,
} from '../documents/document-operations.js';
import { createImageOperations } from '../image/image-operations.js';
import { createMediaOperations } from '../media/media-operations.js';
import type { MediaToolOptions } from '../media/options.js';
import type { Operation, OperationContext, OperationResult } from './operation.js';

/** Configuration of the built-in operations: where their tools are. */
export interface OperationRegistryOptions {
  /** ffmpeg/ffprobe locations and threads per run for the `media.*` operations. */
  media?: MediaToolOptions;
  /** The pdftoppm location for `document.preview`. */
  documents?: DocumentOperationsOptions;
}

/**
 * Operations by name, for a workflow engine to look up and run. Iterable (every registered
 * operation, by name), so it can be given to `createForge({ workflows: { operations } })` as is.
 */
export interface OperationRegistry extends Iterable<Operation> {
  /** The operation of that name, or `undefined`. */
  get(name: string): Operation | undefined;
  /** Every registered name, sorted. */
  names(): string[];
  /** Adds an operation; a name already taken throws `INVALID_CONFIG`. */
  register(operation: Operation): void;
  /**
   * Runs the named operation: an unknown name → `VALIDATION_FAILED` (`details.operation`),
   * bad options → `VALIDATION_FAILED` (`details.option`), then whatever the operation does.
   */
  run(
    name: string,
    file: ProcessorFile,
    options: unknown,
    context: OperationContext,
  ): Promise<OperationResult>;
}

/**
 * The built-in operations by name — `image.thumbnail`, `image.resize`, `image.convert`,
 * `media.probe`, `media.transcode`, `media.extractAudio`, `media.posterFrame`,
 * `media.waveform`, `document.preview` — plus any you register. Creating it loads nothing
 * heavy: sharp is loaded, and tools are started, only when an operation runs.
 *
 * @example
 * ```ts
 * const operations = createOperationRegistry({ media: { threads: 1 } });
 * const { derivatives } = await operations.run('image.thumbnail', file, { size: 512 }, { signal });
 * for (const d of derivatives ?? []) await context.addDerivative(d);
 * // every operation as a workflow step kind (`uses: image.thumbnail`):
 * const forge = await createForge({ workflows: { operations } });
 * ```
 */
export function createOperationRegistry(options: OperationRegistryOptions = {}): OperationRegistry {
  const byName = new Map<string, Operation>();
  const registry: OperationRegistry = {
    get: (name) => byName.get(name),
    names: () => [...byName.keys()].sort(),
    *[Symbol.iterator]() {
      for (const name of registry.names()) yield byName.get(name)!;
    },
    register(operation) {
      if (byName.has(operation.name)) {
        throw new FileForgeError(
          ErrorCode.INVALID_CONFIG,
          `[fileforge:operations] An operation named "${operation.name}" is already registered`,
          { details: { operation: operation.name } },
        );
      }
      byName.set(operation.name, operation);
    },
    async run(name, file, operationOptions, context) {
      const operation = byName.get(name);
      if (!operation) {
        throw new FileForgeError(
          ErrorCode.VALIDATION_FAILED,
          `[fileforge:operations] Unknown operation "${name}"; known: ${registry.names().join(', ')}`,
          { details: { operation: name } },
        );
      }
      return operation.run(file, operationOptions as never, context);
    },
  };
  for (const operation of [
    ...createImageOperations(),
    ...createMediaOperations(options.media),
    ...createDocumentOperations(options.documents),
  ]) {
    registry.register(operation);
  }
  return registry;
}
