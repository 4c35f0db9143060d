import type { Sharp, SharpOptions } from 'sharp';
import type { ImageReader } from './reader.js';
import type { ImageSource } from './source.js';

/**
 * An image decoded once, at the largest size any output needs, and held in memory. Every
 * thumbnail, the preview, the dominant colour and the dHash are made from these pixels, so
 * the source is decoded once per run however many outputs there are.
 */
export interface DecodedImage {
  /** Width and height of the decoded pixels (oriented). */
  readonly width: number;
  readonly height: number;
  /** A new pipeline over the decoded pixels. */
  open(): Sharp;
}

/** How {@link decodeOnce} decodes. */
export interface DecodeOptions {
  /**
   * Keep the source's EXIF, XMP and ICC profile with the pixels, so outputs encoded with
   * `keepMetadata` carry them. The pixels are then held as an uncompressed PNG (which carries
   * that metadata) instead of raw bytes. PNG has no IPTC: see `withIptc()`.
   */
  keepMetadata: boolean;
  /** Rendering density for vector input (SVG), from `svgDensity()`. */
  density?: number | undefined;
}

/**
 * Decodes `source` once: auto-oriented and fitted inside `longEdge`×`longEdge`, never
 * enlarged. libvips shrinks on load where the format allows (JPEG, WebP, SVG), so a 12 MP
 * photo needed at 256 px is decoded at 1/8 scale. The decode runs under the reader's limits
 * (`failOn: 'warning'`, `limitInputPixels`): a corrupt or oversized image is refused here.
 */
export async function decodeOnce(
  reader: ImageReader,
  source: ImageSource,
  longEdge: number,
  options: DecodeOptions,
): Promise<DecodedImage> {
  const input: SharpOptions = options.density === undefined ? {} : { density: options.density };
  const pipeline = reader
    .open(source, input)
    .autoOrient()
    .resize(longEdge, longEdge, { fit: 'inside', withoutEnlargement: true });
  if (options.keepMetadata) {
    const { data, info } = await reader.run(() =>
      pipeline.keepMetadata().png({ compressionLevel: 0 }).toBuffer({ resolveWithObject: true }),
    );
    // Our own encoding of pixels already checked: read back without the untrusted-input limits.
    return { width: info.width, height: info.height, open: () => reader.sharp(data) };
  }
  const { data, info } = await reader.run(() => pipeline.raw().toBuffer({ resolveWithObject: true }));
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  return { width: info.width, height: info.height, open: () => reader.sharp(data, raw) };
}
