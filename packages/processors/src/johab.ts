/**
 * A streaming decoder for Johab (KS X 1001:1998 annex 3, Windows code page 1361), the Korean
 * encoding neither WHATWG's TextDecoder nor iconv-lite knows. Hangul syllables are composed
 * from three 5-bit jamo indexes; symbols and Hanja are a fixed re-arrangement of KS X 1001
 * rows, decoded through the EUC-KR decoder (the same mapping CPython's `johab` codec uses).
 */

/** 5-bit initial value → choseong index (0–18), -1 fill, undefined invalid. */
const INITIAL: Record<number, number> = { 1: -1 };
for (let v = 2; v <= 20; v++) INITIAL[v] = v - 2;
/** 5-bit medial value → jungseong index (0–20), -1 fill. */
const MEDIAL: Record<number, number> = { 2: -1 };
[
  [3, 7, 0],
  [10, 15, 5],
  [18, 23, 11],
  [26, 29, 17],
].forEach(([from = 0, to = 0, base = 0]) => {
  for (let v = from; v <= to; v++) MEDIAL[v] = base + v - from;
});
/** 5-bit final value → jongseong index (0 none, 1–27). */
const FINAL: Record<number, number> = { 1: 0 };
for (let v = 2; v <= 17; v++) FINAL[v] = v - 1;
for (let v = 19; v <= 29; v++) FINAL[v] = v - 2;

/** Compatibility jamo (U+3131…) of each choseong, for a lone initial. */
const INITIAL_JAMO = [
  0x3131, 0x3132, 0x3134, 0x3137, 0x3138, 0x3139, 0x3141, 0x3142, 0x3143, 0x3145, 0x3146, 0x3147, 0x3148,
  0x3149, 0x314a, 0x314b, 0x314c, 0x314d, 0x314e,
];
/** Compatibility jamo of each jongseong (index 1–27), for a lone final. */
const FINAL_JAMO = [
  0, 0x3131, 0x3132, 0x3133, 0x3134, 0x3135, 0x3136, 0x3137, 0x3139, 0x313a, 0x313b, 0x313c, 0x313d, 0x313e,
  0x313f, 0x3140, 0x3141, 0x3142, 0x3144, 0x3145, 0x3146, 0x3147, 0x3148, 0x314a, 0x314b, 0x314c, 0x314d,
  0x314e,
];

const REPLACEMENT = '\ufffd';

function hangul(code: number): string {
  const initial = INITIAL[(code >> 10) & 0x1f];
  const medial = MEDIAL[(code >> 5) & 0x1f];
  const final = FINAL[code & 0x1f];
  if (initial === undefined || medial === undefined || final === undefined) return REPLACEMENT;
  if (initial >= 0 && medial >= 0) return String.fromCharCode(0xac00 + (initial * 21 + medial) * 28 + final);
  if (initial >= 0 && final === 0) return String.fromCharCode(INITIAL_JAMO[initial] ?? 0xfffd);
  if (initial < 0 && medial >= 0 && final === 0) return String.fromCharCode(0x314f + medial);
  if (initial < 0 && medial < 0 && final > 0) return String.fromCharCode(FINAL_JAMO[final] ?? 0xfffd);
  if (initial < 0 && medial < 0 && final === 0) return '\u3164'; // Hangul filler
  return REPLACEMENT;
}

const euckr = new TextDecoder('euc-kr');

/** A symbol or Hanja pair → the KS X 1001 character it re-arranges, or U+FFFD. */
function symbol(c1: number, c2: number): string {
  const invalid =
    c1 === 0xdf ||
    c1 > 0xf9 ||
    c1 < 0xd9 ||
    c2 < 0x31 ||
    (c2 >= 0x80 && c2 < 0x91) ||
    (c2 & 0x7f) === 0x7f ||
    (c1 === 0xda && c2 >= 0xa1 && c2 <= 0xd3);
  if (invalid) return REPLACEMENT;
  let t1 = c1 < 0xe0 ? 2 * (c1 - 0xd9) : 2 * c1 - 0x197;
  let t2 = c2 < 0x91 ? c2 - 0x31 : c2 - 0x43;
  t1 = t1 + (t2 < 0x5e ? 0 : 1) + 0x21;
  t2 = (t2 < 0x5e ? t2 : t2 - 0x5e) + 0x21;
  return euckr.decode(new Uint8Array([t1 | 0x80, t2 | 0x80]));
}

/** Decodes Johab chunk by chunk, like `TextDecoder.decode(bytes, { stream })`. */
export class JohabDecoder {
  readonly encoding = 'johab';
  #lead = -1;

  decode(bytes: Uint8Array = new Uint8Array(0), options: { stream?: boolean } = {}): string {
    let out = '';
    for (const b of bytes) {
      if (this.#lead >= 0) {
        const lead = this.#lead;
        this.#lead = -1;
        out += lead <= 0xd3 ? hangul((lead << 8) | b) : symbol(lead, b);
      } else if (b < 0x80) {
        out += String.fromCharCode(b);
      } else if ((b >= 0x84 && b <= 0xd3) || (b >= 0xd8 && b <= 0xf9)) {
        this.#lead = b;
      } else {
        out += REPLACEMENT;
      }
    }
    if (!options.stream && this.#lead >= 0) {
      this.#lead = -1;
      out += REPLACEMENT;
    }
    return out;
  }
}
