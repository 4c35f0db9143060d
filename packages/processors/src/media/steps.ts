/**
 * The media work itself, on an input already resolved to a local path and a container:
 * probe and check the limits, encode to a file, render a poster or a waveform. The SDK
 * functions (`operations.ts`) and the registered operations (`media-operations.ts`) both
 * run these, so they behave the same.
 */

import { invalidOption } from '../options/check.js';
import { rejectContent } from '../reject-content.js';
import { encodeToFile } from './encode.js';
import type { ResolvedInput } from './input.js';
import { checkLimits } from './limits.js';
import type { ResolvedLimits, ResolvedToolOptions } from './options.js';
import { type AudioCodec, OUTPUT_FORMATS, type TranscodeFormat, type VideoCodec } from './output-formats.js';
import { renderPoster } from './poster.js';
import { type MediaProbe, probeInput } from './probe.js';
import { MediaRejectReason } from './rejections.js';
import type { RenderedImage, RenderOptions } from './render-image.js';
import { renderWaveform } from './waveform.js';

/** How one media step runs its tools. */
export interface MediaRun {
  tools: ResolvedToolOptions;
  /** Wall-clock limit of each tool run. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  onSpawn?: ((pid: number) => void) | undefined;
  /** Largest frame ffmpeg may decode, in pixels (see {@link withPixelLimit}). */
  maxPixels?: number | undefined;
}

/** `run` with its decoded frames bounded by the resolution limit (`maxWidth × maxHeight`). */
export function withPixelLimit(
  run: MediaRun,
  limits: Pick<ResolvedLimits, 'maxWidth' | 'maxHeight'>,
): MediaRun {
  return { ...run, maxPixels: limits.maxWidth * limits.maxHeight };
}

/** What to convert to (validated names; codecs default to the format's first). */
export interface TranscodeRequest {
  format: TranscodeFormat;
  videoCodec?: VideoCodec | undefined;
  audioCodec?: AudioCodec | undefined;
  maxOutputBytes: number;
}

/** The ffmpeg settings of a run. */
export function renderOptions(run: MediaRun): RenderOptions {
  return {
    ffmpegPath: run.tools.ffmpegPath,
    threads: run.tools.threads,
    timeoutMs: run.timeoutMs,
    signal: run.signal,
    onSpawn: run.onSpawn,
    ...(run.maxPixels === undefined ? {} : { maxPixels: run.maxPixels }),
  };
}

/** Probes the input (demuxer forced) and refuses it past the limits, before decoding anything. */
export async function probeWithin(
  input: ResolvedInput,
  limits: ResolvedLimits,
  run: MediaRun,
): Promise<MediaProbe> {
  const probe = await probeInput(input, {
    ffprobePath: run.tools.ffprobePath,
    timeoutMs: run.timeoutMs,
    signal: run.signal,
    onSpawn: run.onSpawn,
  });
  checkLimits(probe.metadata, limits);
  return probe;
}

function pick<T extends string>(option: string, value: T | undefined, allowed: readonly T[], format: string) {
  if (value === undefined) return allowed[0];
  if (!allowed.includes(value)) {
    throw invalidOption(
      'media',
      option,
      `${option} ${JSON.stringify(value)} cannot be written to ${format}; use one of: ${allowed.join(', ')}`,
    );
  }
  return value;
}

/** Checks that the codecs asked for fit the format, before anything is started. */
export function checkCodecs(request: TranscodeRequest): void {
  const format = OUTPUT_FORMATS[request.format];
  pick('videoCodec', request.videoCodec, format.video, request.format);
  pick('audioCodec', request.audioCodec, format.audio, request.format);
}

/**
 * Encodes the first video and audio streams (those the format can hold) into `output`,
 * atomically (see `encodeToFile`). A file with neither → `CONTENT_REJECTED` `no_audio`.
 * Returns the size written.
 */
export async function transcodeTo(
  input: ResolvedInput,
  probe: MediaProbe,
  request: TranscodeRequest,
  output: string,
  limits: ResolvedLimits,
  run: MediaRun,
): Promise<number> {
  const format = OUTPUT_FORMATS[request.format];
  const videoCodec = pick('videoCodec', request.videoCodec, format.video, request.format);
  const audioCodec = pick('audioCodec', request.audioCodec, format.audio, request.format);
  const { videoStream, audioStream } = probe;
  const video =
    videoCodec && videoStream !== undefined ? { stream: videoStream, codec: videoCodec } : undefined;
  const audio =
    audioCodec && audioStream !== undefined ? { stream: audioStream, codec: audioCodec } : undefined;
  if (!video && !audio) {
    throw rejectContent(
      'media',
      MediaRejectReason.NO_AUDIO,
      `The file has no stream that ${request.format} can hold`,
    );
  }
  const spec = {
    output,
    format,
    video,
    audio,
    maxSeconds: limits.maxDurationSeconds,
    maxBytes: request.maxOutputBytes,
  };
  return encodeToFile(input, spec, renderOptions(run));
}

/**
 * One frame as a JPEG, at most `width` pixels wide. No video → `CONTENT_REJECTED`
 * `no_video`; a time past the end → `VALIDATION_FAILED`.
 */
export async function posterOf(
  input: ResolvedInput,
  probe: MediaProbe,
  request: { atSeconds: number; width: number },
  run: MediaRun,
): Promise<RenderedImage> {
  if (probe.videoStream === undefined) {
    throw rejectContent('media', MediaRejectReason.NO_VIDEO, 'The file has no video stream');
  }
  const { duration } = probe.metadata;
  if (duration !== null && request.atSeconds >= duration) {
    throw invalidOption(
      'media',
      'atSeconds',
      `"atSeconds" (${request.atSeconds}) is past the end of the file (${duration} s)`,
    );
  }
  const frame = { stream: probe.videoStream, atSeconds: request.atSeconds, maxWidth: request.width };
  return renderPoster(input, frame, renderOptions(run));
}

/** The waveform of the first audio stream as a PNG. No audio → `CONTENT_REJECTED` `no_audio`. */
export async function waveformOf(
  input: ResolvedInput,
  probe: MediaProbe,
  request: { width: number; height: number },
  limits: ResolvedLimits,
  run: MediaRun,
): Promise<RenderedImage> {
  if (probe.audioStream === undefined) {
    throw rejectContent('media', MediaRejectReason.NO_AUDIO, 'The file has no audio stream');
  }
  const wave = {
    stream: probe.audioStream,
    maxSeconds: limits.maxDurationSeconds,
    duration: probe.metadata.duration,
    sampleRate: probe.metadata.audio?.sampleRate ?? null,
    ...request,
  };
  return renderWaveform(input, wave, renderOptions(run));
}
