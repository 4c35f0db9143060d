import type { DecodedImage } from './decode-once.js';
import { DHASH_HEIGHT, DHASH_WIDTH, dHashFromGrey } from './phash.js';
import type { ImageReader } from './reader.js';

/** Pixel-derived facts about an image. */
export interface ImageAnalysis {
  /** The most common colour (4096-bin histogram) as `#rrggbb`, sRGB, transparency over white. */
  dominantColour: string;
  /** 64-bit dHash as 16 hex digits (see `phash.ts`). */
  phash: string;
}

/** Working size for analysis: plenty for a colour histogram and a 9×8 hash, cheap to hold. */
export const ANALYSIS_SIZE = 256;

const hex = (n: number) =>
  Math.max(0, Math.min(255, Math.round(n)))
    .toString(16)
    .padStart(2, '0');

/**
 * Derives the dominant colour and the dHash from the decoded pixels, through a small sRGB
 * working copy (at most {@link ANALYSIS_SIZE} px, transparency flattened onto white). The
 * source is not read again.
 */
export async function analyse(reader: ImageReader, decoded: DecodedImage): Promise<ImageAnalysis> {
  const { data, info } = await reader.run(() =>
    decoded
      .open()
      .resize(ANALYSIS_SIZE, ANALYSIS_SIZE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true }),
  );
  // The working copy is our own decoded pixels: no limits are needed to read it back.
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const { dominant } = await reader.sharp(data, raw).stats();
  const grey = await reader
    .sharp(data, raw)
    .greyscale()
    .resize(DHASH_WIDTH, DHASH_HEIGHT, { fit: 'fill' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  return {
    dominantColour: `#${hex(dominant.r)}${hex(dominant.g)}${hex(dominant.b)}`,
    phash: dHashFromGrey(grey),
  };
}
