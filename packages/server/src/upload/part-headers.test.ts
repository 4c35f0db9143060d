import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundaryOf, createPartHeaderGuard } from './part-headers.js';

const BOUNDARY = 'XyZ123boundary';

function body(parts: { headers: string; content: string }[], epilogue = ''): Buffer {
  const pieces = parts.map((p) => `--${BOUNDARY}\r\n${p.headers}\r\n\r\n${p.content}\r\n`);
  return Buffer.from(`${pieces.join('')}--${BOUNDARY}--\r\n${epilogue}`, 'latin1');
}

/** Feeds `data` in the given chunk sizes; true when the guard tripped. */
function feed(data: Buffer, limit: number, sizes: number[] = [data.length]): boolean {
  const guard = createPartHeaderGuard(BOUNDARY, limit);
  let offset = 0;
  let index = 0;
  let tripped = false;
  while (offset < data.length) {
    const size = Math.max(1, sizes[index++ % sizes.length] ?? data.length);
    tripped = guard.push(data.subarray(offset, offset + size)) || tripped;
    offset += size;
  }
  return tripped;
}

const disposition = (name: string) => `Content-Disposition: form-data; name="file"; filename="${name}"`;

describe('part header guard', () => {
  it('passes ordinary parts, whatever their content', () => {
    const data = body([
      { headers: `${disposition('a.txt')}\r\nContent-Type: text/plain`, content: 'x'.repeat(200_000) },
      { headers: disposition('b.bin'), content: '\r\n\r\n--not-the-boundary\r\n' },
    ]);
    expect(feed(data, 1024)).toBe(false);
    expect(feed(data, 1024, [1])).toBe(false);
  });

  it('trips on an 80 KiB header block, also when it arrives a byte at a time', () => {
    const data = body([
      { headers: `${disposition('h.txt')}\r\nX-Padding: ${'p'.repeat(80 * 1024)}`, content: 'hostile' },
    ]);
    expect(feed(data, 16 * 1024)).toBe(true);
    expect(feed(data, 16 * 1024, [1, 7, 4096])).toBe(true);
  });

  it('does not count the epilogue after the close delimiter', () => {
    expect(feed(body([{ headers: disposition('a'), content: 'a' }], 'e'.repeat(50_000)), 1024)).toBe(false);
  });

  it('reads the boundary from the content type, quoted or not', () => {
    expect(boundaryOf('multipart/form-data; boundary=abc')).toBe('abc');
    expect(boundaryOf('multipart/form-data; charset=utf-8; boundary="a b"')).toBe('a b');
    expect(boundaryOf('multipart/form-data')).toBeUndefined();
  });

  it('gives the same verdict however the body is split (fuzzed)', () => {
    const part = fc.record({
      headerSize: fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1960, max: 1975 })),
      content: fc.string({ maxLength: 300 }).map((s) => s.replace(new RegExp(BOUNDARY, 'g'), '')),
    });
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }),
        (parts, sizes) => {
          const data = body(
            parts.map((p, i) => ({
              headers: `${disposition(`f${i}`)}\r\nX-Pad: ${'p'.repeat(p.headerSize)}`,
              content: p.content,
            })),
          );
          const limit = 2048;
          // A block is the delimiter line's CRLF, the headers and the blank line's CRLFCRLF.
          const blockSize = (p: { headerSize: number }) =>
            2 + `${disposition('f0')}\r\nX-Pad: `.length + p.headerSize + 4;
          const expected = parts.some((p) => blockSize(p) > limit);
          expect(feed(data, limit)).toBe(expected);
          expect(feed(data, limit, sizes)).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 1, max: 50 }), (bytes, size) => {
        feed(Buffer.from(bytes), 100, [size]);
      }),
      { numRuns: 300 },
    );
  });
});
