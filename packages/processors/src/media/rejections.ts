/**
 * The `details.reason` of every `CONTENT_REJECTED` the media tools raise. Stable: clients
 * and the support table rely on them.
 */
export const MediaRejectReason = {
  /** The bytes are not the detected container at all (e.g. a text playlist posing as MP4). */
  NOT_MEDIA: 'media_invalid',
  /** The container is recognisable but unreadable: truncated, damaged, or no frame decodes. */
  CORRUPT_MEDIA: 'media_invalid',
  /** Longer than `maxDurationSeconds`, judged from the probe before anything is decoded. */
  DURATION_LIMIT: 'media_limits',
  /** Wider or taller than `maxWidth`/`maxHeight`, judged from the probe. */
  RESOLUTION_LIMIT: 'media_limits',
  /** An operation that needs sound (`extractAudio`) on a file without an audio stream. */
  NO_AUDIO: 'no_audio',
  /** An operation that needs pictures (`posterFrame`) on a file without a video stream. */
  NO_VIDEO: 'no_video',
} as const;

/** One of {@link MediaRejectReason}. */
export type MediaRejectReason = (typeof MediaRejectReason)[keyof typeof MediaRejectReason];
