/**
 * The one contract of every processing operation (`image.thumbnail`, `media.transcode`,
 * `document.preview`, …): it takes the file as the core gives it to processors (record and
 * blob, a `ProcessorFile`), options validated by a zod schema, and a context with an abort
 * signal and a logger, and it produces metadata and/or named derivative blobs in the core's
 * `DerivativeOutput` shape — the same for images, media and documents. A workflow engine
 * (or a processor) stores the derivatives; an operation never writes into the blob store
 * itself.
 *
 * @module
 */
import type { DerivativeOutput, ForgeLogger, ProcessorFile } from '@fileforge/core';
import { z } from 'zod';
import { parseOptions } from '../options/parse.js';

/**
 * A derivative name as the core stores it: 1–100 characters from `a-z`, `0-9`, `.`, `_` and
 * `-`, starting with a letter or digit. Operations take it as their `name` option.
 */
export const derivativeName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'use 1–100 characters from a-z, 0-9, ".", "_" and "-"');

/** What an operation is given besides the file and its options. */
export interface OperationContext {
  /** Aborted on timeout, cancellation or shutdown; running tools are killed when it fires. */
  signal: AbortSignal;
  /** Where the operation reports what it did; nothing is logged without one. */
  logger?: ForgeLogger;
  /**
   * Parent directory for the operation's scratch files (copies of remote blobs for ffmpeg,
   * encoded media before it is stored). Each run makes a private directory under it and
   * removes it again. @default os.tmpdir()
   */
  tempDir?: string;
}

/**
 * What an operation produced. `content` of a derivative may be a stream over a scratch file:
 * read it to the end or destroy it, and its scratch directory is removed.
 */
export interface OperationResult {
  /** Facts for the record's metadata (the caller decides the key). */
  metadata?: Record<string, unknown>;
  /** Named blobs to attach to the file, e.g. `thumbnail-256.webp` of kind `thumbnail`. */
  derivatives?: DerivativeOutput[];
}

/**
 * A processing step by name. `run` validates `options` with `schema` first: bad options
 * reject with `VALIDATION_FAILED` (`details.option` names the first bad one) before any
 * work starts, and unknown option names are refused rather than ignored.
 */
export interface Operation<Schema extends z.ZodType = z.ZodType> {
  /** `<family>.<operation>`, e.g. `image.thumbnail`. */
  readonly name: string;
  /** The options it accepts, with their defaults. */
  readonly options: Schema;
  /** Validates `options`, then does the work. */
  run(file: ProcessorFile, options: z.input<Schema>, context: OperationContext): Promise<OperationResult>;
}

/** What {@link defineOperation} needs: `run` receives options already validated. */
export interface OperationSpec<Schema extends z.ZodType> {
  name: string;
  options: Schema;
  run(file: ProcessorFile, options: z.output<Schema>, context: OperationContext): Promise<OperationResult>;
}

/**
 * Builds an {@link Operation} whose `run` validates its options with the schema (and checks
 * the signal) before calling `spec.run`.
 *
 * @example
 * ```ts
 * const wordCount = defineOperation({
 *   name: 'text.wordCount',
 *   options: z.strictObject({ minLength: z.int().min(1).default(1) }),
 *   async run(file, { minLength }, { signal }) {
 *     let words = 0;
 *     for await (const chunk of await file.open()) {
 *       signal.throwIfAborted();
 *       words += String(chunk).split(/\s+/).filter((w) => w.length >= minLength).length;
 *     }
 *     return { metadata: { words } };
 *   },
 * });
 * ```
 */
export function defineOperation<Schema extends z.ZodType>(spec: OperationSpec<Schema>): Operation<Schema> {
  const scope = spec.name.split('.')[0] ?? spec.name;
  return {
    name: spec.name,
    options: spec.options,
    async run(file, options, context) {
      const parsed = parseOptions(scope, spec.options, options);
      context.signal.throwIfAborted();
      const started = performance.now();
      const result = await spec.run(file, parsed, context);
      context.logger?.debug(
        {
          operation: spec.name,
          fileId: file.record.id,
          ms: Math.round(performance.now() - started),
          derivatives: result.derivatives?.map((d) => d.name) ?? [],
        },
        'operation finished',
      );
      return result;
    },
  };
}
