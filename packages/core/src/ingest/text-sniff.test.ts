import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sniffTextEncoding } from './text-sniff.js';

const TEXT = 'Grüße aus Köln — 東京 and Москва.\n';
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();
function utf32(text: string, littleEndian: boolean): Buffer {
  const points = [...text].map((c) => c.codePointAt(0) ?? 0);
  const out = Buffer.alloc(points.length * 4);
  points.forEach((p, i) => {
    if (littleEndian) out.writeUInt32LE(p, i * 4);
    else out.writeUInt32BE(p, i * 4);
  });
  return out;
}

describe('sniffTextEncoding', () => {
  it('checks UTF-32 byte order marks before UTF-16 ones (issue 9)', () => {
    expect(sniffTextEncoding(Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32('hi', true)]))).toBe(
      'utf-32le',
    );
    expect(sniffTextEncoding(Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), utf32('hi', false)]))).toBe(
      'utf-32be',
    );
    expect(sniffTextEncoding(Buffer.from([0xff, 0xfe, 0x68, 0x00]))).toBe('utf-16le');
    expect(sniffTextEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x68]))).toBe('utf-8-bom');
  });

  it('recognises UTF-16 and UTF-32 without a byte order mark, in the right byte order', () => {
    expect(sniffTextEncoding(Buffer.from(TEXT, 'utf16le'))).toBe('utf-16le');
    expect(sniffTextEncoding(utf16be(TEXT))).toBe('utf-16be');
    expect(sniffTextEncoding(utf32(TEXT, true))).toBe('utf-32le');
    expect(sniffTextEncoding(utf32(TEXT, false))).toBe('utf-32be');
    // Latin text read in the wrong byte order is valid CJK: the reading with ASCII wins.
    expect(sniffTextEncoding(utf16be('plain words\n'))).toBe('utf-16be');
  });

  it('calls bytes without NUL or controls that are not UTF-8 legacy text', () => {
    expect(sniffTextEncoding(Buffer.from('Caf\xe9 cr\xe8me\r\n', 'latin1'))).toBe('legacy');
    expect(sniffTextEncoding(Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0x0a]))).toBe('legacy'); // 你好 in GBK
    expect(sniffTextEncoding(Buffer.from(TEXT))).toBe('utf-8');
  });

  it('calls binary content binary', () => {
    expect(sniffTextEncoding(Buffer.from([0, 1, 2]))).toBeNull();
    expect(sniffTextEncoding(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]))).toBeNull(); // ELF
    expect(sniffTextEncoding(new Uint8Array(0))).toBeNull();
    let asText = 0;
    for (let i = 0; i < 100; i++) {
      const bytes = randomBytes(512);
      bytes[0] = 0x80; // random bytes may open with a byte-order mark (1 in 32,768): that is text
      if (sniffTextEncoding(bytes) !== null) asText++;
    }
    expect(asText).toBe(0);
  });
});
