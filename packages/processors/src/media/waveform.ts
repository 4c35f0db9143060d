import { pngSize } from './image-size.js';
import type { ResolvedInput } from './input.js';
import { type RenderedImage, type RenderOptions, renderImage } from './render-image.js';

/** What {@link renderWaveform} draws. */
export interface WaveformRequest {
  /** ffmpeg index of the audio stream. */
  stream: number;
  /** Image size in pixels. */
  width: number;
  height: number;
  /** Decode at most this many seconds (`-t`). */
  maxSeconds: number;
}

/** The waveform colour, opaque blue on a transparent background. */
const COLOR = '0x3b82f6';

/**
 * The whole file's waveform as an RGBA PNG of exactly `width`×`height` (ffmpeg's
 * `showwavespic`, channels mixed down to mono), piped back from ffmpeg. `showwavespic` draws
 * nothing from fewer samples than the picture is wide ("Too few samples": a 10 ms click), so
 * the audio is padded with silence to at least `width` samples first (`apad=whole_len`);
 * longer audio passes through unchanged.
 */
export function renderWaveform(
  input: ResolvedInput,
  request: WaveformRequest,
  options: RenderOptions,
): Promise<RenderedImage> {
  const size = `${request.width}x${request.height}`;
  return renderImage(
    input,
    {
      before: ['-t', String(request.maxSeconds)],
      after: [
        '-filter_complex',
        `[0:${request.stream}]aformat=channel_layouts=mono,apad=whole_len=${request.width},showwavespic=s=${size}:colors=${COLOR}[wave]`,
        '-map',
        '[wave]',
        '-frames:v',
        '1',
        '-map_metadata',
        '-1',
        '-c:v',
        'png',
      ],
    },
    pngSize,
    options,
  );
}
