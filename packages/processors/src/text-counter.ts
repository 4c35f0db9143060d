/** Which line breaks a text uses. A lone CR (classic Mac OS) is not counted as one. */
export type LineEndings = 'lf' | 'crlf' | 'mixed' | 'none';

/** What {@link TextCounter} counts. */
export type TextCounts = {
  /** Line feeds, plus one for a last line without one; 0 for empty text. */
  lines: number;
  /** Runs of non-whitespace (Unicode whitespace, as `\s` in a regular expression). */
  words: number;
  /** Unicode code points (a surrogate pair is one character). */
  characters: number;
  lineEndings: LineEndings;
  /** The first characters of the text, never splitting a surrogate pair. */
  excerpt: string;
};

const LF = 0x0a;
const CR = 0x0d;

/** The characters `\s` matches, as code units. */
function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * Counts lines, words, characters and line breaks over text that arrives in pieces. All
 * state that spans pieces (inside a word, a CR waiting for its LF, the last character) is
 * kept between calls, so where the text was cut never changes the counts.
 */
export class TextCounter {
  readonly #excerptChars: number;
  #excerpt = '';
  #excerptLength = 0;
  #newlines = 0;
  #crlf = 0;
  #words = 0;
  #characters = 0;
  #inWord = false;
  #last = -1;

  /** @param excerptChars how many characters to keep as the excerpt */
  constructor(excerptChars: number) {
    this.#excerptChars = excerptChars;
  }

  /** Counts the next piece of text. */
  write(text: string): void {
    if (text.length === 0) return;
    this.#takeExcerpt(text);
    let last = this.#last;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (!isLowSurrogate(code)) this.#characters++;
      if (code === LF) {
        this.#newlines++;
        if (last === CR) this.#crlf++;
      }
      if (isWhitespace(code)) {
        this.#inWord = false;
      } else if (!this.#inWord) {
        this.#inWord = true;
        this.#words++;
      }
      last = code;
    }
    this.#last = last;
  }

  /** The counts so far. */
  result(): TextCounts {
    const lf = this.#newlines - this.#crlf;
    const lineEndings: LineEndings =
      this.#newlines === 0 ? 'none' : lf === 0 ? 'crlf' : this.#crlf === 0 ? 'lf' : 'mixed';
    const open = this.#characters > 0 && this.#last !== LF ? 1 : 0;
    return {
      lines: this.#newlines + open,
      words: this.#words,
      characters: this.#characters,
      lineEndings,
      excerpt: this.#excerpt,
    };
  }

  #takeExcerpt(text: string): void {
    if (this.#excerptLength >= this.#excerptChars) return;
    let end = 0;
    while (end < text.length && this.#excerptLength < this.#excerptChars) {
      const code = text.charCodeAt(end);
      end += code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(end + 1)) ? 2 : 1;
      this.#excerptLength++;
    }
    this.#excerpt += text.slice(0, end);
  }
}
