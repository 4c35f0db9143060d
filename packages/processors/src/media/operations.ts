import { isAbsolute } from 'node:path';
import { ErrorCode } from '@fileforge/core';
import { encodeToFile } from './encode.js';
import { type MediaInput, type ResolvedInput, resolveInput } from './input.js';
import { checkLimits } from './limits.js';
import {
  checkInteger,
  checkPositive,
  type MediaLimits,
  type MediaToolOptions,
  type ResolvedLimits,
  resolveLimits,
  resolveToolOptions,
} from './options.js';
import {
  type AudioCodec,
  type AudioFormat,
  outputFormat,
  type TranscodeFormat,
  type VideoCodec,
} from './output-formats.js';
import { renderPoster } from './poster.js';
import { type MediaProbe, probeInput } from './probe.js';
import { invalidArgument, MediaRejectReason, rejectMedia } from './rejections.js';
import type { RenderOptions } from './render-image.js';

/** How an operation runs its tools. */
export interface MediaRunOptions extends MediaToolOptions {
  /** Aborting kills the running tool's process group; the call rejects with `ABORTED`. */
  signal?: AbortSignal;
  /**
   * Wall-clock limit for each tool run (the probe, then the encode), after which its process
   * group is killed and the call rejects with `PROCESSOR_TIMEOUT`. @default 600000 (10 min)
   */
  timeoutMs?: number;
  /** Called with each tool's process id (for supervision and tests). */
  onSpawn?(pid: number): void;
}

/** Options for {@link transcode}. Limits are checked from the probe before encoding. */
export interface TranscodeOptions extends MediaLimits {
  /** Absolute path to write; replaced atomically, untouched when the call fails. */
  output: string;
  format: TranscodeFormat;
  /** @default the format's first: h264 (mp4, mov, mkv), vp9 (webm) */
  videoCodec?: VideoCodec;
  /** @default the format's first: aac (mp4, mov, m4a, mkv), opus (webm, opus), mp3, pcm (wav), vorbis (ogg), flac */
  audioCodec?: AudioCodec;
  /** Largest output in bytes (`-fs`); reaching it → `FILE_TOO_LARGE`. @default 4294967296 (4 GiB) */
  maxOutputBytes?: number;
}

/** Options for {@link extractAudio}. */
export interface ExtractAudioOptions extends MediaLimits {
  /** Absolute path to write; replaced atomically, untouched when the call fails. */
  output: string;
  format: AudioFormat;
  /** @default the format's usual codec */
  audioCodec?: AudioCodec;
  /** Largest output in bytes; reaching it → `FILE_TOO_LARGE`. @default 4294967296 (4 GiB) */
  maxOutputBytes?: number;
}

/** Options for {@link posterFrame}. */
export interface PosterFrameOptions extends MediaLimits {
  /** Where to take the frame, in seconds; must fall inside the file. @default 0 */
  atSeconds?: number;
  /** Largest width in pixels; narrower videos keep theirs. @default 640 */
  width?: number;
}

/** What {@link transcode} and {@link extractAudio} wrote. */
export interface TranscodeResult {
  path: string;
  /** Bytes written. */
  size: number;
  format: TranscodeFormat;
}

/** A frame returned in memory (a JPEG of at most 8 MiB). */
export interface PosterFrame {
  data: Buffer;
  mime: 'image/jpeg';
  width: number;
  height: number;
}

const DEFAULT_TIMEOUT_MS = 600_000;
const DEFAULT_MAX_OUTPUT = 4 * 1024 ** 3;
const BAD = ErrorCode.VALIDATION_FAILED;

interface Prepared {
  input: ResolvedInput;
  probe: MediaProbe;
  limits: ResolvedLimits;
  render: RenderOptions;
}

/** Validates the common arguments, probes the input and applies the limits. */
async function prepare(media: MediaInput, limits: MediaLimits, run: MediaRunOptions): Promise<Prepared> {
  const input = resolveInput(media);
  const tools = resolveToolOptions(run, BAD);
  const resolvedLimits = resolveLimits(limits, BAD);
  const timeoutMs = checkInteger('timeoutMs', run.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1, 2 ** 31 - 1, BAD);
  const base = { timeoutMs, signal: run.signal, onSpawn: run.onSpawn };
  const probe = await probeInput(input, { ...base, ffprobePath: tools.ffprobePath });
  checkLimits(probe.metadata, resolvedLimits);
  return {
    input,
    probe,
    limits: resolvedLimits,
    render: { ...base, ffmpegPath: tools.ffmpegPath, threads: tools.threads },
  };
}

function checkOutput(output: unknown): string {
  if (typeof output !== 'string' || !isAbsolute(output) || output.includes('\0')) {
    throw invalidArgument('"output" must be an absolute file path', 'output');
  }
  return output;
}

function pick<T extends string>(
  option: string,
  value: T | undefined,
  allowed: readonly T[],
  format: string,
): T | undefined {
  if (value === undefined) return allowed[0];
  if (!allowed.includes(value)) {
    throw invalidArgument(
      `${option} ${JSON.stringify(value)} cannot be written to ${format}; use one of: ${allowed.join(', ')}`,
      option,
    );
  }
  return value;
}

/**
 * Converts a media file FileForge stored into another format, written to `options.output`
 * (atomically: a `.part` file beside it is renamed into place when complete). The input is
 * probed first with its demuxer forced from `input.mime`, and refused past the limits
 * (`CONTENT_REJECTED` `media_limits` / `media_limits`); the first video and audio
 * streams are kept (absent ones are skipped), metadata is dropped.
 *
 * @example
 * ```ts
 * await transcode({ path: blobPath, mime: record.mime }, { output: '/srv/out/clip.webm', format: 'webm' }, { signal });
 * ```
 */
export async function transcode(
  input: MediaInput,
  options: TranscodeOptions,
  run: MediaRunOptions = {},
): Promise<TranscodeResult> {
  const output = checkOutput(options.output);
  const format = outputFormat(options.format);
  if (!format) throw invalidArgument(`Unknown output format ${JSON.stringify(options.format)}`, 'format');
  const videoCodec = pick('videoCodec', options.videoCodec, format.video, options.format);
  const audioCodec = pick('audioCodec', options.audioCodec, format.audio, options.format);
  const maxBytes = checkInteger(
    'maxOutputBytes',
    options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT,
    1024,
    2 ** 52,
    BAD,
  );
  const { input: resolved, probe, limits, render } = await prepare(input, options, run);
  const { videoStream, audioStream } = probe;
  const video =
    videoCodec && videoStream !== undefined ? { stream: videoStream, codec: videoCodec } : undefined;
  const audio =
    audioCodec && audioStream !== undefined ? { stream: audioStream, codec: audioCodec } : undefined;
  if (!video && !audio) {
    throw rejectMedia(MediaRejectReason.NO_AUDIO, `The file has no stream that ${options.format} can hold`);
  }
  const spec = { output, format, video, audio, maxSeconds: limits.maxDurationSeconds, maxBytes };
  const size = await encodeToFile(resolved, spec, render);
  return { path: output, size, format: options.format };
}

/**
 * Writes the first audio stream of a media file (usually a video) to `options.output` as an
 * audio file, atomically as {@link transcode} does. A file without audio →
 * `CONTENT_REJECTED` `no_audio`.
 *
 * @example
 * ```ts
 * await extractAudio({ path: blobPath, mime: 'video/mp4' }, { output: '/srv/out/talk.mp3', format: 'mp3' });
 * ```
 */
export async function extractAudio(
  input: MediaInput,
  options: ExtractAudioOptions,
  run: MediaRunOptions = {},
): Promise<TranscodeResult> {
  const format = outputFormat(options.format);
  if (!format || format.video.length > 0) {
    throw invalidArgument(`${JSON.stringify(options.format)} is not an audio format`, 'format');
  }
  return transcode(input, options, run);
}

/**
 * Returns one frame of a video as a JPEG in memory, at most `width` pixels wide (height in
 * proportion). Limits are checked from the probe first; a file without video →
 * `CONTENT_REJECTED` `no_video`; a time outside the file → `VALIDATION_FAILED`.
 *
 * @example
 * ```ts
 * const { data, width, height } = await posterFrame({ path, mime: 'video/mp4' }, { atSeconds: 2, width: 320 });
 * ```
 */
export async function posterFrame(
  input: MediaInput,
  options: PosterFrameOptions = {},
  run: MediaRunOptions = {},
): Promise<PosterFrame> {
  const atSeconds = options.atSeconds ?? 0;
  if (atSeconds !== 0) checkPositive('atSeconds', atSeconds, BAD);
  const width = checkInteger('width', options.width ?? 640, 16, 8192, BAD);
  const { input: resolved, probe, render } = await prepare(input, options, run);
  if (probe.videoStream === undefined) {
    throw rejectMedia(MediaRejectReason.NO_VIDEO, 'The file has no video stream');
  }
  const { duration } = probe.metadata;
  if (duration !== null && atSeconds >= duration) {
    throw invalidArgument(
      `"atSeconds" (${atSeconds}) is past the end of the file (${duration} s)`,
      'atSeconds',
    );
  }
  const frame = await renderPoster(
    resolved,
    { stream: probe.videoStream, atSeconds, maxWidth: width },
    render,
  );
  return { data: frame.data, mime: 'image/jpeg', width: frame.width, height: frame.height };
}
