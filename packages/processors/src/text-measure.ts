import { TextCounter, type TextCounts } from './text-counter.js';
import { TextChunkDecoder, type TextEncoding } from './text-decoder.js';

/** What one pass over a text file finds. */
export type TextMeasure = TextCounts & {
  encoding: TextEncoding;
  /** True when the input was longer than `maxBytes` and only that much was counted. */
  truncated: boolean;
};

/** Options for {@link measureText}. */
export interface MeasureTextOptions {
  /** How many characters to keep as the excerpt. */
  excerptChars: number;
  /** Stop after this many bytes. */
  maxBytes: number;
  /** Decode as single-byte text instead of detecting the encoding. @default false */
  latin1?: boolean;
  /** Decode in this encoding (a `TextEncoding` name) instead of detecting it; wins over `latin1`. */
  encoding?: string | undefined;
}

/**
 * Decodes and counts a byte stream in one pass, holding no more than the current chunk
 * (plus the excerpt). Returns `null` as soon as the bytes prove not to be UTF-8: measure
 * again from the start with their `encoding` (or `latin1: true`).
 */
export async function measureText(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: MeasureTextOptions,
): Promise<TextMeasure | null> {
  const decoder = new TextChunkDecoder(options.encoding ?? options.latin1 ?? false);
  const counter = new TextCounter(options.excerptChars);
  let bytes = 0;
  let truncated = false;
  for await (const chunk of chunks) {
    const room = options.maxBytes - bytes;
    truncated = chunk.length > room;
    const text = decoder.write(truncated ? chunk.subarray(0, room) : chunk);
    if (text === null) return null;
    counter.write(text);
    bytes += Math.min(chunk.length, room);
    if (truncated) break; // leaving the loop destroys the stream: the rest is never read
  }
  const rest = decoder.end(!truncated);
  if (rest === null) return null;
  counter.write(rest);
  return { encoding: decoder.encoding ?? 'utf-8', ...counter.result(), truncated };
}
