/**
 * Which encoding a text file is in, when it is not UTF-8, and a streaming decoder for it.
 *
 * How this works: the start of the file (64 KiB) is read again. A byte order mark, or
 * UTF-16/32 without one, is recognised from its structure (`sniffTextEncoding` from the
 * core, the same rules ingest used to call the file text). Anything else is handed to
 * jschardet, a maintained statistical detector (a port of Python's chardet 7, no native
 * code), loaded on first use only, which names legacy encodings: Windows-125x, ISO-8859-x,
 * MacRoman, KOI8, GBK/GB18030, Big5, EUC-JP/KR, Shift_JIS, Johab, TIS-620… Decoding uses
 * Node's TextDecoder (full ICU) for every WHATWG encoding, iconv-lite for the others
 * (UTF-32, DOS and Mac code pages), and a small decoder of our own for Johab.
 */
import { addAbortSignal } from 'node:stream';
import { type ProcessorFile, sniffTextEncoding } from '@fileforge/core';
import iconv from 'iconv-lite';
import { JohabDecoder } from './johab.js';

/** Decodes chunk by chunk, holding back incomplete sequences while `stream` is true. */
export interface StreamDecoder {
  decode(bytes?: Uint8Array, options?: { stream?: boolean }): string;
}

/** Bytes of the file's start the detector looks at. */
export const ENCODING_SAMPLE_BYTES = 64 * 1024;

/** Names the detector gives that WHATWG spells differently. */
const WHATWG_ALIASES: Readonly<Record<string, string>> = {
  ascii: 'windows-1252',
  macroman: 'macintosh',
  'mac-roman': 'macintosh',
  'mac-cyrillic': 'x-mac-cyrillic',
  maccyrillic: 'x-mac-cyrillic',
  cp949: 'euc-kr',
  cp932: 'shift_jis',
  cp874: 'windows-874',
  'tis-620': 'windows-874',
  big5hkscs: 'big5',
  'utf-16-le': 'utf-16le',
  'utf-16-be': 'utf-16be',
  'utf-32-le': 'utf-32le',
  'utf-32-be': 'utf-32be',
  'utf-8-sig': 'utf-8',
};

/** WHATWG's canonical name for `label`, or `null` when TextDecoder does not know it. */
function whatwgName(label: string): string | null {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return null;
  }
}

/**
 * The name FileForge records for a detector's encoding name (lower case; WHATWG's
 * canonical name where it has one, `_` written `-`, so it also serves as an HTTP `charset`), or `null`
 * when no decoder here reads it. Windows-1252 (and ASCII, ISO-8859-1) is recorded as
 * `latin1`, as earlier releases did.
 */
export function recordedEncoding(detected: string): string | null {
  const lower = detected.toLowerCase().replace(/_/g, '-');
  const name = WHATWG_ALIASES[lower] ?? lower.replace(/^iso8859-/, 'iso-8859-');
  if (name === 'johab') return 'johab';
  if (name === 'utf-32le' || name === 'utf-32be') return name;
  const whatwg = whatwgName(name);
  if (whatwg === 'windows-1252') return 'latin1';
  // `shift_jis` → `shift-jis` (also a WHATWG label): recorded names are letters, digits and
  // hyphens, which is what downloads accept as a `charset`.
  if (whatwg && whatwg !== 'replacement' && whatwg !== 'utf-8') return whatwg.replace(/_/g, '-');
  return iconv.encodingExists(name) ? name : null;
}

/** A streaming decoder for a recorded encoding name (`latin1` reads as Windows-1252). */
export function decoderFor(encoding: string): StreamDecoder {
  if (encoding === 'johab') return new JohabDecoder();
  if (encoding === 'utf-8' || encoding === 'utf-8-bom') return new TextDecoder('utf-8', { fatal: true });
  const whatwg = whatwgName(encoding === 'latin1' ? 'windows-1252' : encoding);
  if (whatwg && !encoding.startsWith('utf-32')) return new TextDecoder(whatwg);
  const decoder = iconv.getDecoder(encoding, { stripBOM: true });
  return {
    decode(bytes = new Uint8Array(0), options = {}) {
      const text = decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return options.stream ? text : text + (decoder.end() ?? '');
    },
  };
}

type Jschardet = typeof import('jschardet');
let detector: Promise<Jschardet> | undefined;

/** Which encoding eras the detector considers: not DOS or EBCDIC code pages, rare in uploads. */
const ERAS = 1 | 2 | 4 | 8; // modern web, legacy ISO, legacy Mac, legacy regional

/**
 * The encoding of text that is not UTF-8, from its first bytes: UTF-16/32 by structure,
 * else the detector's verdict. `latin1` when neither finds anything better (the bytes are
 * then read as Windows-1252, which accepts every byte).
 */
export async function detectLegacyEncoding(head: Uint8Array): Promise<string> {
  const sniffed = sniffTextEncoding(head);
  if (sniffed?.startsWith('utf-16') || sniffed?.startsWith('utf-32')) return sniffed;
  if (sniffed !== 'legacy') return 'latin1';
  detector ??= import('jschardet');
  const { chardet } = await detector;
  const found = chardet.detect(head, { encodingEra: ERAS });
  return (found.encoding && recordedEncoding(found.encoding)) ?? 'latin1';
}

/** The first bytes of a file, for the detectors. */
export async function readHead(file: ProcessorFile, signal: AbortSignal): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  const stream = addAbortSignal(signal, await file.open({ start: 0, end: ENCODING_SAMPLE_BYTES - 1 }));
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).subarray(0, ENCODING_SAMPLE_BYTES);
}

/** How to read a text file: see {@link planTextReading}. */
export interface TextReading {
  /** The encoding of the first pass: UTF-16/32 found by structure, else `undefined` (a BOM, else strict UTF-8). */
  first: string | undefined;
  /** The encoding of the second pass, when the first finds bytes that are not UTF-8. */
  fallback(): Promise<string>;
}

/**
 * Reads a text file's first 64 KiB once and plans how to decode it: UTF-16/32 (with or
 * without a BOM, which can pass for UTF-8 full of NULs and controls) straight away, else
 * UTF-8, and if that fails the legacy encoding {@link detectLegacyEncoding} names.
 */
export async function planTextReading(file: ProcessorFile, signal: AbortSignal): Promise<TextReading> {
  const head = await readHead(file, signal);
  const sniffed = sniffTextEncoding(head);
  const first = sniffed?.startsWith('utf-16') || sniffed?.startsWith('utf-32') ? sniffed : undefined;
  return { first, fallback: () => detectLegacyEncoding(head) };
}
