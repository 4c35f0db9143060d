import type { Processor, ProcessorContext } from '@fileforge/core';
import { containerFor } from './formats.js';
import { type ResolvedInput, resolveInput, withLocalPath } from './input.js';
import { checkLimits } from './limits.js';
import {
  type MediaProcessorOptions,
  type ResolvedProcessorOptions,
  resolveProcessorOptions,
} from './options.js';
import { posterTime, renderPoster } from './poster.js';
import { type MediaMetadata, type MediaProbe, probeInput } from './probe.js';
import { mediaSupport } from './support.js';
import { renderWaveform } from './waveform.js';

/** Attaches `poster.jpg` to a video or `waveform.png` to audio. */
async function derive(
  input: ResolvedInput,
  probe: MediaProbe,
  config: ResolvedProcessorOptions,
  context: ProcessorContext,
): Promise<void> {
  const render = {
    ffmpegPath: config.ffmpegPath,
    threads: config.threads,
    timeoutMs: config.toolTimeoutMs,
    signal: context.signal,
  };
  if (probe.videoStream !== undefined) {
    const atSeconds = posterTime(probe.metadata.duration);
    const request = { stream: probe.videoStream, atSeconds, maxWidth: config.posterWidth };
    const { data, width, height } = await renderPoster(input, request, render);
    await context.addDerivative({
      name: 'poster.jpg',
      kind: 'poster',
      mime: 'image/jpeg',
      width,
      height,
      content: data,
    });
  } else if (probe.audioStream !== undefined) {
    const request = {
      stream: probe.audioStream,
      width: config.waveformWidth,
      height: config.waveformHeight,
      maxSeconds: config.maxDurationSeconds,
    };
    const { data, width, height } = await renderWaveform(input, request, render);
    await context.addDerivative({
      name: 'waveform.png',
      kind: 'waveform',
      mime: 'image/png',
      width,
      height,
      content: data,
    });
  }
}

/**
 * Creates the `media` processor for audio and video files whose detected type ffmpeg reads
 * (MP4/MOV, WebM/Matroska, MP3, WAV, Ogg, FLAC, AAC, AVI, MPEG-TS, …; see
 * `supportsMediaType`). It probes the file with ffprobe, the demuxer forced from the
 * detected type, stores {@link MediaMetadata} under `metadata.media`, refuses files past the
 * duration and resolution limits before decoding anything, and attaches `poster.jpg`
 * (kind `poster`) to videos or `waveform.png` (kind `waveform`) to audio. Hostile or broken
 * content ends the record `rejected` with `CONTENT_REJECTED` and a `reason` (`media_invalid`,
 * `media_invalid`, `media_limits`, `media_limits`); a run past `toolTimeoutMs` has its
 * process group killed. Needs ffmpeg and ffprobe (`apt-get install ffmpeg`); nothing is
 * started until a file is processed.
 *
 * @example
 * ```ts
 * import { createMediaProcessor } from '@fileforge/processors/media';
 * const forge = await createForge({
 *   processors: [...defaultProcessors(), createMediaProcessor({ maxDurationSeconds: 3600 })],
 * });
 * // later: (await forge.files.get(id))?.metadata.media → { duration: 3, audio: { … }, … }
 * ```
 */
export function createMediaProcessor(options: MediaProcessorOptions = {}): Processor {
  const config = resolveProcessorOptions(options);
  return {
    name: 'media',
    support: mediaSupport(config),
    ...(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs }),
    accepts: (record) => containerFor(record.mime) !== undefined,
    async process(file, context) {
      const { signal } = context;
      const metadata: MediaMetadata = await withLocalPath(
        file,
        { tempDir: config.tempDir, signal },
        async (path) => {
          const input = resolveInput({ path, mime: file.record.mime });
          const probe = await probeInput(input, {
            ffprobePath: config.ffprobePath,
            timeoutMs: config.toolTimeoutMs,
            signal,
          });
          checkLimits(probe.metadata, config);
          if (config.derivatives) await derive(input, probe, config, context);
          return probe.metadata;
        },
      );
      return { metadata: { ...metadata } };
    },
  };
}
