import { jpegSize } from './image-size.js';
import type { ResolvedInput } from './input.js';
import { type RenderedImage, type RenderOptions, renderImage } from './render-image.js';

/** What {@link renderPoster} draws. */
export interface PosterRequest {
  /** ffmpeg index of the video stream. */
  stream: number;
  /** Where to take the frame, in seconds from the start. */
  atSeconds: number;
  /**
   * Largest width; narrower videos keep theirs. The height follows the aspect ratio (even).
   * Neither side is drawn smaller than 2 px: a 4097×3 strip scaled to 640 wide would
   * otherwise compute a 0 px height, which no encoder accepts.
   */
  maxWidth: number;
}

/** Where the processor takes its poster: 1 s in, or 10% of a shorter file, so it is rarely a black fade-in. */
export function posterTime(duration: number | null): number {
  return duration === null ? 0 : Math.max(0, Math.min(1, duration * 0.1));
}

/**
 * One frame as a baseline JPEG, encoded by ffmpeg (mjpeg) and piped back: the frame is
 * re-encoded from decoded pixels, so nothing of the original's bytes or metadata survives.
 * Seeks on the input (`-ss` before `-i`), which needs a seekable file, not a pipe.
 */
export function renderPoster(
  input: ResolvedInput,
  request: PosterRequest,
  options: RenderOptions,
): Promise<RenderedImage> {
  return renderImage(
    input,
    {
      before: ['-ss', request.atSeconds.toFixed(3)],
      after: [
        '-map',
        `0:${request.stream}`,
        '-frames:v',
        '1',
        '-t',
        '10',
        '-vf',
        `scale=w='max(2,min(${request.maxWidth},iw))':h='max(2,trunc(ow/a/2)*2)'`,
        '-an',
        '-sn',
        '-dn',
        '-map_metadata',
        '-1',
        '-fflags',
        '+bitexact',
        '-flags:v',
        '+bitexact',
        '-c:v',
        'mjpeg',
        '-pix_fmt',
        'yuvj420p',
        '-q:v',
        '3',
      ],
    },
    jpegSize,
    options,
  );
}
