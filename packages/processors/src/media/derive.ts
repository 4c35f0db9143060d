/**
 * The media processor's derivatives: `poster.jpg` for video, `waveform.png` for audio. They
 * are drawn after the probe has read the file and its metadata is known, so a picture that
 * cannot be drawn (too few samples, a frame that will not scale, a stream that stops
 * decoding) is a missing derivative, not an unreadable file: it is recorded under
 * `metadata.media.missingDerivatives` with its reason and the file still ends `processed`.
 * Timeouts, aborts and a missing ffmpeg are not the file's fault and are thrown as they are.
 */
import { FileForgeError, type ProcessorContext } from '@fileforge/core';
import type { ResolvedInput } from './input.js';
import type { ResolvedProcessorOptions } from './options.js';
import { posterTime, renderPoster } from './poster.js';
import type { MediaProbe } from './probe.js';
import type { RenderedImage, RenderOptions } from './render-image.js';
import { renderWaveform } from './waveform.js';

/** A derivative the media processor could not draw, as recorded in `metadata.media.missingDerivatives`. */
export interface MissingDerivative {
  /** The derivative's name, `poster.jpg` or `waveform.png`. */
  name: string;
  /** The stable reason, e.g. `media_invalid` (nothing decodable to draw from). */
  reason: string;
}

/** One derivative to draw: its name, kind and type, and how. */
interface Planned {
  name: string;
  kind: string;
  mime: string;
  draw(): Promise<RenderedImage>;
}

function plan(
  input: ResolvedInput,
  probe: MediaProbe,
  config: ResolvedProcessorOptions,
  render: RenderOptions,
): Planned | undefined {
  if (probe.videoStream !== undefined) {
    const request = {
      stream: probe.videoStream,
      atSeconds: posterTime(probe.metadata.duration),
      maxWidth: config.posterWidth,
    };
    return {
      name: 'poster.jpg',
      kind: 'poster',
      mime: 'image/jpeg',
      // A video whose only frame is its first (a one-frame clip, a still cover over audio) has
      // nothing at 1 s or 10 % in: no frame decoded there, the poster is its first frame.
      draw: () =>
        renderPoster(input, request, render).catch((error: unknown) => {
          if (request.atSeconds === 0 || !isUndecodable(error) || render.signal?.aborted) throw error;
          return renderPoster(input, { ...request, atSeconds: 0 }, render);
        }),
    };
  }
  if (probe.audioStream !== undefined) {
    const request = {
      stream: probe.audioStream,
      width: config.waveformWidth,
      height: config.waveformHeight,
      maxSeconds: config.maxDurationSeconds,
      duration: probe.metadata.duration,
      sampleRate: probe.metadata.audio?.sampleRate ?? null,
    };
    return {
      name: 'waveform.png',
      kind: 'waveform',
      mime: 'image/png',
      draw: () => renderWaveform(input, request, render),
    };
  }
  return undefined;
}

/** A render that decoded nothing (`CONTENT_REJECTED` `media_invalid`), not a timeout or an abort. */
const isUndecodable = (error: unknown) =>
  FileForgeError.is(error) && error.code === 'CONTENT_REJECTED' && error.details?.reason === 'media_invalid';

/**
 * Attaches `poster.jpg` to a video or `waveform.png` to audio and returns the derivatives
 * that could not be drawn (empty when all were). Only a refusal of the content itself
 * (`CONTENT_REJECTED` from the renderer) is turned into a missing derivative.
 */
export async function deriveMedia(
  input: ResolvedInput,
  probe: MediaProbe,
  config: ResolvedProcessorOptions,
  context: ProcessorContext,
): Promise<MissingDerivative[]> {
  const render: RenderOptions = {
    ffmpegPath: config.ffmpegPath,
    threads: config.threads,
    timeoutMs: config.toolTimeoutMs,
    signal: context.signal,
    maxPixels: config.maxWidth * config.maxHeight,
  };
  const planned = plan(input, probe, config, render);
  if (!planned) return [];
  let image: RenderedImage;
  try {
    image = await planned.draw();
  } catch (error) {
    if (!FileForgeError.is(error) || error.code !== 'CONTENT_REJECTED' || context.signal.aborted) throw error;
    const reason = typeof error.details?.reason === 'string' ? error.details.reason : 'media_invalid';
    return [{ name: planned.name, reason }];
  }
  const { data, width, height } = image;
  await context.addDerivative({
    name: planned.name,
    kind: planned.kind,
    mime: planned.mime,
    width,
    height,
    content: data,
  });
  return [];
}
