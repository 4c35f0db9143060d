import { bomEncoding } from '@fileforge/core';
import { decoderFor, type StreamDecoder } from './text-encoding.js';

/**
 * The encoding the text processor found: `utf-8`; a byte order mark's (`utf-8-bom`,
 * `utf-16le`, `utf-16be`, `utf-32le`, `utf-32be`); UTF-16/32 without one; a legacy
 * encoding by its WHATWG name (`windows-1251`, `iso-8859-2`, `macintosh`, `gbk`, `gb18030`,
 * `euc-jp`, `euc-kr`, `shift-jis`, `windows-874`, `koi8-r`, …) or `johab`; `latin1`
 * (read as Windows-1252, as browsers do); or `unknown`: read as `latin1`, but control bytes
 * make it unlikely to be text.
 */
export type TextEncoding = string;

/** The longest byte order mark looked for (UTF-32's). */
const BOM_BYTES = 4;

/** C0 control bytes that do not occur in text: all but tab, LF, VT, FF, CR and ESC. */
const CONTROL = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) CONTROL[b] = b >= 0x09 && b <= 0x0d ? 0 : b === 0x1b ? 0 : 1;

function hasControlByte(bytes: Uint8Array): boolean {
  for (const b of bytes) if (CONTROL[b] === 1) return true;
  return false;
}

/**
 * Turns a byte stream into text chunk by chunk, holding back at most a few bytes: the
 * encoding comes from a byte order mark, else UTF-8 is assumed and checked strictly as the
 * bytes arrive. When they turn out not to be UTF-8, `write` answers `null` and the caller
 * finds the encoding (`detectLegacyEncoding`) and reads the file again with it rather than
 * keep what it has read. The decoders keep multi-byte sequences and surrogate pairs that
 * straddle chunks whole, and drop the BOM.
 */
export class TextChunkDecoder {
  #encoding: TextEncoding | null;
  #decoder: StreamDecoder | null = null;
  #pending: Uint8Array = new Uint8Array(0);

  /**
   * @param encoding skip detection and decode in this encoding (the second pass over text
   * that is not UTF-8); `true` is `latin1`, as in earlier releases
   */
  constructor(encoding: TextEncoding | boolean = false) {
    const forced = encoding === true ? 'latin1' : encoding || null;
    this.#encoding = forced;
    if (forced) this.#decoder = decoderFor(forced);
  }

  /** The encoding in use; `null` until enough bytes have arrived to look for a BOM. */
  get encoding(): TextEncoding | null {
    return this.#encoding;
  }

  /**
   * Decodes the next chunk, holding back an incomplete trailing sequence for the next call.
   * Returns `null` when the bytes are not valid UTF-8.
   */
  write(chunk: Uint8Array): string | null {
    if (this.#decoder) return this.#decode(chunk, true);
    // Wait for enough bytes to tell a BOM from text; only the first few bytes are held.
    const joined = new Uint8Array(this.#pending.length + chunk.length);
    joined.set(this.#pending);
    joined.set(chunk, this.#pending.length);
    if (joined.length < BOM_BYTES) {
      this.#pending = joined;
      return '';
    }
    this.#pending = new Uint8Array(0);
    return this.#start(joined);
  }

  /**
   * Decodes what is left, or `null` when that is not valid UTF-8. With `complete` false
   * (the input was cut short on purpose) a sequence cut off at the end is dropped rather
   * than counted as invalid.
   */
  end(complete = true): string | null {
    const text = this.#decoder ? '' : this.#start(this.#pending);
    if (text === null || !complete) return text;
    const rest = this.#decode(new Uint8Array(0), false);
    return rest === null ? null : text + rest;
  }

  #start(head: Uint8Array): string | null {
    const bom = bomEncoding(head);
    const encoding = bom === null || bom === 'legacy' ? 'utf-8' : bom;
    this.#encoding = encoding;
    this.#decoder = decoderFor(encoding);
    return this.#decode(head, true);
  }

  #decode(bytes: Uint8Array, stream: boolean): string | null {
    if (this.#encoding === 'latin1' && hasControlByte(bytes)) this.#encoding = 'unknown';
    try {
      return this.#decoder?.decode(bytes, { stream }) ?? '';
    } catch {
      return null; // only the fatal UTF-8 decoder throws
    }
  }
}
