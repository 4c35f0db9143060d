/**
 * Whether leading bytes are text, and in which family of encodings, from the bytes alone.
 *
 * How this works: a byte order mark decides first (UTF-32 before UTF-16: `FF FE 00 00` is
 * UTF-32LE, not UTF-16LE followed by a NUL). Otherwise bytes that are valid UTF-8 without NUL
 * are UTF-8. Otherwise bytes with no NUL and no control byte (bar tab, line breaks, form
 * feed, SUB and ESC) are text in a legacy 8-bit or multi-byte encoding (Windows-125x,
 * ISO-8859, MacRoman, GBK, EUC, Johab, TIS-620…); which one is the text processor's
 * question (a statistical detector), not this one's. Bytes with NULs or controls are tried
 * last as UTF-32 and UTF-16 of either byte order (Latin text in UTF-16 is half NULs,
 * Cyrillic full of 0x04): every code unit must decode to a character (no NUL or control, no
 * broken surrogate, no noncharacter) and nearly all of them must lie in the blocks text is
 * written in. Anything else is binary.
 */

/** What {@link sniffTextEncoding} found. `legacy`: text in some non-Unicode encoding. */
export type SniffedEncoding =
  | 'utf-8'
  | 'utf-8-bom'
  | 'utf-16le'
  | 'utf-16be'
  | 'utf-32le'
  | 'utf-32be'
  | 'legacy';

/** Byte order marks, longest first so that UTF-32LE's is not read as UTF-16LE's. */
const BOMS: readonly [SniffedEncoding, readonly number[]][] = [
  ['utf-32le', [0xff, 0xfe, 0x00, 0x00]],
  ['utf-32be', [0x00, 0x00, 0xfe, 0xff]],
  ['utf-8-bom', [0xef, 0xbb, 0xbf]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

/** The encoding a byte order mark at the start names, or `null`. */
export function bomEncoding(head: Uint8Array): SniffedEncoding | null {
  for (const [encoding, bom] of BOMS) {
    if (head.length >= bom.length && bom.every((b, i) => head[i] === b)) return encoding;
  }
  return null;
}

/** Valid UTF-8 without NUL, allowing a multi-byte sequence cut off at the end of the sample. */
function isUtf8Text(head: Uint8Array): boolean {
  if (head.includes(0)) return false;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let trim = 0; trim < 4 && trim <= head.length; trim++) {
    try {
      decoder.decode(head.subarray(0, head.length - trim));
      return true;
    } catch {
      // try again without a possibly truncated trailing sequence
    }
  }
  return false;
}

/** Control characters that text does not hold: C0 other than tab, LF, VT, FF, CR, SUB (0x1A) and ESC; and DEL. */
const isControl = (c: number) =>
  (c < 0x20 && !(c >= 0x09 && c <= 0x0d) && c !== 0x1a && c !== 0x1b) || c === 0x7f;

/** Blocks text is commonly written in: Latin, Greek to Arabic, Indic, Thai, punctuation, CJK, Hangul, fullwidth forms. */
const TEXT_BLOCKS: readonly [number, number][] = [
  [0x0009, 0x000d],
  [0x0020, 0x007e],
  [0x00a0, 0x024f],
  [0x0370, 0x06ff],
  [0x0900, 0x0dff],
  [0x0e00, 0x0e7f],
  [0x1e00, 0x1fff],
  [0x2000, 0x206f],
  [0x20a0, 0x20cf],
  [0x2100, 0x27bf],
  [0x3000, 0x30ff],
  [0x3130, 0x318f],
  [0x4e00, 0x9fff],
  [0xac00, 0xd7a3],
  [0xff00, 0xffef],
];
const inTextBlock = (c: number) => TEXT_BLOCKS.some(([from, to]) => c >= from && c <= to);

/** Share of characters in {@link TEXT_BLOCKS} below which UTF-16/32 decoding is not believed. */
const MIN_TEXT_SHARE = 0.9;
/** Fewer characters than this are too little evidence for UTF-16/32 without a BOM. */
const MIN_CHARACTERS = 2;
/** From this size on a sample may have been cut mid-unit. */
const CUT_SAMPLE_BYTES = 4096;

/** Shares of the characters of one reading: in common text blocks, and ASCII. */
interface Score {
  text: number;
  ascii: number;
}

/**
 * Decodes `head` as UTF-32 or UTF-16 of one byte order and scores it, or returns `null`
 * when any unit is not a text character. A unit cut off at the end of the sample is ignored.
 */
function unicodeScore(head: Uint8Array, width: 2 | 4, littleEndian: boolean): Score | null {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const units = Math.floor(head.length / width);
  let chars = 0;
  let common = 0;
  let ascii = 0;
  for (let i = 0; i < units; i++) {
    let c = width === 4 ? view.getUint32(i * 4, littleEndian) : view.getUint16(i * 2, littleEndian);
    if (width === 2 && c >= 0xd800 && c <= 0xdbff) {
      if (i + 1 >= units) break; // a pair cut by the end of the sample
      const low = view.getUint16((i + 1) * 2, littleEndian);
      if (low < 0xdc00 || low > 0xdfff) return null;
      c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
      i++;
    }
    if (c === 0 || isControl(c) || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return null;
    if ((c & 0xfffe) === 0xfffe || (c >= 0xfdd0 && c <= 0xfdef)) return null;
    chars++;
    if (inTextBlock(c) || c >= 0x10000) common++;
    if (c < 0x80) ascii++;
  }
  return chars < MIN_CHARACTERS ? null : { text: common / chars, ascii: ascii / chars };
}

/**
 * UTF-32 or UTF-16 without a byte order mark, when one byte order decodes to plausible text.
 * Latin text read in the wrong byte order is valid CJK (`A\0` → U+4100), so among the
 * plausible readings the one with more ASCII (spaces, digits, line breaks) wins, then the
 * one with more characters in text blocks.
 */
function sniffUnicodeWithoutBom(head: Uint8Array): SniffedEncoding | null {
  // A short file is whole: its length must be a multiple of the unit. A long sample may be cut.
  const whole = (width: number) => head.length >= CUT_SAMPLE_BYTES || head.length % width === 0;
  const candidates: [SniffedEncoding, Score | null][] = [
    ['utf-32le', whole(4) ? unicodeScore(head, 4, true) : null],
    ['utf-32be', whole(4) ? unicodeScore(head, 4, false) : null],
    ['utf-16le', whole(2) ? unicodeScore(head, 2, true) : null],
    ['utf-16be', whole(2) ? unicodeScore(head, 2, false) : null],
  ];
  let best: [SniffedEncoding, Score] | null = null;
  for (const [encoding, score] of candidates) {
    if (!score || score.text < MIN_TEXT_SHARE) continue;
    const better =
      !best || score.ascii > best[1].ascii || (score.ascii === best[1].ascii && score.text > best[1].text);
    if (better) best = [encoding, score];
  }
  return best?.[0] ?? null;
}

/**
 * Decides from the bytes alone whether `head` (the start of a file) is text and in which
 * family of encodings; `null` for binary content. See the module comment for the rules.
 */
export function sniffTextEncoding(head: Uint8Array): SniffedEncoding | null {
  if (head.length === 0) return null;
  const bom = bomEncoding(head);
  if (bom) return bom;
  if (isUtf8Text(head)) return 'utf-8';
  if (!head.some((b) => b === 0 || isControl(b))) return 'legacy';
  return sniffUnicodeWithoutBom(head);
}
