import type { Metadata } from 'sharp';
import { MAX_OUTPUT_SIDE, type ResolvedLimits } from './options.js';
import { rejectImage } from './reject.js';

/** What a resize asks for (see `ResizeOptions`). */
export interface ResizeRequest {
  width: number | undefined;
  height: number | undefined;
  fit: 'inside' | 'outside' | 'cover' | 'contain' | 'fill';
  withoutEnlargement: boolean;
}

/**
 * The largest output a resize of an image of `header`'s size can produce (auto-oriented
 * first, as the operations do). An upper bound, good enough to refuse work up front.
 */
export function plannedSize(
  header: Pick<Metadata, 'width' | 'height' | 'orientation'>,
  request: ResizeRequest,
) {
  const swap = (header.orientation ?? 1) >= 5;
  const w = swap ? header.height : header.width;
  const h = swap ? header.width : header.height;
  const cap = (scale: number) => (request.withoutEnlargement ? Math.min(scale, 1) : scale);
  const sx = cap(request.width === undefined ? request.height! / h : request.width / w);
  const sy = cap(request.height === undefined ? request.width! / w : request.height / h);
  if (request.fit === 'inside' || request.fit === 'outside') {
    const s = request.fit === 'inside' ? Math.min(sx, sy) : Math.max(sx, sy);
    return { width: Math.ceil(w * s), height: Math.ceil(h * s) };
  }
  return { width: request.width ?? Math.ceil(w * sx), height: request.height ?? Math.ceil(h * sy) };
}

/**
 * Refuses a resize whose output would break the pixel cap or the encoders' side limit: the
 * image passed the input caps, but an extreme aspect ratio (1×16384) scaled up to a large
 * width would still ask libvips for billions of pixels.
 */
export function checkPlannedSize(
  header: Pick<Metadata, 'width' | 'height' | 'orientation'>,
  request: ResizeRequest,
  limits: ResolvedLimits,
): void {
  const { width, height } = plannedSize(header, request);
  if (width * height > limits.maxPixels || width > MAX_OUTPUT_SIDE || height > MAX_OUTPUT_SIDE) {
    throw rejectImage(
      'image_too_many_pixels',
      `Resized output of ${width}×${height} would exceed the pixel limit`,
      {
        width,
        height,
        limit: limits.maxPixels,
        output: true,
      },
    );
  }
}
