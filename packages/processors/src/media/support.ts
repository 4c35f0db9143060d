import type { ProcessorSupport } from '@fileforge/core';
import { SUPPORTED_FORMATS } from './formats.js';
import type { ResolvedProcessorOptions } from './options.js';

const hours = (seconds: number) => (seconds % 3600 === 0 ? `${seconds / 3600} h` : `${seconds} s`);

/** The media processor's entry in the generated format table, reflecting its configured limits. */
export function mediaSupport(options: ResolvedProcessorOptions): ProcessorSupport {
  return {
    formats: `${SUPPORTED_FORMATS} (read by ffprobe/ffmpeg with the demuxer forced from the detected type)`,
    extracts: [
      'duration (seconds)',
      'format',
      'bitrate',
      'size',
      'tags (title, artist, album, album_artist, composer, date, genre, track, disc, comment, copyright, language, creation_time)',
      'video: codec, width, height, fps',
      'audio: codec, sampleRate, channels',
    ],
    derivatives: options.derivatives
      ? [
          `poster.jpg (video: a frame at 1 s or 10% of the duration, at most ${options.posterWidth} px wide)`,
          `waveform.png (audio: ${options.waveformWidth}×${options.waveformHeight} PNG)`,
        ]
      : [],
    limits: [
      `longer than ${hours(options.maxDurationSeconds)} → CONTENT_REJECTED media_limits`,
      `video larger than ${options.maxWidth}×${options.maxHeight} → CONTENT_REJECTED media_limits`,
      'not the detected container (e.g. a text playlist named .mp4) → CONTENT_REJECTED media_invalid',
      'truncated or undecodable → CONTENT_REJECTED media_invalid',
      `each ffprobe/ffmpeg run killed after ${options.toolTimeoutMs} ms → PROCESSOR_TIMEOUT`,
    ],
  };
}
