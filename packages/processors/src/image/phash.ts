/**
 * Perceptual hashing by dHash ("difference hash", Neal Krawetz): the image is auto-oriented,
 * flattened onto white, turned greyscale and resized to 9×8 pixels, ignoring the aspect
 * ratio. Each of the 8 rows gives 8 bits, one per pair of neighbours: bit = 1 when the right
 * pixel is brighter than the left. The 64 bits, row by row with the first bit most
 * significant, are written as 16 lower-case hex digits.
 *
 * The hash survives rescaling, re-encoding and small colour changes, so near-duplicates have
 * hashes a small Hamming distance apart (≤ 10 of 64 bits is a common threshold for "the
 * same picture"); it is not meant to survive crops, rotations or mirroring.
 */

/** Width of the greyscale image a dHash is computed from. */
export const DHASH_WIDTH = 9;
/** Height of the greyscale image a dHash is computed from. */
export const DHASH_HEIGHT = 8;

/**
 * Computes the dHash of a 9×8 single-channel (greyscale) image given row by row.
 * @throws RangeError when `pixels` does not hold exactly 72 values.
 */
export function dHashFromGrey(pixels: ArrayLike<number>): string {
  if (pixels.length !== DHASH_WIDTH * DHASH_HEIGHT) {
    throw new RangeError(`dHash needs ${DHASH_WIDTH * DHASH_HEIGHT} grey pixels, got ${pixels.length}`);
  }
  let hash = 0n;
  for (let y = 0; y < DHASH_HEIGHT; y++) {
    for (let x = 0; x < DHASH_WIDTH - 1; x++) {
      const left = pixels[y * DHASH_WIDTH + x] ?? 0;
      const right = pixels[y * DHASH_WIDTH + x + 1] ?? 0;
      hash = (hash << 1n) | (right > left ? 1n : 0n);
    }
  }
  return hash.toString(16).padStart(16, '0');
}

/**
 * Number of differing bits between two 16-hex-digit dHashes (0 = identical, 64 = opposite).
 *
 * @example
 * ```ts
 * const near = dHashDistance(a.metadata.image.phash, b.metadata.image.phash) <= 10;
 * ```
 */
export function dHashDistance(a: string, b: string): number {
  const hex = /^[0-9a-f]{16}$/i;
  if (!hex.test(a) || !hex.test(b)) throw new RangeError('dHashDistance() needs two 16-digit hex hashes');
  let diff = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let bits = 0;
  while (diff > 0n) {
    bits += Number(diff & 1n);
    diff >>= 1n;
  }
  return bits;
}
