import { ErrorCode, FileForgeError } from '@fileforge/core';
import type { Metadata, Sharp } from 'sharp';
import {
  checkBoolean,
  checkChoice,
  checkFormat,
  checkInteger,
  type ImageLimits,
  type ImageOutputFormat,
  MAX_OUTPUT_SIDE,
  type ResolvedLimits,
  resolveLimits,
} from './options.js';
import { ImageReader } from './reader.js';
import { encode, fitInside, type RenderedImage } from './render.js';
import { checkPlannedSize } from './resize-plan.js';
import { checkInput, type ImageInput, toImageSource } from './source.js';
import { checkSvg, svgDensity } from './svg.js';

/** Options every image operation takes besides its own. */
export interface ImageOperationOptions extends ImageLimits {
  /** Encoder quality, 1–100 (ignored for PNG). @default the encoder's own */
  quality?: number;
  /**
   * Copy EXIF (including GPS), XMP and IPTC from the input. Off by default: outputs are
   * usually shared more widely than the original.
   * @default false
   */
  keepMetadata?: boolean;
}

/** How {@link resize} fits the image into `width`×`height` (sharp's `fit`). */
export type ResizeFit = 'inside' | 'outside' | 'cover' | 'contain' | 'fill';

/** Options for {@link resize}: give `width`, `height` or both. */
export interface ResizeOptions extends ImageOperationOptions {
  /** Target width in pixels. @default derived from `height` and the aspect ratio */
  width?: number;
  /** Target height in pixels. @default derived from `width` and the aspect ratio */
  height?: number;
  /** @default 'inside' (keep the aspect ratio, fit within both) */
  fit?: ResizeFit;
  /** Never make the image larger than it is. @default true */
  withoutEnlargement?: boolean;
  /** @default the input's format (PNG for SVG input; AVIF for HEIF input) */
  format?: ImageOutputFormat;
}

/** Options for {@link convert}. */
export interface ConvertOptions extends ImageOperationOptions {
  format: ImageOutputFormat;
}

/** Options for {@link thumbnail}. */
export interface ThumbnailOptions extends ImageOperationOptions {
  /** Longest edge; the image fits inside `size`×`size` and is never enlarged. */
  size: number;
  /** @default 'webp' */
  format?: ImageOutputFormat;
}

/** Per-call context of an image operation. */
export interface ImageOperationContext {
  /** Stops the operation between steps (a running libvips step finishes first). */
  signal?: AbortSignal;
}

const FITS: readonly string[] = ['inside', 'outside', 'cover', 'contain', 'fill'];
const V = ErrorCode.VALIDATION_FAILED;

function defaultFormat(header: Metadata): ImageOutputFormat {
  const format: string = header.format;
  if (format === 'heif') return 'avif';
  return ['jpeg', 'png', 'webp', 'gif', 'tiff'].includes(format) ? (format as ImageOutputFormat) : 'png';
}

/**
 * The shared path of every operation: validate, read the input safely (SVG from memory,
 * checked), refuse oversized images from the header, build the pipeline (`longEdge` tells
 * SVG how large to render), encode.
 */
async function run(
  input: ImageInput,
  options: ImageOperationOptions,
  context: ImageOperationContext,
  longEdge: (header: Metadata) => number,
  build: (
    image: Sharp,
    header: Metadata,
    limits: ResolvedLimits,
  ) => { pipeline: Sharp; format: ImageOutputFormat },
): Promise<RenderedImage> {
  checkInput(input);
  const limits = resolveLimits(options, V);
  const quality =
    options.quality === undefined ? undefined : checkInteger('quality', options.quality, 1, 100, V);
  const keepMetadata = checkBoolean('keepMetadata', options.keepMetadata ?? false, V);
  const { signal } = context;
  signal?.throwIfAborted();
  const { source, svg } = await toImageSource(input, limits, signal);
  if (svg) checkSvg(source);
  const reader = await ImageReader.create(limits);
  const header = await reader.header(source);
  signal?.throwIfAborted();
  const density = svg ? svgDensity(header, longEdge(header), limits.maxPixels) : undefined;
  const image = reader.open(source, density === undefined ? {} : { density });
  const { pipeline, format } = build(image, header, limits);
  const result = await reader.run(() => encode(pipeline, { format, quality, keepMetadata }));
  signal?.throwIfAborted();
  return result;
}

/**
 * Resizes an image (auto-oriented first) and returns the encoded result in memory.
 * Untrusted input is handled as by the image processor: `CONTENT_REJECTED` with
 * `image_too_many_pixels`, `image_corrupt`, `svg_dtd`, `svg_encoding` or `input_too_large`; an output
 * that would exceed `maxPixels` is refused up front too (`image_too_many_pixels`, `details.output`).
 *
 * @example
 * ```ts
 * const { data, info } = await resize('photo.jpg', { width: 1200, format: 'webp' });
 * // info → { format: 'webp', width: 1200, height: 900, size: 48211 }
 * ```
 */
export async function resize(
  input: ImageInput,
  options: ResizeOptions,
  context: ImageOperationContext = {},
): Promise<RenderedImage> {
  const width =
    options.width === undefined ? undefined : checkInteger('width', options.width, 1, MAX_OUTPUT_SIDE, V);
  const height =
    options.height === undefined ? undefined : checkInteger('height', options.height, 1, MAX_OUTPUT_SIDE, V);
  if (width === undefined && height === undefined) {
    throw new FileForgeError(V, '[fileforge:image] resize() needs "width", "height" or both');
  }
  const fit = checkChoice<ResizeFit>('fit', options.fit ?? 'inside', FITS, V);
  const withoutEnlargement = checkBoolean('withoutEnlargement', options.withoutEnlargement ?? true, V);
  const format =
    options.format === undefined
      ? undefined
      : checkFormat<ImageOutputFormat>('format', options.format, false, V);
  return run(
    input,
    options,
    context,
    (header) => {
      const scale = Math.max((width ?? 0) / header.width, (height ?? 0) / header.height);
      return scale * Math.max(header.width, header.height);
    },
    (image, header, limits) => {
      checkPlannedSize(header, { width, height, fit, withoutEnlargement }, limits);
      return {
        pipeline: image.autoOrient().resize(width ?? null, height ?? null, { fit, withoutEnlargement }),
        format: format ?? defaultFormat(header),
      };
    },
  );
}

/**
 * Re-encodes an image in another format (auto-oriented, same size; SVG at its own size).
 *
 * @example
 * ```ts
 * const { data } = await convert(fs.createReadStream('scan.tiff'), { format: 'png' });
 * ```
 */
export async function convert(
  input: ImageInput,
  options: ConvertOptions,
  context: ImageOperationContext = {},
): Promise<RenderedImage> {
  const format = checkFormat<ImageOutputFormat>('format', options?.format, false, V);
  return run(
    input,
    options,
    context,
    (header) => Math.max(header.width, header.height),
    (image) => ({ pipeline: image.autoOrient(), format }),
  );
}

/**
 * Makes a thumbnail exactly as the image processor does: auto-oriented, fit inside
 * `size`×`size`, never enlarged, metadata stripped unless `keepMetadata`.
 *
 * @example
 * ```ts
 * const { data, info } = await thumbnail(buffer, { size: 256 }); // WebP, e.g. 256×192
 * ```
 */
export async function thumbnail(
  input: ImageInput,
  options: ThumbnailOptions,
  context: ImageOperationContext = {},
): Promise<RenderedImage> {
  const size = checkInteger('size', options?.size, 1, MAX_OUTPUT_SIDE, V);
  const format = checkFormat<ImageOutputFormat>('format', options.format ?? 'webp', false, V);
  return run(
    input,
    options,
    context,
    () => size,
    (image) => ({ pipeline: fitInside(image, size), format }),
  );
}
