/**
 * FileForge processors: `generic` (size, hashes, detected type) for every file and `text`
 * (encoding, lines, words, excerpt) for text files, plus the processor contract re-exported
 * from `@fileforge/core` so plugins can import everything from here.
 *
 * @module
 */
export type {
  DerivativeOutput,
  Processor,
  ProcessorContext,
  ProcessorFile,
  ProcessResult,
} from '@fileforge/core';
export { ProcessorRegistry } from '@fileforge/core';
export { defaultProcessors } from './defaults.js';
export { createGenericProcessor, type GenericMetadata } from './generic.js';
export { createTextProcessor, type TextMetadata, type TextProcessorOptions } from './text.js';
export type { LineEndings } from './text-counter.js';
export type { TextEncoding } from './text-decoder.js';
