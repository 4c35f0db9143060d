import { ErrorCode } from '@fileforge/core';
import { checkInteger as integer, checkPath as path, checkPositive as positive } from '../options/check.js';

const SCOPE = 'media';
const checkInteger = (option: string, value: unknown, min: number, max: number, code?: ErrorCode) =>
  integer(SCOPE, option, value, min, max, code);
const checkPositive = (option: string, value: unknown, code?: ErrorCode) =>
  positive(SCOPE, option, value, code);
const checkPath = (option: string, value: unknown, code: ErrorCode) => path(SCOPE, option, value, code);

/** Where the tools are and how hard they may work; shared by the processor and the operations. */
export interface MediaToolOptions {
  /** The ffmpeg executable. @default 'ffmpeg' (looked up on `PATH`) */
  ffmpegPath?: string;
  /** The ffprobe executable. @default 'ffprobe' (looked up on `PATH`) */
  ffprobePath?: string;
  /**
   * Decoder and encoder threads per ffmpeg run. More finishes one file sooner but lets a
   * single upload occupy more cores. @default 2
   */
  threads?: number;
}

/** Limits read from the probe, before anything is decoded. */
export interface MediaLimits {
  /**
   * Longest accepted duration in seconds; longer → `CONTENT_REJECTED` `media_limits`. Also
   * passed to ffmpeg as `-t`, so a file whose header understates its length cannot run on.
   * @default 14400 (4 h)
   */
  maxDurationSeconds?: number;
  /** Widest accepted video in pixels; wider → `media_limits`. @default 8192 */
  maxWidth?: number;
  /** Tallest accepted video in pixels; taller → `media_limits`. @default 8192 */
  maxHeight?: number;
}

/** Options for `createMediaProcessor()`. */
export interface MediaProcessorOptions extends MediaToolOptions, MediaLimits {
  /**
   * Wall-clock limit for each ffprobe/ffmpeg run; the process group is killed after it. The
   * forge's per-processor budget (`timeoutMs`) applies on top. @default 60000
   */
  toolTimeoutMs?: number;
  /** The processor's whole budget per file. @default the forge's `processorTimeoutMs` */
  timeoutMs?: number;
  /** Produce `poster.jpg` / `waveform.png`. Off, only metadata is read. @default true */
  derivatives?: boolean;
  /** Largest poster width; narrower videos keep their width. @default 640 */
  posterWidth?: number;
  /** Waveform image width in pixels. @default 800 */
  waveformWidth?: number;
  /** Waveform image height in pixels. @default 200 */
  waveformHeight?: number;
  /** Where content from stores without local paths is copied for ffmpeg. @default os.tmpdir() */
  tempDir?: string;
}

/** {@link MediaToolOptions} with defaults applied. */
export type ResolvedToolOptions = Required<MediaToolOptions>;
/** {@link MediaLimits} with defaults applied. */
export type ResolvedLimits = Required<MediaLimits>;
/** {@link MediaProcessorOptions} with defaults applied. */
export type ResolvedProcessorOptions = ResolvedToolOptions &
  ResolvedLimits &
  Required<Omit<MediaProcessorOptions, 'timeoutMs' | 'tempDir'>> &
  Pick<MediaProcessorOptions, 'timeoutMs' | 'tempDir'>;

/** Defaults, in one place for the docs and the support table. */
export const MEDIA_DEFAULTS = {
  threads: 2,
  maxDurationSeconds: 4 * 60 * 60,
  maxWidth: 8192,
  maxHeight: 8192,
  toolTimeoutMs: 60_000,
  posterWidth: 640,
  waveformWidth: 800,
  waveformHeight: 200,
} as const;

/** Applies defaults to tool options; `code` is `INVALID_CONFIG` at construction, `VALIDATION_FAILED` per call. */
export function resolveToolOptions(
  options: MediaToolOptions,
  code: ErrorCode = ErrorCode.INVALID_CONFIG,
): ResolvedToolOptions {
  return {
    ffmpegPath: checkPath('ffmpegPath', options.ffmpegPath ?? 'ffmpeg', code),
    ffprobePath: checkPath('ffprobePath', options.ffprobePath ?? 'ffprobe', code),
    threads: checkInteger('threads', options.threads ?? MEDIA_DEFAULTS.threads, 1, 64, code),
  };
}

/** Applies defaults to limits. */
export function resolveLimits(
  limits: MediaLimits,
  code: ErrorCode = ErrorCode.INVALID_CONFIG,
): ResolvedLimits {
  return {
    maxDurationSeconds: checkPositive(
      'maxDurationSeconds',
      limits.maxDurationSeconds ?? MEDIA_DEFAULTS.maxDurationSeconds,
      code,
    ),
    maxWidth: checkInteger('maxWidth', limits.maxWidth ?? MEDIA_DEFAULTS.maxWidth, 1, 65_535, code),
    maxHeight: checkInteger('maxHeight', limits.maxHeight ?? MEDIA_DEFAULTS.maxHeight, 1, 65_535, code),
  };
}

/** Applies defaults to the processor's options; bad values fail here, at construction. */
export function resolveProcessorOptions(options: MediaProcessorOptions): ResolvedProcessorOptions {
  const d = MEDIA_DEFAULTS;
  return {
    ...resolveToolOptions(options),
    ...resolveLimits(options),
    toolTimeoutMs: checkInteger('toolTimeoutMs', options.toolTimeoutMs ?? d.toolTimeoutMs, 1, 2 ** 31 - 1),
    timeoutMs:
      options.timeoutMs === undefined
        ? undefined
        : checkInteger('timeoutMs', options.timeoutMs, 1, 2 ** 31 - 1),
    derivatives: options.derivatives ?? true,
    posterWidth: checkInteger('posterWidth', options.posterWidth ?? d.posterWidth, 16, 4096),
    waveformWidth: checkInteger('waveformWidth', options.waveformWidth ?? d.waveformWidth, 16, 4096),
    waveformHeight: checkInteger('waveformHeight', options.waveformHeight ?? d.waveformHeight, 16, 4096),
    tempDir:
      options.tempDir === undefined
        ? undefined
        : checkPath('tempDir', options.tempDir, ErrorCode.INVALID_CONFIG),
  };
}
