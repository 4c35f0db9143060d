/**
 * Watches a multipart body for part header blocks larger than a limit. busboy keeps the first
 * 80 KiB of a part's headers and silently drops the rest, so an oversized header block would
 * otherwise be accepted (security spec A3); this sees the raw bytes beside busboy and says when
 * one block — from the line after a boundary delimiter to the blank line that ends it — has
 * passed the limit. It only reads: the bytes still flow to busboy unchanged.
 *
 * How it works: outside a header block it looks for the delimiter `\r\n--<boundary>` with
 * `Buffer.indexOf` (the body's first delimiter has no CRLF before it, so the scan starts as if
 * one had been seen); after a delimiter it counts bytes up to `\r\n\r\n`. The last few bytes of
 * a chunk are carried into the next, so a delimiter or terminator split across chunks is still
 * found. After the close delimiter (`--<boundary>--`) it stops looking.
 *
 * @module
 */

const TERMINATOR = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);

/** Feeds body chunks; `push()` returns true once a header block has passed the limit. */
export interface PartHeaderGuard {
  push(chunk: Buffer): boolean;
}

/** The boundary of a `multipart/form-data` content type, or `undefined`. */
export function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** Creates a guard for one body with the given boundary and header-block limit in bytes. */
export function createPartHeaderGuard(boundary: string, maxHeaderBytes: number): PartHeaderGuard {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let state: 'search' | 'headers' | 'done' | 'tripped' = 'search';
  let carry: Buffer = Buffer.from('\r\n');
  let counted = 0;

  return {
    push(chunk) {
      if (state === 'done') return false;
      if (state === 'tripped') return true;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      carry = EMPTY;
      let pos = 0;
      for (;;) {
        if (state === 'search') {
          const at = data.indexOf(delimiter, pos);
          if (at < 0) {
            carry = data.subarray(Math.max(pos, data.length - (delimiter.length + 1)));
            return false;
          }
          const after = at + delimiter.length;
          if (data.length - after < 2) {
            // Cannot tell a part from the close delimiter yet: decide with the next chunk.
            carry = data.subarray(at);
            return false;
          }
          if (data[after] === 0x2d && data[after + 1] === 0x2d) {
            state = 'done';
            return false;
          }
          pos = after;
          state = 'headers';
          counted = 0;
        } else {
          const at = data.indexOf(TERMINATOR, pos);
          const end = at < 0 ? data.length : at + TERMINATOR.length;
          counted += end - pos;
          if (counted > maxHeaderBytes) {
            state = 'tripped';
            return true;
          }
          if (at < 0) {
            // Keep the last bytes for a terminator split across chunks; they are counted again.
            carry = data.subarray(Math.max(pos, data.length - (TERMINATOR.length - 1)));
            counted -= carry.length;
            return false;
          }
          pos = end;
          state = 'search';
        }
      }
    },
  };
}
