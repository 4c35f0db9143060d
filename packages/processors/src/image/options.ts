import { ErrorCode, FileForgeError } from '@fileforge/core';

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
const THUMBNAIL_FORMATS: readonly string[] = ['webp', 'jpeg', 'png', 'avif'];
const OUTPUT_FORMATS: readonly string[] = [...THUMBNAIL_FORMATS, 'gif', 'tiff'];

function invalid(
  name: string,
  expected: string,
  value: unknown,
  code: ErrorCode = ErrorCode.INVALID_CONFIG,
): FileForgeError {
  return new FileForgeError(
    code,
    `[fileforge:image] Option "${name}" must be ${expected}, got ${JSON.stringify(value) ?? String(value)}`,
    { details: { option: name } },
  );
}

/**
 * Checks an integer option in `[min, max]`, throwing `code` (`INVALID_CONFIG` for factory
 * options, `VALIDATION_FAILED` for per-call options) otherwise.
 */
export function checkInteger(
  name: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
  code: ErrorCode = ErrorCode.INVALID_CONFIG,
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(name, `an integer from ${min} to ${max}`, value, code);
  }
  return value;
}

/** Checks that an option is one of `allowed`, like {@link checkInteger}. */
export function checkChoice<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly string[],
  code: ErrorCode = ErrorCode.INVALID_CONFIG,
): T {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw invalid(name, `one of ${allowed.join(', ')}`, value, code);
  }
  return value as T;
}

/** Checks an output format name like {@link checkInteger}; thumbnails allow fewer formats. */
export function checkFormat<T extends string>(
  name: string,
  value: unknown,
  thumbnail: boolean,
  code: ErrorCode = ErrorCode.INVALID_CONFIG,
): T {
  return checkChoice<T>(name, value, thumbnail ? THUMBNAIL_FORMATS : OUTPUT_FORMATS, code);
}

/** Checks a boolean option like {@link checkInteger}. */
export function checkBoolean(
  name: string,
  value: unknown,
  code: ErrorCode = ErrorCode.INVALID_CONFIG,
): boolean {
  if (typeof value !== 'boolean') throw invalid(name, 'a boolean', value, code);
  return value;
}

/** Applies defaults to the safety limits and validates them. */
export function resolveLimits(
  options: ImageLimits = {},
  code: ErrorCode = ErrorCode.INVALID_CONFIG,
): ResolvedLimits {
  const max = Number.MAX_SAFE_INTEGER;
  return {
    maxPixels: checkInteger('maxPixels', options.maxPixels ?? 40_000_000, 1, max, code),
    maxDimension: checkInteger('maxDimension', options.maxDimension ?? 16_384, 1, 65_535, code),
    maxInputBytes: checkInteger('maxInputBytes', options.maxInputBytes ?? 256 * 1024 * 1024, 1, max, code),
    maxSvgBytes: checkInteger('maxSvgBytes', options.maxSvgBytes ?? 5 * 1024 * 1024, 1, max, code),
  };
}

/** File extension used in derivative names for a format. */
export const extensionOf = (format: ImageOutputFormat): string => (format === 'jpeg' ? 'jpg' : format);

/** Applies defaults to the processor options and validates them, so bad options fail at construction. */
export function resolveImageOptions(options: ImageProcessorOptions = {}): ResolvedImageOptions {
  const limits = resolveLimits(options);
  const specs = options.thumbnails ?? [{ size: 256, format: 'webp' }];
  if (!Array.isArray(specs)) throw invalid('thumbnails', 'an array', specs);
  const names = new Set<string>();
  const thumbnails = specs.map((spec: ThumbnailSpec, i) => {
    const size = checkInteger(`thumbnails[${i}].size`, spec?.size, 1, MAX_OUTPUT_SIDE);
    const format = checkFormat<ThumbnailFormat>(`thumbnails[${i}].format`, spec.format ?? 'webp', true);
    const name = `thumbnail-${size}.${extensionOf(format)}`;
    if (names.has(name)) throw invalid(`thumbnails[${i}]`, 'unique (same size and format twice)', spec);
    names.add(name);
    const quality =
      spec.quality === undefined
        ? {}
        : { quality: checkInteger(`thumbnails[${i}].quality`, spec.quality, 1, 100) };
    return { size, format, name, ...quality };
  });
  return {
    ...limits,
    thumbnails,
    keepMetadata: checkBoolean('keepMetadata', options.keepMetadata ?? false),
    svgPreviewSize: checkInteger('svgPreviewSize', options.svgPreviewSize ?? 1024, 1, MAX_OUTPUT_SIDE),
  };
}
