import type { Readable } from 'node:stream';
import { TextChunkDecoder, type TextEncoding } from '../text-decoder.js';

/** Thrown by {@link decodeChunks} when the bytes turn out not to be UTF-8. */
export class NotUtf8Error extends Error {
  override readonly name = 'NotUtf8Error';
}

/** Text decoded chunk by chunk, and the encoding found once the first bytes are in. */
export interface DecodedText {
  chunks: AsyncGenerator<string>;
  encoding(): TextEncoding;
}

/**
 * Decodes a byte stream into text chunks without holding more than one chunk: the encoding
 * is `encoding` when given (`true`: latin1), else from a BOM, else strict UTF-8; when the
 * bytes prove not to be UTF-8 the generator throws {@link NotUtf8Error} and the caller
 * starts again with another encoding (`planTextReading().fallback()`).
 */
export function decodeChunks(stream: Readable, encoding: string | boolean | undefined = false): DecodedText {
  const decoder = new TextChunkDecoder(encoding ?? false);
  async function* chunks(): AsyncGenerator<string> {
    try {
      for await (const chunk of stream as AsyncIterable<Uint8Array>) {
        const text = decoder.write(chunk);
        if (text === null) throw new NotUtf8Error('The bytes are not valid UTF-8');
        if (text) yield text;
      }
      const rest = decoder.end();
      if (rest === null) throw new NotUtf8Error('The bytes are not valid UTF-8');
      if (rest) yield rest;
    } finally {
      stream.destroy();
    }
  }
  return { chunks: chunks(), encoding: () => decoder.encoding ?? 'utf-8' };
}
