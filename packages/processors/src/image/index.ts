/**
 * FileForge image support (sharp/libvips, loaded on first use — importing this module does
 * not load sharp): the `image` processor, which records dimensions, EXIF, dominant colour and
 * a perceptual hash and attaches thumbnails (decoding each image once), the `resize` /
 * `convert` / `thumbnail` SDK functions, and the same work as registered operations
 * (`createImageOperations()`: `image.thumbnail`, `image.resize`, `image.convert`), all with
 * the same safety limits.
 *
 * @module
 */
export { type ExifData, parseExif } from './exif.js';
export { createImageOperations } from './image-operations.js';
export type { ImageMetadata, UndecodedImageMetadata } from './metadata.js';
export {
  type ConvertOptions,
  convert,
  type ImageOperationContext,
  type ImageOperationOptions,
  type ResizeFit,
  type ResizeOptions,
  resize,
  type ThumbnailOptions,
  thumbnail,
} from './operations.js';
export type {
  ImageLimits,
  ImageOutputFormat,
  ImageProcessorOptions,
  ThumbnailFormat,
  ThumbnailSpec,
} from './options.js';
export { dHashDistance, dHashFromGrey } from './phash.js';
export { createImageProcessor, IMAGE_MIME_TYPES } from './processor.js';
export { IMAGE_REJECTION_REASONS, type ImageRejectionReason } from './reject.js';
export type { RenderedImage, RenderedInfo } from './render.js';
export type { ImageInput } from './source.js';
