/**
 * Which ffmpeg demuxer reads which detected type. ffmpeg is never allowed to guess a format
 * from the bytes: a text HLS playlist renamed `.mp4` would be probed as `hls` and the local
 * files it lists opened (security spec D1). The demuxer is forced from the type detected at
 * ingest and the same names are passed as `-format_whitelist`, which also binds any nested
 * demuxer ffmpeg might open.
 */

/** How one detected type is read. */
export interface MediaContainer {
  /** Short name recorded as `metadata.media.format`, e.g. `mp4`, `webm`, `mp3`. */
  readonly format: string;
  /** Passed as `-f`. */
  readonly demuxer: string;
  /** Passed as `-format_whitelist`: the demuxer's full name list. */
  readonly whitelist: string;
}

const MOV = 'mov,mp4,m4a,3gp,3g2,mj2';
const MATROSKA = 'matroska,webm';

const container = (format: string, demuxer: string, whitelist = demuxer): MediaContainer => ({
  format,
  demuxer,
  whitelist,
});

/** Detected MIME type (as file-type reports it, without parameters) → container. */
const CONTAINERS: Readonly<Record<string, MediaContainer>> = {
  'video/mp4': container('mp4', 'mp4', MOV),
  'video/x-m4v': container('mp4', 'mp4', MOV),
  'audio/mp4': container('m4a', 'mp4', MOV),
  'audio/x-m4a': container('m4a', 'mp4', MOV),
  'video/quicktime': container('mov', 'mov', MOV),
  'video/3gpp': container('3gp', '3gp', MOV),
  'video/3gpp2': container('3g2', '3g2', MOV),
  'video/webm': container('webm', 'webm', MATROSKA),
  'audio/webm': container('webm', 'webm', MATROSKA),
  'video/matroska': container('matroska', 'matroska', MATROSKA),
  'video/x-matroska': container('matroska', 'matroska', MATROSKA),
  'audio/x-matroska': container('matroska', 'matroska', MATROSKA),
  'audio/mpeg': container('mp3', 'mp3'),
  'audio/wav': container('wav', 'wav'),
  'audio/ogg': container('ogg', 'ogg'),
  'video/ogg': container('ogg', 'ogg'),
  'audio/flac': container('flac', 'flac'),
  'audio/aac': container('aac', 'aac'),
  'audio/aiff': container('aiff', 'aiff'),
  'audio/amr': container('amr', 'amr'),
  'video/vnd.avi': container('avi', 'avi'),
  'video/x-msvideo': container('avi', 'avi'),
  'video/mp2t': container('mpegts', 'mpegts'),
  'video/mpeg': container('mpeg', 'mpeg'),
  'video/x-flv': container('flv', 'flv'),
  'video/x-ms-asf': container('asf', 'asf'),
  'audio/x-ms-asf': container('asf', 'asf'),
  // Recognised only by ffprobe's second opinion (recognise.ts): file-type does not know them.
  'audio/basic': container('au', 'au'),
  'audio/x-8svx': container('8svx', 'iff'),
  'audio/x-voc': container('voc', 'voc'),
  'audio/x-w64': container('w64', 'w64'),
};

/** Every detected type the media tools read. */
export const MEDIA_TYPES: readonly string[] = Object.keys(CONTAINERS);

/** `Audio/OGG; codecs=opus` → `audio/ogg`. */
export function baseMime(mime: string): string {
  return (mime.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * The container ffmpeg must use for a detected type, or `undefined` when the media
 * processor does not handle it (MIDI, tracker modules and other types ffmpeg reads poorly
 * or not at all).
 */
export function containerFor(mime: string): MediaContainer | undefined {
  const base = baseMime(mime);
  return Object.hasOwn(CONTAINERS, base) ? CONTAINERS[base] : undefined;
}

/** Whether FileForge's media tools can read files of this detected type. */
export function supportsMediaType(mime: string): boolean {
  return containerFor(mime) !== undefined;
}

/** The formats handled, for the generated support table. */
export const SUPPORTED_FORMATS =
  'MP4, M4A, MOV, 3GP, WebM, Matroska, MP3, WAV, Ogg (Vorbis, Opus, Theora), FLAC, AAC (ADTS), AIFF, AMR, AVI, MPEG-TS, MPEG-PS (MPEG-1/2), FLV, ASF/WMV; Sun AU, 8SVX, Creative VOC and Wave64 recognised by ffprobe in unknown binary files';
