import { addAbortSignal } from 'node:stream';
import { ErrorCode, FileForgeError, type Processor, TEXT_MIME_TYPES } from '@fileforge/core';
import { checkInteger } from './options/check.js';
import { planTextReading } from './text-encoding.js';
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
 * `application/x-subrip`). It streams the file once (twice when it is not UTF-8) and never
 * holds it whole: it detects the encoding (UTF-16/32 by BOM or structure, else a UTF-8 BOM
 * or strict UTF-8, else a legacy encoding named by a statistical detector from the first 64 KiB —
 * Windows-125x, ISO-8859-x, MacRoman, GBK, EUC, Johab, TIS-620…, see `text-encoding.ts` —
 * else `latin1`, or `unknown` when control bytes make it unlikely text), decodes with it, and
 * counts lines, words, characters and line endings, keeping an excerpt of the start.
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
        'Text (text/*, and JSON, NDJSON, XML, YAML, SubRip detected as text): UTF-8, UTF-16/32 with or without BOM, legacy encodings (Windows-125x, ISO-8859-x, MacRoman, KOI8, GBK/GB18030, Big5, EUC-JP/KR, Shift_JIS, Johab, TIS-620)',
      extracts: [
        'encoding (detected by content; legacy ones by jschardet)',
        'lines, words, characters',
        'line endings',
        `excerpt (first ${excerptChars} characters)`,
      ],
      limits: [`counts stop after ${maxBytes} bytes (truncated: true)`],
    },
    async extractMetadata(file, context): Promise<TextMetadata> {
      const pass = async (encoding?: string) =>
        measureText(addAbortSignal(context.signal, await file.open()), { excerptChars, maxBytes, encoding });
      const reading = await planTextReading(file, context.signal);
      const measured = (await pass(reading.first)) ?? (await pass(await reading.fallback()));
      if (!measured) {
        // Unreachable: only UTF-8 decoding refuses bytes.
        throw new FileForgeError(ErrorCode.INTERNAL, '[fileforge:text] Could not decode the file');
      }
      return measured;
    },
  };
}
