import { rejectContent } from '../reject-content.js';
import type { ResolvedLimits } from './options.js';
import type { MediaMetadata } from './probe.js';
import { MediaRejectReason } from './rejections.js';

/**
 * Refuses what the probe shows to be too long or too large, before any frame is decoded
 * (security spec D3): `media_limits`, `media_limits`. An unknown duration passes here;
 * ffmpeg's `-t` bounds it instead.
 */
export function checkLimits(metadata: MediaMetadata, limits: ResolvedLimits): void {
  const { duration, video } = metadata;
  if (duration !== null && duration > limits.maxDurationSeconds) {
    throw rejectContent(
      'media',
      MediaRejectReason.DURATION_LIMIT,
      `The file lasts ${duration} s, more than the ${limits.maxDurationSeconds} s allowed`,
      { details: { limit: limits.maxDurationSeconds, actual: duration } },
    );
  }
  if (video && (video.width > limits.maxWidth || video.height > limits.maxHeight)) {
    throw rejectContent(
      'media',
      MediaRejectReason.RESOLUTION_LIMIT,
      `The video is ${video.width}×${video.height}, larger than the ${limits.maxWidth}×${limits.maxHeight} allowed`,
      {
        details: {
          limit: { width: limits.maxWidth, height: limits.maxHeight },
          actual: { width: video.width, height: video.height },
        },
      },
    );
  }
}
