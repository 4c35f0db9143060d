import { ErrorCode, FileForgeError } from '@fileforge/core';

/** What {@link rejectContent} attaches besides the reason. */
export interface RejectionOptions {
  /** Facts for logs and clients (`limit`, `width`, `entry`…), merged into `details` after `reason`. */
  details?: Record<string, unknown>;
  /** What the decoder or tool said; kept for logs, never shown to clients. */
  cause?: unknown;
}

/**
 * The one way a processor or operation refuses content: a `CONTENT_REJECTED` error whose
 * `details.reason` is the stable reason (`image_corrupt`, `media_limits`, `archive_overlap`…)
 * and whose message names the subsystem, `[fileforge:<scope>] <message>`. The record then ends
 * `rejected` and nothing is derived.
 *
 * @example
 * ```ts
 * throw rejectContent('image', 'image_too_many_pixels', 'Image of 20000×20000 exceeds the pixel limit', {
 *   details: { width: 20_000, height: 20_000, limit: 40_000_000 },
 * });
 * ```
 */
export function rejectContent(
  scope: string,
  reason: string,
  message: string,
  options: RejectionOptions = {},
): FileForgeError {
  return new FileForgeError(ErrorCode.CONTENT_REJECTED, `[fileforge:${scope}] ${message}`, {
    ...(options.cause === undefined ? {} : { cause: options.cause }),
    details: { reason, ...options.details },
  });
}
