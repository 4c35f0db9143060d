/**
 * Audio and video for FileForge, through the system's ffmpeg and ffprobe: the `media`
 * processor (metadata, duration/resolution limits, `poster.jpg` and `waveform.png`
 * derivatives), the `transcode`, `extractAudio`, `posterFrame` and `probeMedia` SDK functions,
 * and the same work as registered operations (`createMediaOperations()`: `media.probe`,
 * `media.transcode`, `media.extractAudio`, `media.posterFrame`, `media.waveform`). Every run forces the demuxer from the detected type, reads only
 * generated local paths, and is killed with its process group on timeout or abort.
 * Importing this module starts nothing; install ffmpeg with `apt-get install ffmpeg`.
 *
 * @module
 */

export type { MissingDerivative } from './derive.js';
export { supportsMediaType } from './formats.js';
export type { MediaInput } from './input.js';
export { createMediaOperations } from './media-operations.js';
export {
  type ExtractAudioOptions,
  extractAudio,
  type MediaRunOptions,
  type PosterFrame,
  type PosterFrameOptions,
  posterFrame,
  type TranscodeOptions,
  type TranscodeResult,
  transcode,
} from './operations.js';
export type { MediaLimits, MediaProcessorOptions, MediaToolOptions } from './options.js';
export type { AudioCodec, AudioFormat, TranscodeFormat, VideoCodec } from './output-formats.js';
export { type MediaMetadata, type MediaProbe, type ProbeOptions, probeMedia } from './probe.js';
export { createMediaProcessor, type MediaProcessorMetadata } from './processor.js';
export { MediaRejectReason } from './rejections.js';
