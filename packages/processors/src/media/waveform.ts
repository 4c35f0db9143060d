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
  /** The duration ffprobe read, when it read one (a hint: the file may lie about it). */
  duration: number | null;
  /** The stream's sample rate ffprobe read, when it read one. */
  sampleRate: number | null;
}

/**
 * Samples `showwavespic` may hold. It keeps the whole decoded signal until the input ends
 * (about 2.2 bytes a sample measured: 2 h of 96 kHz audio took ffmpeg to 1.5 GB), so the audio
 * is resampled to at most this many samples in all first: about 35 MB whatever the file.
 */
export const WAVEFORM_SAMPLE_BUDGET = 16_000_000;

/** Highest rate a waveform is drawn from: nothing above it changes the picture. */
const MAX_WAVEFORM_RATE = 48_000;

/**
 * How much of the audio a waveform is drawn from, and at what rate, so that no more than
 * {@link WAVEFORM_SAMPLE_BUDGET} samples reach `showwavespic`: the probed duration (with a
 * margin; a file claiming less than it holds is drawn for what it claims) or `maxSeconds`,
 * at the stream's own rate when that fits, lower when it does not (never below `width`
 * samples in all, so short sounds still draw).
 */
export function waveformSampling(request: WaveformRequest): { seconds: number; rate: number } {
  const claimed =
    request.duration !== null && request.duration > 0 ? Math.ceil(request.duration * 1.05) + 1 : null;
  const seconds = Math.max(1, Math.min(request.maxSeconds, claimed ?? request.maxSeconds));
  const fits = Math.floor(WAVEFORM_SAMPLE_BUDGET / seconds);
  const own = request.sampleRate !== null && request.sampleRate > 0 ? request.sampleRate : MAX_WAVEFORM_RATE;
  return { seconds, rate: Math.max(1, Math.min(own, MAX_WAVEFORM_RATE, fits)) };
}

/** The waveform colour, opaque blue on a transparent background. */
const COLOR = '0x3b82f6';

/**
 * The whole file's waveform as an RGBA PNG of exactly `width`×`height` (ffmpeg's
 * `showwavespic`, channels mixed down to mono), piped back from ffmpeg. `showwavespic` draws
 * nothing from fewer samples than the picture is wide ("Too few samples": a 10 ms click), so
 * the audio is padded with silence to at least `width` samples first (`apad=whole_len`);
 * longer audio passes through unchanged. Long audio is resampled first, so the memory ffmpeg
 * needs stays bounded ({@link waveformSampling}).
 */
export function renderWaveform(
  input: ResolvedInput,
  request: WaveformRequest,
  options: RenderOptions,
): Promise<RenderedImage> {
  const size = `${request.width}x${request.height}`;
  const { seconds, rate } = waveformSampling(request);
  return renderImage(
    input,
    {
      before: ['-t', String(seconds)],
      after: [
        '-filter_complex',
        `[0:${request.stream}]aformat=channel_layouts=mono,aresample=${rate},apad=whole_len=${request.width},showwavespic=s=${size}:colors=${COLOR}[wave]`,
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
