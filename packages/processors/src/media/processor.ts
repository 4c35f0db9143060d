import type { Processor, ProcessorContext, ProcessorFile } from '@fileforge/core';
import { deriveMedia, type MissingDerivative } from './derive.js';
import { containerFor } from './formats.js';
import { resolveInput, withLocalPath } from './input.js';
import { checkLimits } from './limits.js';
import {
  type MediaProcessorOptions,
  type ResolvedProcessorOptions,
  resolveProcessorOptions,
} from './options.js';
import { type MediaMetadata, probeInput } from './probe.js';
import { type RecognisedType, recogniseMedia, UNKNOWN_BINARY } from './recognise.js';
import { mediaSupport } from './support.js';

/** What the media processor stores under `metadata.media`. */
export type MediaProcessorMetadata = MediaMetadata & {
  /** Derivatives that could not be drawn, with why; absent when every one was made. */
  missingDerivatives?: MissingDerivative[];
};

/** Probes, checks and derives from one local file of type `mime` and returns the metadata. */
async function processPath(
  path: string,
  mime: string,
  config: ResolvedProcessorOptions,
  context: ProcessorContext,
): Promise<MediaProcessorMetadata> {
  const tool = { ffprobePath: config.ffprobePath, timeoutMs: config.toolTimeoutMs, signal: context.signal };
  const input = resolveInput({ path, mime });
  const probe = await probeInput(input, tool);
  checkLimits(probe.metadata, config);
  const missing = config.derivatives ? await deriveMedia(input, probe, config, context) : [];
  return { ...probe.metadata, ...(missing.length > 0 ? { missingDerivatives: missing } : {}) };
}

/** How much of a remote file is copied for the second opinion: ffprobe's default probe size. */
const RECOGNISE_BYTES = 5 * 1024 * 1024;

/** The second opinion on unknown binary content (see `recognise.ts`), on at most its first 5 MiB. */
function recognise(file: ProcessorFile, config: ResolvedProcessorOptions, signal: AbortSignal) {
  const tool = { ffprobePath: config.ffprobePath, timeoutMs: config.toolTimeoutMs, signal };
  const options = { tempDir: config.tempDir, signal, headBytes: RECOGNISE_BYTES };
  return withLocalPath(file, options, (path) => recogniseMedia(path, tool));
}

/**
 * Creates the `media` processor for audio and video files whose detected type ffmpeg reads
 * (MP4/MOV, WebM/Matroska, MP3, WAV, Ogg, FLAC, AAC, AVI, MPEG-TS/PS, …; see
 * `supportsMediaType`). It probes the file with ffprobe, the demuxer forced from the
 * detected type, stores {@link MediaMetadata} under `metadata.media`, refuses files past the
 * duration and resolution limits before decoding anything, and attaches `poster.jpg`
 * (kind `poster`) to videos or `waveform.png` (kind `waveform`) to audio. A derivative that
 * cannot be drawn from a file that probed well is listed in `missingDerivatives` with its
 * reason, and the file still ends `processed`; content that does not probe ends the record
 * `rejected` with `CONTENT_REJECTED` and a `reason` (`media_invalid`, `media_limits`). Files
 * ingest recorded as `application/octet-stream` get a second opinion from ffprobe (Sun AU,
 * 8SVX, VOC, Wave64; see `recognise.ts`): recognised ones are processed and their type
 * recorded, the rest are left alone. A run past `toolTimeoutMs` has its process group killed.
 * Needs ffmpeg and ffprobe (`apt-get install ffmpeg`); nothing is started until a file is
 * processed.
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
    accepts: (record) =>
      containerFor(record.mime) !== undefined || (record.mime === UNKNOWN_BINARY && record.size > 0),
    async process(file, context) {
      let type: RecognisedType | undefined;
      if (file.record.mime === UNKNOWN_BINARY) {
        type = await recognise(file, config, context.signal);
        if (!type) return undefined; // not media: nothing to record
      }
      const mime = type?.mime ?? file.record.mime;
      const metadata = await withLocalPath(
        file,
        { tempDir: config.tempDir, signal: context.signal },
        (path) => processPath(path, mime, config, context),
      );
      return { metadata: { ...metadata }, ...(type ? { type } : {}) };
    },
  };
}
