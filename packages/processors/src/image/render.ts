import type { Sharp } from 'sharp';
import type { ImageOutputFormat } from './options.js';

/** Facts about an encoded image. */
export interface RenderedInfo {
  /** The format written. */
  format: ImageOutputFormat;
  /** Pixels. */
  width: number;
  /** Pixels. */
  height: number;
  /** Bytes of `data`. */
  size: number;
}

/** An encoded image held in memory, as every image operation returns it. */
export interface RenderedImage {
  data: Buffer;
  info: RenderedInfo;
}

/** How a pipeline's output is encoded. */
export interface EncodeOptions {
  format: ImageOutputFormat;
  /** 1–100; ignored for PNG, GIF and TIFF's lossless default. */
  quality?: number | undefined;
  /** Copy EXIF (with GPS), XMP and IPTC from the input; otherwise all of it is stripped. */
  keepMetadata: boolean;
}

/**
 * Finishes a pipeline: JPEG has no alpha, so transparency is flattened onto white (sharp
 * would make it black); metadata is copied only when asked, otherwise the output carries
 * none (sharp strips by default). Encoding from decoded pixels is also what keeps bytes
 * appended to, or hidden in, the original out of every derivative.
 */
export async function encode(pipeline: Sharp, options: EncodeOptions): Promise<RenderedImage> {
  const { format, quality } = options;
  let out = format === 'jpeg' ? pipeline.flatten({ background: '#ffffff' }) : pipeline;
  if (options.keepMetadata) out = out.keepMetadata();
  out = out.toFormat(format, quality === undefined || format === 'png' ? {} : { quality });
  const { data, info } = await out.toBuffer({ resolveWithObject: true });
  return { data, info: { format, width: info.width, height: info.height, size: info.size } };
}

/** Auto-orients and fits inside `size`×`size`, never enlarging: the thumbnail geometry. */
export function fitInside(pipeline: Sharp, size: number): Sharp {
  return pipeline.autoOrient().resize(size, size, { fit: 'inside', withoutEnlargement: true });
}
