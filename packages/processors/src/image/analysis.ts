import { DHASH_HEIGHT, DHASH_WIDTH, dHashFromGrey } from './phash.js';
import type { ImageReader } from './reader.js';
import type { ImageSource } from './source.js';

/** Pixel-derived facts about an image. */
export interface ImageAnalysis {
  /** The most common colour (4096-bin histogram) as `#rrggbb`, sRGB, transparency over white. */
  dominantColour: string;
  /** 64-bit dHash as 16 hex digits (see `phash.ts`). */
  phash: string;
}

/** Working size for analysis: plenty for a colour histogram and a 9×8 hash, cheap to hold. */
const WORKING_SIZE = 256;

const hex = (n: number) =>
  Math.max(0, Math.min(255, Math.round(n)))
    .toString(16)
    .padStart(2, '0');

/**
 * Decodes the image once into a small oriented sRGB working copy (transparency flattened
 * onto white) and derives the dominant colour and the dHash from it.
 */
export async function analyse(reader: ImageReader, source: ImageSource): Promise<ImageAnalysis> {
  const { data, info } = await reader.run(() =>
    reader
      .open(source)
      .autoOrient()
      .resize(WORKING_SIZE, WORKING_SIZE, { fit: 'inside', withoutEnlargement: true })
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
