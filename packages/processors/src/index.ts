/**
 * FileForge processors. The root holds `generic` and `text`, `defaultProcessors()` (every
 * built-in processor, each loading its heavy dependency only when used) and the processor
 * contract re-exported from `@fileforge/core`. Formats with heavy dependencies have their own
 * subpaths: `@fileforge/processors/image` (sharp), `/media` (ffmpeg), `/documents` (pdf.js,
 * office, CSV, JSON) and `/archives` (yauzl).
 *
 * @module
 */
export type {
  DerivativeOutput,
  Processor,
  ProcessorContext,
  ProcessorFile,
  ProcessorSupport,
  ProcessResult,
} from '@fileforge/core';
export { ProcessorRegistry } from '@fileforge/core';
export { type DefaultProcessorsOptions, defaultProcessors } from './defaults.js';
export { createGenericProcessor, type GenericMetadata } from './generic.js';
export { renderSupportTable } from './support-table.js';
export { createTextProcessor, type TextMetadata, type TextProcessorOptions } from './text.js';
export type { LineEndings } from './text-counter.js';
export type { TextEncoding } from './text-decoder.js';
