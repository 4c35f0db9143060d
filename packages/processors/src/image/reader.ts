import type { Metadata, Sharp, SharpConstructor, SharpOptions } from 'sharp';
import { loadSharp } from './load-sharp.js';
import { type ResolvedLimits, SHARP_DEFAULT_PIXEL_LIMIT } from './options.js';
import { decoding, rejectImage } from './reject.js';
import type { ImageSource } from './source.js';

/**
 * Opens untrusted images with the safe settings only: `failOn: 'warning'` (a truncated or
 * malformed file is an error, not a half-grey picture) and `limitInputPixels` at the
 * configured cap, never `unlimited`. Every sharp instance on user content comes from here.
 */
export class ImageReader {
  private constructor(
    readonly sharp: SharpConstructor,
    readonly limits: ResolvedLimits,
  ) {}

  /** Loads sharp (lazily, once) and returns a reader enforcing `limits`. */
  static async create(limits: ResolvedLimits): Promise<ImageReader> {
    return new ImageReader(await loadSharp(), limits);
  }

  /** A sharp pipeline over `source` that refuses to decode more than `maxPixels`. */
  open(source: ImageSource, options: SharpOptions = {}): Sharp {
    return this.sharp(source, { ...options, failOn: 'warning', limitInputPixels: this.limits.maxPixels });
  }

  /** Runs decoding work, classifying decoder failures (see {@link decoding}). */
  run<T>(work: () => Promise<T>): Promise<T> {
    return decoding(work, this.limits.maxPixels);
  }

  /**
   * Reads the header only (no pixel is decoded) and refuses images over the caps with
   * `image_too_many_pixels`, reporting their size. The header read itself allows up to sharp's own
   * default (16383²) so that the size of a moderately oversized image can be reported;
   * beyond that sharp refuses the header and the size stays unknown.
   */
  async header(source: ImageSource): Promise<Metadata> {
    const limit = Math.max(this.limits.maxPixels, SHARP_DEFAULT_PIXEL_LIMIT);
    const metadata = await decoding(
      () => this.sharp(source, { failOn: 'warning', limitInputPixels: limit }).metadata(),
      this.limits.maxPixels,
    );
    const { width, height } = metadata;
    const { maxPixels, maxDimension } = this.limits;
    if (!(width > 0 && height > 0)) {
      throw rejectImage('image_corrupt', 'Image header has no usable size', { width, height });
    }
    if (width * height > maxPixels || width > maxDimension || height > maxDimension) {
      throw rejectImage('image_too_many_pixels', `Image of ${width}×${height} exceeds the pixel limit`, {
        width,
        height,
        limit: maxPixels,
        maxDimension,
      });
    }
    return metadata;
  }
}
