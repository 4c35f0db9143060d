/**
 * What the operations can write: each output format's muxer and the codecs allowed in it,
 * and each codec's encoder settings. Codec and format names from a workflow are looked up
 * here and never passed to ffmpeg as given.
 */

/** Output formats of `transcode` / `extractAudio`. */
export type TranscodeFormat =
  | 'mp4'
  | 'mov'
  | 'webm'
  | 'mkv'
  | 'mp3'
  | 'm4a'
  | 'wav'
  | 'ogg'
  | 'opus'
  | 'flac';
/** Audio-only output formats (those `extractAudio` writes). */
export type AudioFormat = 'mp3' | 'm4a' | 'wav' | 'ogg' | 'opus' | 'flac';
/** Video codecs, by the name of the codec (not of ffmpeg's encoder). */
export type VideoCodec = 'h264' | 'hevc' | 'vp8' | 'vp9' | 'av1';
/** Audio codecs; `pcm` is 16-bit little-endian PCM. */
export type AudioCodec = 'aac' | 'mp3' | 'opus' | 'vorbis' | 'flac' | 'pcm';

/** One output format. The first codec listed is the default. */
export interface OutputFormat {
  /** ffmpeg muxer (`-f`). */
  readonly muxer: string;
  /** The type recorded for a file in this format, and its usual extension. */
  readonly mime: string;
  readonly ext: string;
  /** Video codecs allowed; empty for audio-only formats. */
  readonly video: readonly VideoCodec[];
  readonly audio: readonly AudioCodec[];
  /** Muxer options. */
  readonly args: readonly string[];
}

const FASTSTART = ['-movflags', '+faststart'];

/** Every output format by name. */
export const OUTPUT_FORMATS: Readonly<Record<TranscodeFormat, OutputFormat>> = {
  mp4: {
    muxer: 'mp4',
    mime: 'video/mp4',
    ext: 'mp4',
    video: ['h264', 'hevc', 'av1'],
    audio: ['aac', 'mp3'],
    args: FASTSTART,
  },
  mov: {
    muxer: 'mov',
    mime: 'video/quicktime',
    ext: 'mov',
    video: ['h264', 'hevc'],
    audio: ['aac', 'pcm'],
    args: FASTSTART,
  },
  webm: {
    muxer: 'webm',
    mime: 'video/webm',
    ext: 'webm',
    video: ['vp9', 'vp8', 'av1'],
    audio: ['opus', 'vorbis'],
    args: [],
  },
  mkv: {
    muxer: 'matroska',
    mime: 'video/x-matroska',
    ext: 'mkv',
    video: ['h264', 'hevc', 'vp9', 'vp8', 'av1'],
    audio: ['aac', 'opus', 'vorbis', 'flac', 'mp3', 'pcm'],
    args: [],
  },
  mp3: { muxer: 'mp3', mime: 'audio/mpeg', ext: 'mp3', video: [], audio: ['mp3'], args: [] },
  m4a: { muxer: 'ipod', mime: 'audio/mp4', ext: 'm4a', video: [], audio: ['aac'], args: FASTSTART },
  wav: { muxer: 'wav', mime: 'audio/wav', ext: 'wav', video: [], audio: ['pcm'], args: [] },
  ogg: {
    muxer: 'ogg',
    mime: 'audio/ogg',
    ext: 'ogg',
    video: [],
    audio: ['vorbis', 'opus', 'flac'],
    args: [],
  },
  opus: { muxer: 'opus', mime: 'audio/ogg', ext: 'opus', video: [], audio: ['opus'], args: [] },
  flac: { muxer: 'flac', mime: 'audio/flac', ext: 'flac', video: [], audio: ['flac'], args: [] },
};

/** H.264/HEVC in 4:2:0 need even dimensions. */
const EVEN = ['-vf', "scale='trunc(iw/2)*2':'trunc(ih/2)*2'", '-pix_fmt', 'yuv420p'];

/** The names of {@link OUTPUT_FORMATS}, for validation. */
export const TRANSCODE_FORMATS = [
  'mp4',
  'mov',
  'webm',
  'mkv',
  'mp3',
  'm4a',
  'wav',
  'ogg',
  'opus',
  'flac',
] as const;
/** Audio-only output formats, for validation. */
export const AUDIO_FORMATS = ['mp3', 'm4a', 'wav', 'ogg', 'opus', 'flac'] as const;
/** Every video codec name, for validation. */
export const VIDEO_CODECS = ['h264', 'hevc', 'vp8', 'vp9', 'av1'] as const;
/** Every audio codec name, for validation. */
export const AUDIO_CODECS = ['aac', 'mp3', 'opus', 'vorbis', 'flac', 'pcm'] as const;

/** Encoder settings: a balance of speed and size for server-side conversion. */
export const VIDEO_ENCODERS: Readonly<Record<VideoCodec, readonly string[]>> = {
  h264: ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', ...EVEN],
  hevc: ['-c:v', 'libx265', '-preset', 'fast', '-crf', '28', ...EVEN],
  vp8: ['-c:v', 'libvpx', '-b:v', '2M', '-crf', '10', '-deadline', 'good', '-cpu-used', '4', ...EVEN],
  vp9: [
    '-c:v',
    'libvpx-vp9',
    '-b:v',
    '0',
    '-crf',
    '32',
    '-deadline',
    'good',
    '-cpu-used',
    '4',
    '-row-mt',
    '1',
    ...EVEN,
  ],
  av1: ['-c:v', 'libsvtav1', '-preset', '8', '-crf', '35', ...EVEN],
};

/** Audio encoder settings. */
export const AUDIO_ENCODERS: Readonly<Record<AudioCodec, readonly string[]>> = {
  aac: ['-c:a', 'aac', '-b:a', '128k'],
  mp3: ['-c:a', 'libmp3lame', '-q:a', '4'],
  opus: ['-c:a', 'libopus', '-b:a', '96k'],
  vorbis: ['-c:a', 'libvorbis', '-q:a', '4'],
  flac: ['-c:a', 'flac'],
  pcm: ['-c:a', 'pcm_s16le'],
};
