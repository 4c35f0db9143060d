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
import type { ProcessorFile, StepContext, StepKind, StepResult } from '@fileforge/core';
import { z } from 'zod';
import { parseOptions } from '../options/parse.js';

/**
 * A derivative name as the core stores it: 1–100 characters from `a-z`, `0-9`, `.`, `_` and
 * `-`, starting with a letter or digit. Operations take it as their `name` option.
 */
export const derivativeName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'use 1–100 characters from a-z, 0-9, ".", "_" and "-"');

/** What an operation is given besides the file and its options (the core's step context). */
export type OperationContext = StepContext;

/** What an operation produced (the core's step result). */
export type OperationResult = StepResult;

/**
 * A processing operation: a {@link StepKind} of the core, the contract the workflow engine
 * runs. `run` validates `options` first (`VALIDATION_FAILED`, `details.option` naming the
 * first bad one) and refuses unknown option names.
 */
export type Operation<Schema extends z.ZodType = z.ZodType> = StepKind<Schema>;

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
