import { runTool } from '../process/run-tool.js';
import { toolFailureOf } from '../process/tool-errors.js';
import { rejectContent } from '../reject-content.js';
import type { ImageSize } from './image-size.js';
import type { ResolvedInput } from './input.js';
import { MediaRejectReason } from './rejections.js';
import { MEDIA_TOOL_ENV, toolArgv } from './tool-argv.js';

/** How ffmpeg is run for a derivative or an operation. */
export interface RenderOptions {
  /** @default 'ffmpeg' */
  ffmpegPath?: string;
  /** Decoder/encoder threads. */
  threads: number;
  /** Wall-clock limit in milliseconds. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called with ffmpeg's process id. */
  onSpawn?(pid: number): void;
  /**
   * Largest frame ffmpeg may decode, in pixels (`-max_pixels`): the probe reads the first
   * frame's size only, so a later, larger frame (an MJPEG stream can change size) is refused
   * by the decoder instead of decoded (security spec D3).
   */
  maxPixels?: number;
}

/** ffmpeg's input options bounding each decoded frame to `maxPixels` (none without one). */
export function pixelLimitArgs(maxPixels: number | undefined): string[] {
  return maxPixels === undefined ? [] : ['-max_pixels', String(Math.min(maxPixels, 2 ** 31 - 1))];
}

/** Largest image a derivative may be: passed as `-fs` and as the stdout cap. */
export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;

/** A rendered image and its size, read back from its own header. */
export interface RenderedImage extends ImageSize {
  data: Buffer;
}

/**
 * Runs ffmpeg to write one image to stdout (`-f image2pipe`), bounded by `-fs`, the stdout
 * cap and the timeout. ffmpeg failing, or producing nothing readable, on a file the probe
 * accepted means its frames or samples do not decode: `CONTENT_REJECTED` `media_invalid`.
 */
export async function renderImage(
  input: ResolvedInput,
  args: { before: readonly string[]; after: readonly string[] },
  sizeOf: (data: Buffer) => ImageSize | undefined,
  options: RenderOptions,
): Promise<RenderedImage> {
  const threads = ['-threads', String(options.threads)];
  const argv = toolArgv('ffmpeg', {
    input,
    before: [...threads, ...pixelLimitArgs(options.maxPixels), ...args.before],
    after: [...args.after, ...threads, '-fs', String(MAX_IMAGE_BYTES), '-f', 'image2pipe', 'pipe:1'],
  });
  let data: Buffer;
  try {
    ({ stdout: data } = await runTool('ffmpeg', argv, {
      command: options.ffmpegPath,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      maxStdoutBytes: MAX_IMAGE_BYTES + 64 * 1024,
      onSpawn: options.onSpawn,
      env: MEDIA_TOOL_ENV,
    }));
  } catch (error) {
    const failure = toolFailureOf(error);
    if (failure !== 'exit' && failure !== 'output_limit') throw error;
    throw rejectContent(
      'media',
      MediaRejectReason.CORRUPT_MEDIA,
      `The ${input.container.format} file cannot be decoded`,
      {
        cause: error,
      },
    );
  }
  const size = data.length > 0 ? sizeOf(data) : undefined;
  if (!size) {
    throw rejectContent(
      'media',
      MediaRejectReason.CORRUPT_MEDIA,
      `No image could be decoded from the ${input.container.format} file`,
    );
  }
  return { data, ...size };
}
