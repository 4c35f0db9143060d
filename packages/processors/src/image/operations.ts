import { Readable } from 'node:stream';
import type { Metadata, Sharp } from 'sharp';
import { z } from 'zod';
import { parseOptions } from '../options/parse.js';
import {
  convertShape,
  needsASide,
  type ParsedConvert,
  type ParsedResize,
  type ParsedThumbnail,
  resizeShape,
  thumbnailShape,
} from './operation-options.js';
import type { ImageLimits, ImageOutputFormat, ResolvedLimits } from './options.js';
import { ImageReader } from './reader.js';
import { encode, fitInside, type RenderedImage } from './render.js';
import { checkPlannedSize } from './resize-plan.js';
import { checkInput, type ImageInput, toImageSource } from './source.js';
import { checkSvg, svgDensity, svgUnits } from './svg.js';

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

// The SDK functions ignore option names they do not know (as they always have); the
// registered operations refuse them.
const thumbnailSchema = z.object(thumbnailShape);
const resizeSchema = needsASide(z.object(resizeShape));
const convertSchema = z.object(convertShape);

function defaultFormat(header: Metadata): ImageOutputFormat {
  const format: string = header.format;
  if (format === 'heif') return 'avif';
  return ['jpeg', 'png', 'webp', 'gif', 'tiff'].includes(format) ? (format as ImageOutputFormat) : 'png';
}

/** Encoder settings and limits, validated. */
type Settings = ResolvedLimits & { quality?: number | undefined; keepMetadata: boolean };

/**
 * The shared path of every operation: read the input safely (SVG from memory, checked),
 * refuse oversized images from the header, build the pipeline (`longEdge` tells SVG how large
 * to render), encode. Options are validated by the caller.
 */
async function render(
  input: ImageInput,
  settings: Settings,
  context: ImageOperationContext,
  longEdge: (header: Metadata) => number,
  build: (image: Sharp, header: Metadata) => { pipeline: Sharp; format: ImageOutputFormat },
): Promise<RenderedImage> {
  checkInput(input);
  const { signal } = context;
  if (signal?.aborted) {
    if (input instanceof Readable) input.destroy(); // never read: release what it holds open
    signal.throwIfAborted();
  }
  const { source, svg } = await toImageSource(input, settings, signal);
  if (svg) checkSvg(source);
  const reader = await ImageReader.create(settings);
  const header = await reader.header(source);
  signal?.throwIfAborted();
  const density = svg
    ? svgDensity(header, longEdge(header), settings.maxPixels, svgUnits(source))
    : undefined;
  const image = reader.open(source, density === undefined ? {} : { density });
  const { pipeline, format } = build(image, header);
  const { quality, keepMetadata } = settings;
  const result = await reader.run(() => encode(pipeline, { format, quality, keepMetadata }));
  signal?.throwIfAborted();
  return result;
}

/** {@link thumbnail} with options already validated. */
export function renderThumbnail(
  input: ImageInput,
  options: ParsedThumbnail,
  context: ImageOperationContext = {},
): Promise<RenderedImage> {
  const { size, format } = options;
  return render(
    input,
    options,
    context,
    () => size,
    (image) => ({ pipeline: fitInside(image, size), format }),
  );
}

/** {@link resize} with options already validated. */
export function renderResize(
  input: ImageInput,
  options: ParsedResize,
  context: ImageOperationContext = {},
): Promise<RenderedImage> {
  const { width, height, fit, withoutEnlargement } = options;
  return render(
    input,
    options,
    context,
    (header) => {
      const scale = Math.max((width ?? 0) / header.width, (height ?? 0) / header.height);
      return scale * Math.max(header.width, header.height);
    },
    (image, header) => {
      checkPlannedSize(header, { width, height, fit, withoutEnlargement }, options);
      return {
        pipeline: image.autoOrient().resize(width ?? null, height ?? null, { fit, withoutEnlargement }),
        format: options.format ?? defaultFormat(header),
      };
    },
  );
}

/** {@link convert} with options already validated. */
export function renderConvert(
  input: ImageInput,
  options: ParsedConvert,
  context: ImageOperationContext = {},
): Promise<RenderedImage> {
  return render(
    input,
    options,
    context,
    (header) => Math.max(header.width, header.height),
    (image) => ({ pipeline: image.autoOrient(), format: options.format }),
  );
}

/**
 * Resizes an image (auto-oriented first) and returns the encoded result in memory.
 * Untrusted input is handled as by the image processor: `CONTENT_REJECTED` with
 * `image_too_many_pixels`, `image_corrupt`, `svg_dtd`, `svg_encoding` or `input_too_large`; an output
 * that would exceed `maxPixels` is refused up front too (`image_too_many_pixels`, `details.output`).
 * Bad options → `VALIDATION_FAILED` before anything is read.
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
  return renderResize(input, parseOptions('image', resizeSchema, options), context);
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
  return renderConvert(input, parseOptions('image', convertSchema, options), context);
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
  return renderThumbnail(input, parseOptions('image', thumbnailSchema, options), context);
}
