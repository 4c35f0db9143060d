import type { ProcessorSupport } from '@fileforge/core';
import { SUPPORTED_FORMATS } from './formats.js';
import type { ResolvedProcessorOptions } from './options.js';

const hours = (seconds: number) => (seconds % 3600 === 0 ? `${seconds / 3600} h` : `${seconds} s`);

/** The media processor's entry in the generated format table, reflecting its configured limits. */
export function mediaSupport(options: ResolvedProcessorOptions): ProcessorSupport {
  return {
    formats: `${SUPPORTED_FORMATS} (read by ffprobe/ffmpeg with the demuxer forced from the detected type; files detected as application/octet-stream get a second opinion from ffprobe, limited to those formats, and recognised ones have their type recorded)`,
    extracts: [
      'duration (seconds)',
      'format',
      'bitrate',
      'size',
      'tags (title, artist, album, album_artist, composer, date, genre, track, disc, comment, copyright, language, creation_time)',
      'video: codec, width, height, fps, rotation (degrees, from the display matrix)',
      'audio: codec, sampleRate, channels',
      'missingDerivatives: a poster or waveform that could not be drawn, with its reason',
    ],
    derivatives: options.derivatives
      ? [
          `poster.jpg (video: a frame at 1 s or 10% of the duration — the first frame when nothing decodes there, as in a one-frame clip —, at most ${options.posterWidth} px wide, at least 2 px on each side)`,
          `waveform.png (audio: ${options.waveformWidth}×${options.waveformHeight} PNG; audio shorter than ${options.waveformWidth} samples is padded with silence; long audio is drawn from at most 16 million samples, resampled, so ffmpeg's memory stays bounded)`,
          'a derivative that cannot be drawn from a file that probed well is recorded in missingDerivatives; the file still ends processed',
        ]
      : [],
    limits: [
      `longer than ${hours(options.maxDurationSeconds)} → CONTENT_REJECTED media_limits`,
      `video larger than ${options.maxWidth}×${options.maxHeight} → CONTENT_REJECTED media_limits`,
      `a later frame larger than ${options.maxWidth}×${options.maxHeight} pixels (a stream that changes size) is never decoded (ffmpeg -max_pixels)`,
      'not the detected container (e.g. a text playlist named .mp4) → CONTENT_REJECTED media_invalid',
      'truncated or unreadable by the probe → CONTENT_REJECTED media_invalid',
      `each ffprobe/ffmpeg run killed after ${options.toolTimeoutMs} ms → PROCESSOR_TIMEOUT`,
    ],
  };
}
