import { ErrorCode, FileForgeError } from '@fileforge/core';
import { rejectContent } from '../reject-content.js';

/**
 * Why the image processor or an image operation refused content, as `details.reason` of a
 * `CONTENT_REJECTED` error:
 * - `image_too_many_pixels`: more pixels than `maxPixels`, or a side longer than `maxDimension`, read
 *   from the header before anything is decoded;
 * - `image_corrupt`: the decoder failed or warned (truncated, malformed or unsupported data);
 * - `svg_dtd`: an SVG with a DTD internal subset or entity declarations (XXE, billion laughs);
 * - `svg_encoding`: an SVG in an encoding other than UTF-8 / ASCII-compatible ones, where
 *   the DTD check above could not see its markup;
 * - `input_too_large`: more bytes than `maxInputBytes` (`maxSvgBytes` for SVG) to buffer.
 */
export type ImageRejectionReason =
  | 'image_too_many_pixels'
  | 'image_corrupt'
  | 'svg_dtd'
  | 'svg_encoding'
  | 'input_too_large';

/** Every {@link ImageRejectionReason}, for documentation and tests. */
export const IMAGE_REJECTION_REASONS: readonly ImageRejectionReason[] = [
  'image_too_many_pixels',
  'image_corrupt',
  'svg_dtd',
  'svg_encoding',
  'input_too_large',
];

/**
 * {@link rejectContent} for the image subsystem, typed to its reasons: a `CONTENT_REJECTED`
 * error with `details.reason`.
 */
export function rejectImage(
  reason: ImageRejectionReason,
  message: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
) {
  return rejectContent('image', reason, message, { details, cause });
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs sharp work on untrusted input and turns what libvips throws into verdicts: a pixel
 * limit hit while decoding becomes `image_too_many_pixels`, an output too large for its format
 * `VALIDATION_FAILED` (the caller asked for it), anything else from the decoder
 * `image_corrupt`. FileForge errors and aborts pass through unchanged.
 */
export async function decoding<T>(work: () => Promise<T>, limit: number): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (FileForgeError.is(error) || (error as Error | undefined)?.name === 'AbortError') throw error;
    const text = message(error);
    if (/exceeds pixel limit/i.test(text)) {
      throw rejectImage('image_too_many_pixels', 'Image exceeds the pixel limit', { limit }, error);
    }
    if (/too large for the \w+ format/i.test(text)) {
      throw new FileForgeError(ErrorCode.VALIDATION_FAILED, `[fileforge:image] ${text}`, { cause: error });
    }
    throw rejectImage('image_corrupt', `Image could not be decoded: ${text}`, {}, error);
  }
}
