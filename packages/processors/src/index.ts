/**
 * FileForge processors. The root holds `generic` and `text`, `defaultProcessors()` (every
 * built-in processor, each loading its heavy dependency only when used), the processor
 * contract re-exported from `@fileforge/core`, and the operation contract with the registry
 * of built-in operations (`createOperationRegistry()`: `image.thumbnail`, `media.transcode`,
 * `document.preview`, …) a workflow engine calls by name. Formats with heavy dependencies have their own
 * subpaths: `@fileforge/processors/image` (sharp), `/media` (ffmpeg), `/documents` (pdf.js,
 * office, CSV, JSON) and `/archives` (yauzl).
 *
 * @module
 * @document ../README.md
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
export {
  defineOperation,
  derivativeName,
  type Operation,
  type OperationContext,
  type OperationResult,
  type OperationSpec,
} from './operations/operation.js';
export {
  createOperationRegistry,
  type OperationRegistry,
  type OperationRegistryOptions,
} from './operations/registry.js';
export { renderSupportTable } from './support-table.js';
export { createTextProcessor, type TextMetadata, type TextProcessorOptions } from './text.js';
export type { LineEndings } from './text-counter.js';
export type { TextEncoding } from './text-decoder.js';
