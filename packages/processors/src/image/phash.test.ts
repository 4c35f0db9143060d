import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ANALYSIS_SIZE, analyse } from './analysis.js';
import { decodeOnce } from './decode-once.js';
import { resolveLimits } from './options.js';
import { dHashDistance, dHashFromGrey } from './phash.js';
import { ImageReader } from './reader.js';

describe('dHash', () => {
  it('sets a bit wherever the right neighbour is brighter, row by row', () => {
    // Every row rises left to right: all 64 bits set.
    const rising = Array.from({ length: 72 }, (_, i) => i % 9);
    expect(dHashFromGrey(rising)).toBe('ffffffffffffffff');
    expect(dHashFromGrey(rising.map((v) => 8 - v))).toBe('0000000000000000');
    // Only the first pair of the first row rises: the most significant bit.
    const first = Array.from({ length: 72 }, () => 5);
    first[1] = 6;
    expect(dHashFromGrey(first)).toBe('8000000000000000');
  });

  it('refuses the wrong number of pixels', () => {
    expect(() => dHashFromGrey([1, 2, 3])).toThrow(RangeError);
  });

  it('counts differing bits', () => {
    expect(dHashDistance('ffffffffffffffff', '0000000000000000')).toBe(64);
    expect(dHashDistance('8000000000000001', '0000000000000000')).toBe(2);
    expect(() => dHashDistance('xyz', '0000000000000000')).toThrow(RangeError);
  });

  it('stays close for a rescaled, re-encoded copy and differs for another picture', async () => {
    const reader = await ImageReader.create(resolveLimits());
    const scene = (shapes: string) =>
      sharp(
        Buffer.from(
          `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><defs><linearGradient id="g"><stop offset="0" stop-color="#124"/><stop offset="1" stop-color="#fc8"/></linearGradient></defs><rect width="640" height="480" fill="url(#g)"/>${shapes}</svg>`,
        ),
      )
        .jpeg()
        .toBuffer();
    const original = await scene(
      '<circle cx="200" cy="240" r="120" fill="#fff"/><rect x="400" y="60" width="180" height="120" fill="#000"/>',
    );
    const copy = await sharp(original).resize(320).webp({ quality: 60 }).toBuffer();
    const other = await scene(
      '<circle cx="480" cy="120" r="90" fill="#000"/><rect x="40" y="300" width="300" height="150" fill="#fff"/>',
    );
    const hash = async (image: Buffer) =>
      analyse(reader, await decodeOnce(reader, image, ANALYSIS_SIZE, { keepMetadata: false }));
    const [a, b, c] = await Promise.all([original, copy, other].map(hash));
    expect(dHashDistance(a!.phash, b!.phash)).toBeLessThanOrEqual(10);
    expect(dHashDistance(a!.phash, c!.phash)).toBeGreaterThan(10);
  });
});
