/**
 * The options of the media operations as zod schemas, shared by the SDK functions
 * (`transcode()`, `posterFrame()`, …) and the registered operations (`media.transcode`, …),
 * so both accept and refuse the same values. Tool locations and threads are not among them:
 * they are configuration (`MediaToolOptions`), never per-step options.
 */
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { MEDIA_DEFAULTS } from './options.js';
import { AUDIO_CODECS, AUDIO_FORMATS, TRANSCODE_FORMATS, VIDEO_CODECS } from './output-formats.js';

/** Longest wall-clock time of one tool run, and its default for the operations. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
export const DEFAULT_OPERATION_TIMEOUT_MS = 600_000;
const DEFAULT_MAX_OUTPUT = 4 * 1024 ** 3;

/** `MediaLimits`, each with its default. */
export const limitsShape = {
  maxDurationSeconds: z.number().positive().max(1e9).default(MEDIA_DEFAULTS.maxDurationSeconds),
  maxWidth: z.int().min(1).max(65_535).default(MEDIA_DEFAULTS.maxWidth),
  maxHeight: z.int().min(1).max(65_535).default(MEDIA_DEFAULTS.maxHeight),
};

/** Per-run wall-clock limit of each tool of a registered operation. */
export const timeoutShape = {
  timeoutMs: z.int().min(1).max(MAX_TIMEOUT_MS).default(DEFAULT_OPERATION_TIMEOUT_MS),
};

/** What `transcode()` and `media.transcode` convert to. */
export const transcodeShape = {
  format: z.enum(TRANSCODE_FORMATS),
  videoCodec: z.enum(VIDEO_CODECS).optional(),
  audioCodec: z.enum(AUDIO_CODECS).optional(),
  maxOutputBytes: z
    .int()
    .min(1024)
    .max(2 ** 52)
    .default(DEFAULT_MAX_OUTPUT),
};

/** What `extractAudio()` and `media.extractAudio` write: an audio-only format. */
export const extractAudioShape = {
  ...transcodeShape,
  format: z.enum(AUDIO_FORMATS, {
    error: (issue) => `${JSON.stringify(issue.input)} is not an audio format`,
  }),
  videoCodec: z.undefined().optional(),
};

/** Where `posterFrame()` and `media.posterFrame` take their frame, and how wide. */
export const posterShape = {
  atSeconds: z.number().min(0).max(1e9).default(0),
  width: z.int().min(16).max(8192).default(MEDIA_DEFAULTS.posterWidth),
};

/** The size of `media.waveform`'s image. */
export const waveformShape = {
  width: z.int().min(16).max(4096).default(MEDIA_DEFAULTS.waveformWidth),
  height: z.int().min(16).max(4096).default(MEDIA_DEFAULTS.waveformHeight),
};

/** An absolute output path without NUL bytes (the SDK functions write files). */
export const outputPath = z
  .string()
  .refine((path) => isAbsolute(path) && !path.includes('\0'), 'must be an absolute file path');
