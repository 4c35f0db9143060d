/**
 * Text taken from the user's files (names, paths, reasons naming them) as a terminal is shown
 * it: control characters (C0, DEL, C1) and bidirectional marks and overrides are written as
 * escapes (`\x1b`, `\n`, `\u202e`), so a file name can neither move the cursor, erase a line,
 * start a line of its own nor reorder what follows it. `--json` output needs none of this.
 *
 * @module
 */

const BIDI = new Set([
  0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
]);

const unsafe = (code: number) => code < 0x20 || (code >= 0x7f && code <= 0x9f) || BIDI.has(code);

const escaped = (code: number) =>
  code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;

/** `text` with every character that could steer a terminal written as an escape. */
export function shown(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    out += unsafe(code) ? escaped(code) : ch;
  }
  return out;
}

/** Writes `text`, made safe with {@link shown}, as one line. */
export function writeLine(stream: NodeJS.WritableStream, text: string): void {
  stream.write(`${shown(text)}\n`);
}
