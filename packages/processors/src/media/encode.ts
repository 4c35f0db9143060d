import { randomUUID } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { ErrorCode, FileForgeError } from '@fileforge/core';
import { runTool } from '../process/run-tool.js';
import { toolFailureOf } from '../process/tool-errors.js';
import { rejectContent } from '../reject-content.js';
import type { ResolvedInput } from './input.js';
import {
  AUDIO_ENCODERS,
  type AudioCodec,
  type OutputFormat,
  VIDEO_ENCODERS,
  type VideoCodec,
} from './output-formats.js';
import { MediaRejectReason } from './rejections.js';
import { pixelLimitArgs, type RenderOptions } from './render-image.js';
import { MEDIA_TOOL_ENV, toolArgv } from './tool-argv.js';

/** One encode: which streams go out, in which codecs, and its bounds. */
export interface EncodeSpec {
  /** Absolute output path; written as `<output>.<random>.part` and renamed when complete. */
  output: string;
  format: OutputFormat;
  /** Video stream index and codec; absent → no video. */
  video?: { stream: number; codec: VideoCodec };
  /** Audio stream index and codec; absent → no audio. */
  audio?: { stream: number; codec: AudioCodec };
  /** `-t`: at most this many seconds are read and written. */
  maxSeconds: number;
  /** `-fs`: an output reaching this size is refused with `FILE_TOO_LARGE`. */
  maxBytes: number;
}

/**
 * Encodes `input` into `spec.output` atomically: ffmpeg writes a `.part` file beside it
 * (same directory, so the rename cannot cross filesystems), which is renamed into place only
 * after ffmpeg exited cleanly and the result is non-empty and under `maxBytes` (`-fs` stops
 * ffmpeg quietly, so reaching it means the output was cut short). On any failure the
 * `.part` is removed and `output` is left as it was. Returns the output's size.
 */
export async function encodeToFile(
  input: ResolvedInput,
  spec: EncodeSpec,
  options: RenderOptions,
): Promise<number> {
  const part = `${spec.output}.${randomUUID()}.part`;
  const threads = ['-threads', String(options.threads)];
  const limit = ['-t', String(spec.maxSeconds)];
  const streams = [
    ...(spec.video ? ['-map', `0:${spec.video.stream}`, ...VIDEO_ENCODERS[spec.video.codec]] : ['-vn']),
    ...(spec.audio ? ['-map', `0:${spec.audio.stream}`, ...AUDIO_ENCODERS[spec.audio.codec]] : ['-an']),
  ];
  const argv = toolArgv('ffmpeg', {
    input,
    before: [...threads, ...pixelLimitArgs(options.maxPixels), ...limit],
    after: [
      ...streams,
      '-sn',
      '-dn',
      '-map_metadata',
      '-1',
      ...threads,
      ...limit,
      '-fs',
      String(spec.maxBytes),
      ...spec.format.args,
      '-f',
      spec.format.muxer,
      `file:${part}`,
    ],
  });
  try {
    await runTool('ffmpeg', argv, {
      command: options.ffmpegPath,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      maxStdoutBytes: 0,
      onSpawn: options.onSpawn,
      env: MEDIA_TOOL_ENV,
    }).catch((error: unknown) => {
      if (toolFailureOf(error) !== 'exit') throw error;
      const what = input.container.format;
      throw rejectContent('media', MediaRejectReason.CORRUPT_MEDIA, `The ${what} file cannot be converted`, {
        cause: error,
      });
    });
    const { size } = await stat(part);
    if (size === 0) {
      throw rejectContent(
        'media',
        MediaRejectReason.CORRUPT_MEDIA,
        'Nothing could be decoded from the input',
      );
    }
    if (size >= spec.maxBytes) {
      throw new FileForgeError(
        ErrorCode.FILE_TOO_LARGE,
        `[fileforge:media] The converted file reached the ${spec.maxBytes}-byte limit`,
        { details: { limit: spec.maxBytes } },
      );
    }
    await rename(part, spec.output);
    return size;
  } finally {
    await rm(part, { force: true });
  }
}
