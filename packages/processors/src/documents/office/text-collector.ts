/**
 * Collects document text up to a character cap. Paragraph breaks are recorded lazily, so
 * blank paragraphs collapse into one `\n` and a break at the very end costs nothing; the
 * cut never splits a surrogate pair.
 */
export class TextCollector {
  readonly #parts: string[] = [];
  #length = 0;
  #truncated = false;
  #pendingBreak = false;

  constructor(private readonly maxChars: number) {}

  /** True once text had to be dropped: callers may stop reading. */
  get full(): boolean {
    return this.#truncated;
  }

  append(text: string): void {
    if (this.#truncated || text.length === 0) return;
    if (this.#pendingBreak) {
      this.#pendingBreak = false;
      this.append('\n');
    }
    const room = this.maxChars - this.#length;
    if (text.length <= room) {
      this.#parts.push(text);
      this.#length += text.length;
      return;
    }
    let cut = text.slice(0, room);
    if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
    this.#parts.push(cut);
    this.#length += cut.length;
    this.#truncated = true;
  }

  /** Records that text was dropped elsewhere (a part left unread): `full` from now on. */
  markTruncated(): void {
    this.#truncated = true;
  }

  /** Ends a paragraph (or line, cell, slide). */
  newline(): void {
    if (this.#length > 0) this.#pendingBreak = true;
  }

  result(): { text: string; textTruncated: boolean } {
    return { text: this.#parts.join(''), textTruncated: this.#truncated };
  }
}
