import { describe, expect, it } from 'vitest';
import { measureText } from './text-measure.js';

const bytes = (...values: number[]) => new Uint8Array(values);
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const measure = (chunks: Uint8Array[], options: { maxBytes?: number; latin1?: boolean } = {}) =>
  measureText(chunks, {
    excerptChars: 500,
    maxBytes: options.maxBytes ?? 1 << 20,
    latin1: options.latin1 ?? false,
  });

describe('measureText', () => {
  it('counts a word split exactly across two stream chunks once', async () => {
    const result = await measure([utf8('one tw'), utf8('o three')]);
    expect(result).toMatchObject({ encoding: 'utf-8', words: 3, characters: 13, lines: 1, truncated: false });
  });

  it('decodes a character whose bytes straddle two chunks', async () => {
    const e = utf8('é'); // C3 A9
    const result = await measure([bytes(0x63, 0x61, 0x66, e[0] ?? 0), bytes(e[1] ?? 0)]);
    expect(result).toMatchObject({ encoding: 'utf-8', characters: 4, words: 1, excerpt: 'café' });
  });

  it('finds a byte order mark delivered one byte at a time', async () => {
    const result = await measure([bytes(0xef), bytes(0xbb), bytes(0xbf), utf8('hi')]);
    expect(result).toMatchObject({ encoding: 'utf-8-bom', characters: 2, excerpt: 'hi' });
  });

  it('reads UTF-16 in both byte orders', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a b\r\n', 'utf16le')]);
    const be = Buffer.from(le.subarray(2)).swap16();
    await expect(measure([le])).resolves.toMatchObject({
      encoding: 'utf-16le',
      words: 2,
      lineEndings: 'crlf',
    });
    await expect(measure([bytes(0xfe, 0xff), be])).resolves.toMatchObject({ encoding: 'utf-16be', words: 2 });
  });

  it('answers null for bytes that are not UTF-8, and decodes them as latin1 when asked', async () => {
    const latin1 = Buffer.from('caf\u00e9 cr\u00e8me', 'latin1');
    expect(await measure([latin1])).toBeNull();
    await expect(measure([latin1], { latin1: true })).resolves.toMatchObject({
      encoding: 'latin1',
      excerpt: 'café crème',
      words: 2,
      characters: 10,
    });
    await expect(measure([bytes(0x61, 0x00, 0xe9)], { latin1: true })).resolves.toMatchObject({
      encoding: 'unknown',
    });
  });

  it('stops at maxBytes, even inside a multi-byte character, and says so', async () => {
    const result = await measure([utf8('ab '), utf8('cdé')], { maxBytes: 6 }); // cuts é in half
    expect(result).toMatchObject({
      encoding: 'utf-8',
      truncated: true,
      characters: 5,
      words: 2,
      excerpt: 'ab cd',
    });
    await expect(measure([utf8('abc')], { maxBytes: 3 })).resolves.toMatchObject({
      truncated: false,
      characters: 3,
    });
  });

  it('reports an empty input as empty UTF-8 text', async () => {
    await expect(measure([])).resolves.toEqual({
      encoding: 'utf-8',
      lines: 0,
      words: 0,
      characters: 0,
      lineEndings: 'none',
      excerpt: '',
      truncated: false,
    });
  });
});
