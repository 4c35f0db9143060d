/**
 * The options of the image operations as zod schemas, shared by the SDK functions
 * (`thumbnail()`, `resize()`, `convert()`) and the registered operations (`image.thumbnail`,
 * …), so both accept and refuse the same values.
 */
import { z } from 'zod';
import { DEFAULT_LIMITS, MAX_OUTPUT_SIDE, OUTPUT_FORMATS } from './options.js';

const count = z.int().min(1);

/** `ImageLimits` and the encoder settings every operation takes, with their defaults. */
export const commonShape = {
  maxPixels: count.default(DEFAULT_LIMITS.maxPixels),
  maxDimension: count.max(65_535).default(DEFAULT_LIMITS.maxDimension),
  maxInputBytes: count.default(DEFAULT_LIMITS.maxInputBytes),
  maxSvgBytes: count.default(DEFAULT_LIMITS.maxSvgBytes),
  quality: z.int().min(1).max(100).optional(),
  keepMetadata: z.boolean().default(false),
};

const side = z.int().min(1).max(MAX_OUTPUT_SIDE);

/** `thumbnail()`: the longest edge and the format. */
export const thumbnailShape = {
  ...commonShape,
  size: side,
  format: z.enum(OUTPUT_FORMATS).default('webp'),
};

/** `resize()`: a box, how to fit into it, and the format. */
export const resizeShape = {
  ...commonShape,
  width: side.optional(),
  height: side.optional(),
  fit: z.enum(['inside', 'outside', 'cover', 'contain', 'fill']).default('inside'),
  withoutEnlargement: z.boolean().default(true),
  format: z.enum(OUTPUT_FORMATS).optional(),
};

/** `convert()`: the format. */
export const convertShape = { ...commonShape, format: z.enum(OUTPUT_FORMATS) };

/** Adds the rule a resize needs at least one side, to a schema of {@link resizeShape}. */
export function needsASide<S extends z.ZodType<{ width?: number | undefined; height?: number | undefined }>>(
  schema: S,
) {
  return schema.refine((o) => o.width !== undefined || o.height !== undefined, {
    message: 'resize needs "width", "height" or both',
    path: ['width'],
  });
}

/** Options after validation. */
export type ParsedThumbnail = z.output<z.ZodObject<typeof thumbnailShape>>;
export type ParsedResize = z.output<z.ZodObject<typeof resizeShape>>;
export type ParsedConvert = z.output<z.ZodObject<typeof convertShape>>;
