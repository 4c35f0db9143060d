import type { Processor } from '@fileforge/core';
import { type ArchiveProcessorOptions, createArchiveProcessor } from './archives/index.js';
import {
  type CsvProcessorOptions,
  createCsvProcessor,
  createJsonProcessor,
  createOfficeProcessor,
  createPdfProcessor,
  type JsonProcessorOptions,
  type OfficeProcessorOptions,
  type PdfProcessorOptions,
} from './documents/index.js';
import { createGenericProcessor } from './generic.js';
import { createImageProcessor, type ImageProcessorOptions } from './image/index.js';
import { createMediaProcessor, type MediaProcessorOptions } from './media/index.js';
import { createTextProcessor, type TextProcessorOptions } from './text.js';

/** Options for {@link defaultProcessors}: one entry per built-in processor; `false` leaves it out. */
export interface DefaultProcessorsOptions {
  text?: TextProcessorOptions | false;
  image?: ImageProcessorOptions | false;
  media?: MediaProcessorOptions | false;
  pdf?: PdfProcessorOptions | false;
  office?: OfficeProcessorOptions | false;
  csv?: CsvProcessorOptions | false;
  json?: JsonProcessorOptions | false;
  archive?: ArchiveProcessorOptions | false;
}

/**
 * Every built-in processor: `generic` on every file, then `text`, `image`, `media`, `pdf`,
 * `office`, `csv`, `json` and `archive` on the files they handle. Their heavy dependencies
 * (sharp, ffmpeg, pdf.js) load only when a file of their kind is processed, so calling this
 * costs nothing up front.
 *
 * @example
 * ```ts
 * const forge = await createForge({
 *   processors: defaultProcessors({ image: { maxPixels: 25_000_000 }, media: false }),
 * });
 * ```
 */
export function defaultProcessors(options: DefaultProcessorsOptions = {}): Processor[] {
  const pick = <O>(value: O | false | undefined, create: (o: O) => Processor) =>
    value === false ? [] : [create((value ?? {}) as O)];
  return [
    createGenericProcessor(),
    ...pick(options.text, createTextProcessor),
    ...pick(options.image, createImageProcessor),
    ...pick(options.media, createMediaProcessor),
    ...pick(options.pdf, createPdfProcessor),
    ...pick(options.office, createOfficeProcessor),
    ...pick(options.csv, createCsvProcessor),
    ...pick(options.json, createJsonProcessor),
    ...pick(options.archive, createArchiveProcessor),
  ];
}
