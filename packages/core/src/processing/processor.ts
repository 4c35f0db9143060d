import type { Readable } from 'node:stream';
import type { DerivativeRecord, FileRecord } from '../model/index.js';

/** The file a processor works on: its record and ways to read its bytes. */
export interface ProcessorFile {
  readonly record: FileRecord;
  /** Opens the content (or a byte range of it, inclusive) as a stream. */
  open(range?: { start?: number; end?: number }): Promise<Readable>;
  /**
   * A local path to the content, when the blob store has one (tools such as ffmpeg need to
   * seek). `undefined` for remote stores: use `open()` then.
   */
  readonly path: string | undefined;
  /**
   * Runs `work` with a local path to the content, for tools that must seek (ffmpeg, pdftoppm):
   * `path` itself where there is one, else a private temp copy (decrypted when the store
   * encrypts at rest; mode 0600 under the data directory) removed when `work` settles. Present
   * when the blob store can provide one; otherwise use `open()`.
   */
  withLocalFile?<T>(
    work: (path: string) => Promise<T>,
    options?: { signal?: AbortSignal; headBytes?: number },
  ): Promise<T>;
}

/** A derivative a processor produces. */
export interface DerivativeOutput {
  /** Unique within the parent, `[a-z0-9._-]`, e.g. `thumbnail-256.webp`. */
  name: string;
  /** `thumbnail`, `poster`, `waveform`, `preview`, … */
  kind: string;
  mime: string;
  width?: number;
  height?: number;
  content: Readable | AsyncIterable<Uint8Array> | Uint8Array;
}

/** What a processor is given besides the file. */
export interface ProcessorContext {
  /** Aborted on timeout or shutdown; long work must stop when it fires. */
  signal: AbortSignal;
  /**
   * Stores a derivative attached to the file (atomically; replacing one of the same name).
   * Derivatives of a run that ends failed or rejected are removed again.
   */
  addDerivative(output: DerivativeOutput): Promise<DerivativeRecord>;
}

/** A file type as a processor recognised it: lower-case `type/subtype` without parameters, and its extension. */
export interface RecognisedType {
  /** e.g. `audio/basic`. */
  mime: string;
  /** Without the dot, e.g. `au`. */
  ext: string;
}

/** What {@link Processor.process} may return. */
export interface ProcessResult {
  /** Merged into the record's metadata under the processor's name. */
  metadata?: Record<string, unknown>;
  /**
   * The file's type, when this processor recognised content that ingest's magic bytes could
   * not name (`application/octet-stream` that ffprobe reads as Sun audio). When the run ends
   * `processed` the record's `mime` and `ext` become this type; `metadata.detection` keeps
   * what ingest found. Processors later in the same run see the new type in `file.record`
   * (the set of processors that run was chosen by the ingest type). Leave it out otherwise.
   */
  type?: RecognisedType;
}

/**
 * What a processor supports, in words for people: `docs/file-format-support.md` is generated
 * from these descriptions of the registered processors, so the documentation cannot drift.
 */
export interface ProcessorSupport {
  /** The formats handled, e.g. `JPEG, PNG, WebP, GIF, TIFF, AVIF, SVG (rasterised)`. */
  formats: string;
  /** What ends up in the record's metadata. */
  extracts: readonly string[];
  /** Derivatives produced, by name pattern (`thumbnail-<size>.webp`). */
  derivatives?: readonly string[];
  /** Limits and refusals (`40 MP pixel cap → CONTENT_REJECTED pixel_limit`). */
  limits?: readonly string[];
}

/**
 * A processor extracts facts from a file and may produce derivatives. It is chosen by the
 * file's detected MIME type (`mimeTypes`, `image/*` families allowed), by extension
 * (`extensions`, matched against the detected and the named extension), or by `accepts`.
 * Results are stored under `record.metadata[name]`.
 *
 * Throw `FileForgeError('CONTENT_REJECTED', …, { details: { reason } })` for hostile or
 * corrupt content (the record ends `rejected`); anything else thrown ends it `failed` with
 * `PROCESSOR_FAILED`, and running past `timeoutMs` with `PROCESSOR_TIMEOUT`.
 *
 * @example
 * ```ts
 * const custom: Processor = {
 *   name: 'custom',
 *   extensions: ['.custom'],
 *   async extractMetadata(file) { return { bytes: file.record.size }; },
 *   async process(file, ctx) { return { metadata: { result: 'processed' } }; },
 * };
 * forge.processors.register(custom);
 * ```
 */
export interface Processor {
  /** Unique name; also the metadata key. */
  readonly name: string;
  /** Extensions handled, with or without the dot (`.custom`). */
  readonly extensions?: readonly string[];
  /** MIME types handled; `type/*` matches a family, `*\/*` everything. */
  readonly mimeTypes?: readonly string[];
  /** Human-readable description of what it supports (feeds the generated format table). */
  readonly support?: ProcessorSupport;
  /** Time budget per file in milliseconds. @default the forge's `processorTimeoutMs` */
  readonly timeoutMs?: number;
  /** Custom selection; when present it alone decides. */
  accepts?(record: FileRecord): boolean;
  /** Reads facts about the file. */
  extractMetadata?(file: ProcessorFile, context: ProcessorContext): Promise<Record<string, unknown>>;
  /**
   * Does the processor's work (derivatives, deeper analysis). A processor without
   * `extractMetadata` that returns `undefined` records nothing: it accepted the file on its
   * type but found it was not one it handles (the media processor's second opinion on
   * `application/octet-stream`).
   */
  process?(file: ProcessorFile, context: ProcessorContext): Promise<ProcessResult | undefined>;
  /**
   * Gets ready for the first file ahead of time: loads native modules, starts codecs, compiles
   * hot code. Processes that run jobs call it (through {@link warmUpProcessors}) before they
   * take the first one, so that job is no slower than the rest. Optional; it must not depend
   * on any file, and a failure only means the first file pays the cost (or meets the error).
   */
  warmUp?(): Promise<void>;
}

/** A processor whose {@link Processor.warmUp} failed, and why. */
export interface WarmUpFailure {
  processor: string;
  error: unknown;
}

/**
 * Runs every processor's {@link Processor.warmUp} at once and waits for them all. Never
 * rejects: the processors whose warm-up failed are returned (log them), since a processor that
 * cannot warm up still meets its files, and reports the same failure there.
 *
 * @example
 * ```ts
 * const processors = defaultProcessors();
 * for (const { processor, error } of await warmUpProcessors(processors)) logger.warn({ err: error, processor }, 'warm-up failed');
 * const forge = await createForge({ processors });
 * ```
 */
export async function warmUpProcessors(processors: Iterable<Processor>): Promise<WarmUpFailure[]> {
  const warming = [...processors].filter((p) => p.warmUp);
  const settled = await Promise.allSettled(warming.map((p) => p.warmUp!()));
  return settled.flatMap((result, i) =>
    result.status === 'rejected' ? [{ processor: warming[i]!.name, error: result.reason }] : [],
  );
}
