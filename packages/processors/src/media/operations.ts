import { ErrorCode } from '@fileforge/core';
import { z } from 'zod';
import { parseOptions } from '../options/parse.js';
import { type MediaInput, resolveInput } from './input.js';
import {
  extractAudioShape,
  limitsShape,
  outputPath,
  posterShape,
  transcodeShape,
} from './operation-options.js';
import { type MediaLimits, type MediaToolOptions, resolveToolOptions } from './options.js';
import type { AudioCodec, AudioFormat, TranscodeFormat, VideoCodec } from './output-formats.js';
import { checkCodecs, type MediaRun, posterOf, probeWithin, transcodeTo, withPixelLimit } from './steps.js';

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
const BAD = ErrorCode.VALIDATION_FAILED;

// The SDK functions ignore option names they do not know (as they always have); the
// registered operations refuse them.
const transcodeSchema = z.object({ ...limitsShape, ...transcodeShape, output: outputPath });
const extractAudioSchema = z.object({ ...limitsShape, ...extractAudioShape, output: outputPath });
const posterSchema = z.object({ ...limitsShape, ...posterShape });
const runSchema = z.object({
  timeoutMs: z
    .int()
    .min(1)
    .max(2 ** 31 - 1)
    .default(DEFAULT_TIMEOUT_MS),
});

function mediaRun(run: MediaRunOptions): MediaRun {
  return {
    tools: resolveToolOptions(run, BAD),
    timeoutMs: parseOptions('media', runSchema, { timeoutMs: run.timeoutMs }).timeoutMs,
    signal: run.signal,
    onSpawn: run.onSpawn,
  };
}

/**
 * Converts a media file FileForge stored into another format, written to `options.output`
 * (atomically: a `.part` file beside it is renamed into place when complete). The input is
 * probed first with its demuxer forced from `input.mime`, and refused past the limits
 * (`CONTENT_REJECTED` `media_limits`); the first video and audio streams are kept (absent
 * ones are skipped), metadata is dropped. Bad options → `VALIDATION_FAILED` before anything
 * starts.
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
  const parsed = parseOptions('media', transcodeSchema, options);
  checkCodecs(parsed);
  const resolved = resolveInput(input);
  const tools = withPixelLimit(mediaRun(run), parsed);
  const probe = await probeWithin(resolved, parsed, tools);
  const size = await transcodeTo(resolved, probe, parsed, parsed.output, parsed, tools);
  return { path: parsed.output, size, format: parsed.format };
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
  const parsed = parseOptions('media', extractAudioSchema, options);
  return transcode(input, parsed, run);
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
  const parsed = parseOptions('media', posterSchema, options);
  const resolved = resolveInput(input);
  const tools = withPixelLimit(mediaRun(run), parsed);
  const probe = await probeWithin(resolved, parsed, tools);
  const frame = await posterOf(resolved, probe, parsed, tools);
  return { data: frame.data, mime: 'image/jpeg', width: frame.width, height: frame.height };
}
