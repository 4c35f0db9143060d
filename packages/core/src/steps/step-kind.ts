/**
 * The one contract of a step: what the workflow engine runs, and what processing is made of.
 * A step kind takes a file (its record and blob, a {@link ProcessorFile}), options validated
 * by a zod schema, and a context with an abort signal and a logger; it produces metadata
 * and/or named derivative blobs. Images, media and documents all have this shape
 * (`image.thumbnail`, `media.transcode`, `document.preview` in `@fileforge/processors`), and
 * so does `process`, the default pipeline that runs every matching processor. A step never
 * writes to the blob store itself: whoever runs it stores the derivatives.
 *
 * @module
 */
import type { z } from 'zod';
import type { ForgeLogger } from '../forge/options.js';
import type { DerivativeOutput, ProcessorFile } from '../processing/processor.js';

/** What a step is given besides the file and its options. */
export interface StepContext {
  /** Aborted on timeout, cancellation or shutdown; running tools are killed when it fires. */
  signal: AbortSignal;
  /** Where the step reports what it did; nothing is logged without one. */
  logger?: ForgeLogger;
  /**
   * Parent directory for the step's scratch files (copies of remote blobs for ffmpeg, encoded
   * media before it is stored). Each run makes a private directory under it and removes it
   * again. @default os.tmpdir()
   */
  tempDir?: string;
}

/**
 * What a step produced. `content` of a derivative may be a stream over a scratch file: read
 * it to the end or destroy it, and its scratch directory is removed.
 */
export interface StepResult {
  /** Facts for the record's metadata (the caller decides the key). */
  metadata?: Record<string, unknown>;
  /** Named blobs to attach to the file, e.g. `thumbnail-256.webp` of kind `thumbnail`. */
  derivatives?: DerivativeOutput[];
}

/**
 * A kind of step, by name. `run` validates `options` with the schema first: bad options
 * reject with `VALIDATION_FAILED` before any work starts, and unknown option names are
 * refused rather than ignored.
 */
export interface StepKind<Schema extends z.ZodType = z.ZodType> {
  /** `<family>.<step>`, e.g. `image.thumbnail`; the default pipeline is `process`. */
  readonly name: string;
  /** The options it accepts, with their defaults. */
  readonly options: Schema;
  /** Validates `options`, then does the work. */
  run(file: ProcessorFile, options: z.input<Schema>, context: StepContext): Promise<StepResult>;
}
