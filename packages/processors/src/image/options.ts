import { ErrorCode } from '@fileforge/core';
import { checkBoolean, checkChoice, checkInteger, optionError } from '../options/check.js';

/** Formats thumbnails can be written in. */
export type ThumbnailFormat = 'webp' | 'jpeg' | 'png' | 'avif';

/** Formats the SDK operations can write. */
export type ImageOutputFormat = ThumbnailFormat | 'gif' | 'tiff';

/** One thumbnail to produce for every image. */
export interface ThumbnailSpec {
  /** Longest edge in pixels; the image fits inside `size`×`size` and is never enlarged. */
  size: number;
  /** Output format; the derivative is named `thumbnail-<size>.<ext>`. @default 'webp' */
  format?: ThumbnailFormat;
  /** Encoder quality from 1 to 100 (ignored for PNG). @default the encoder's own (80 for WebP/JPEG, 50 for AVIF) */
  quality?: number;
}

/** Safety limits shared by the processor and the SDK operations. */
export interface ImageLimits {
  /**
   * Largest image accepted, in pixels (width × height), checked from the header before any
   * pixel is decoded and enforced again by sharp's `limitInputPixels` while decoding. Raising
   * it lets bigger photos through at the cost of memory (about 4 bytes a pixel while decoding).
   * @default 40000000 (40 MP)
   */
  maxPixels?: number;
  /**
   * Longest side accepted, in pixels, whatever the pixel count: a 1×40,000,000 strip passes
   * the pixel cap but no encoder or viewer handles it.
   * @default 16384
   */
  maxDimension?: number;
  /**
   * Most bytes read into memory from a stream (sharp needs the whole encoded image before it
   * can decode; files with a local path are read from disk instead).
   * @default 268435456 (256 MiB)
   */
  maxInputBytes?: number;
  /**
   * Most bytes of an SVG document; SVG is parsed as a whole, so its size bounds the parse.
   * @default 5242880 (5 MiB)
   */
  maxSvgBytes?: number;
}

/** Options for {@link createImageProcessor}. */
export interface ImageProcessorOptions extends ImageLimits {
  /**
   * Thumbnails made for every image (first frame of animations). Each size costs one resize
   * and one stored blob per file; an empty list makes none.
   * @default [{ size: 256, format: 'webp' }]
   */
  thumbnails?: readonly ThumbnailSpec[];
  /**
   * Copy the original's EXIF (including GPS position), XMP and IPTC into thumbnails and
   * previews. Off by default because derivatives are served more widely than originals and
   * a photo's GPS position is personal data.
   * @default false
   */
  keepMetadata?: boolean;
  /**
   * Long edge, in pixels, of `preview.png`, the rasterisation of an SVG. Vector input is
   * rendered at this size (smaller drawings are scaled up), but never beyond `maxDimension`
   * or `maxPixels`; thumbnails are made from it.
   * @default 1024
   */
  svgPreviewSize?: number;
}

/** Options with every default applied. */
export interface ResolvedLimits {
  maxPixels: number;
  maxDimension: number;
  maxInputBytes: number;
  maxSvgBytes: number;
}

/** A thumbnail spec with its defaults applied and its derivative name. */
export interface ResolvedThumbnail {
  size: number;
  format: ThumbnailFormat;
  quality?: number;
  /** `thumbnail-<size>.<ext>` */
  name: string;
}

/** Processor options with every default applied. */
export interface ResolvedImageOptions extends ResolvedLimits {
  thumbnails: readonly ResolvedThumbnail[];
  keepMetadata: boolean;
  svgPreviewSize: number;
}

/** sharp's own default pixel limit (0x3FFF²); header reads allow this much to report sizes. */
export const SHARP_DEFAULT_PIXEL_LIMIT = 0x3fff * 0x3fff;
/** Longest side any encoder FileForge uses can write (WebP's limit). */
export const MAX_OUTPUT_SIDE = 16_383;
/** Formats thumbnails can be written in. */
export const THUMBNAIL_FORMATS = ['webp', 'jpeg', 'png', 'avif'] as const;
/** Formats the operations can write. */
export const OUTPUT_FORMATS = [...THUMBNAIL_FORMATS, 'gif', 'tiff'] as const;
const SCOPE = 'image';

/** The defaults of {@link ImageLimits}. */
export const DEFAULT_LIMITS: ResolvedLimits = {
  maxPixels: 40_000_000,
  maxDimension: 16_384,
  maxInputBytes: 256 * 1024 * 1024,
  maxSvgBytes: 5 * 1024 * 1024,
};

/** Applies defaults to the safety limits and validates them. */
export function resolveLimits(
  options: ImageLimits = {},
  code: ErrorCode = ErrorCode.INVALID_CONFIG,
): ResolvedLimits {
  const max = Number.MAX_SAFE_INTEGER;
  const d = DEFAULT_LIMITS;
  return {
    maxPixels: checkInteger(SCOPE, 'maxPixels', options.maxPixels ?? d.maxPixels, 1, max, code),
    maxDimension: checkInteger(
      SCOPE,
      'maxDimension',
      options.maxDimension ?? d.maxDimension,
      1,
      65_535,
      code,
    ),
    maxInputBytes: checkInteger(
      SCOPE,
      'maxInputBytes',
      options.maxInputBytes ?? d.maxInputBytes,
      1,
      max,
      code,
    ),
    maxSvgBytes: checkInteger(SCOPE, 'maxSvgBytes', options.maxSvgBytes ?? d.maxSvgBytes, 1, max, code),
  };
}

/** File extension used in derivative names for a format. */
export const extensionOf = (format: ImageOutputFormat): string => (format === 'jpeg' ? 'jpg' : format);

/** Applies defaults to the processor options and validates them, so bad options fail at construction. */
export function resolveImageOptions(options: ImageProcessorOptions = {}): ResolvedImageOptions {
  const limits = resolveLimits(options);
  const specs = options.thumbnails ?? [{ size: 256, format: 'webp' }];
  if (!Array.isArray(specs)) throw optionError(SCOPE, 'thumbnails', 'an array', specs);
  const names = new Set<string>();
  const thumbnails = specs.map((spec: ThumbnailSpec, i) => {
    const size = checkInteger(SCOPE, `thumbnails[${i}].size`, spec?.size, 1, MAX_OUTPUT_SIDE);
    const format = checkChoice<ThumbnailFormat>(
      SCOPE,
      `thumbnails[${i}].format`,
      spec.format ?? 'webp',
      THUMBNAIL_FORMATS,
    );
    const name = `thumbnail-${size}.${extensionOf(format)}`;
    if (names.has(name)) {
      throw optionError(SCOPE, `thumbnails[${i}]`, 'unique (same size and format twice)', spec);
    }
    names.add(name);
    const quality =
      spec.quality === undefined
        ? {}
        : { quality: checkInteger(SCOPE, `thumbnails[${i}].quality`, spec.quality, 1, 100) };
    return { size, format, name, ...quality };
  });
  return {
    ...limits,
    thumbnails,
    keepMetadata: checkBoolean(SCOPE, 'keepMetadata', options.keepMetadata ?? false),
    svgPreviewSize: checkInteger(SCOPE, 'svgPreviewSize', options.svgPreviewSize ?? 1024, 1, MAX_OUTPUT_SIDE),
  };
}
