import { TextDecoder } from 'node:util';

/**
 * The encoding the text processor found. `latin1` is decoded as windows-1252, as browsers
 * do; `unknown` is neither UTF-8 nor plausible single-byte text (it has control bytes).
 */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'latin1' | 'unknown';

/** The longest byte order mark looked for (UTF-8's). */
const BOM_BYTES = 3;

/** C0 control bytes that do not occur in text: all but tab, LF, VT, FF, CR and ESC. */
const CONTROL = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) CONTROL[b] = b >= 0x09 && b <= 0x0d ? 0 : b === 0x1b ? 0 : 1;

function sniffBom(head: Uint8Array): TextEncoding | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return null;
}

function decoderFor(encoding: TextEncoding): TextDecoder {
  if (encoding === 'utf-8' || encoding === 'utf-8-bom') return new TextDecoder('utf-8', { fatal: true });
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return new TextDecoder(encoding);
  return new TextDecoder('windows-1252');
}

function hasControlByte(bytes: Uint8Array): boolean {
  for (const b of bytes) if (CONTROL[b] === 1) return true;
  return false;
}

/**
 * Turns a byte stream into text chunk by chunk, holding back at most a few bytes: the
 * encoding comes from a byte order mark, else UTF-8 is assumed and checked strictly as the
 * bytes arrive. When they turn out not to be UTF-8, `write` answers `null` and the caller
 * reads the file again in `latin1` mode rather than keep what it has read. The decoders keep
 * multi-byte sequences and surrogate pairs that straddle chunks whole, and drop the BOM.
 */
export class TextChunkDecoder {
  #encoding: TextEncoding | null;
  #decoder: TextDecoder | null = null;
  #pending: Uint8Array = new Uint8Array(0);

  /** @param latin1 skip detection and decode single bytes (the second pass over non-UTF-8 text) */
  constructor(latin1 = false) {
    this.#encoding = latin1 ? 'latin1' : null;
    if (latin1) this.#decoder = decoderFor('latin1');
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
    this.#encoding = sniffBom(head) ?? 'utf-8';
    this.#decoder = decoderFor(this.#encoding);
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
