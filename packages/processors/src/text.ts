import { addAbortSignal } from 'node:stream';
import { ErrorCode, FileForgeError, type Processor, TEXT_MIME_TYPES } from '@fileforge/core';
import { checkInteger } from './options/check.js';
import { measureText, type TextMeasure } from './text-measure.js';

/** Options for {@link createTextProcessor}. */
export interface TextProcessorOptions {
  /**
   * How many characters of the text to store as `excerpt`. Larger excerpts make richer
   * previews and search snippets but grow every record.
   * @default 500
   */
  excerptChars?: number;
  /**
   * Stop counting after this many bytes and report `truncated: true`, bounding the time a
   * huge log file takes. Counts then describe only the first `maxBytes` bytes.
   * @default 104857600 (100 MiB)
   */
  maxBytes?: number;
}

/** What the text processor stores under `metadata.text`. */
export type TextMetadata = TextMeasure;

const DEFAULT_EXCERPT_CHARS = 500;
const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;

/**
 * Creates the `text` processor for `text/*` files and the other types detection gives to
 * text (`application/json`, `application/x-ndjson`, `application/xml`, `application/yaml`,
 * `application/x-subrip`). It streams the file once (twice when it
 * is not UTF-8) and never holds it whole: it detects the encoding (a BOM, else strict UTF-8,
 * else `latin1`, or `unknown` when control bytes make it unlikely text) and counts lines,
 * words, characters and line endings, keeping an excerpt of the start.
 *
 * @example
 * ```ts
 * const forge = await createForge({ processors: [createTextProcessor({ excerptChars: 200 })] });
 * // later: (await forge.files.get(id))?.metadata.text → { encoding: 'utf-8', lines: 3, … }
 * ```
 */
export function createTextProcessor(options: TextProcessorOptions = {}): Processor {
  const excerptChars = checkInteger('text', 'excerptChars', options.excerptChars ?? DEFAULT_EXCERPT_CHARS, 0);
  const maxBytes = checkInteger('text', 'maxBytes', options.maxBytes ?? DEFAULT_MAX_BYTES, 1);
  return {
    name: 'text',
    mimeTypes: ['text/*', ...TEXT_MIME_TYPES.filter((mime) => !mime.startsWith('text/'))],
    support: {
      formats:
        'Text (text/*, and JSON, NDJSON, XML, YAML, SubRip detected as text): UTF-8, UTF-16 with BOM, Latin-1',
      extracts: [
        'encoding',
        'lines, words, characters',
        'line endings',
        `excerpt (first ${excerptChars} characters)`,
      ],
      limits: [`counts stop after ${maxBytes} bytes (truncated: true)`],
    },
    async extractMetadata(file, context): Promise<TextMetadata> {
      const pass = async (latin1: boolean) =>
        measureText(addAbortSignal(context.signal, await file.open()), { excerptChars, maxBytes, latin1 });
      const measured = (await pass(false)) ?? (await pass(true));
      if (!measured) {
        // Unreachable: single-byte decoding accepts every byte.
        throw new FileForgeError(ErrorCode.INTERNAL, '[fileforge:text] Could not decode the file as latin1');
      }
      return measured;
    },
  };
}
