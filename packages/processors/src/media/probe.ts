import { open } from 'node:fs/promises';
import { runTool } from '../process/run-tool.js';
import { toolFailureOf } from '../process/tool-errors.js';
import { rejectContent } from '../reject-content.js';
import { type MediaInput, type ResolvedInput, resolveInput } from './input.js';
import { MediaRejectReason } from './rejections.js';
import { MEDIA_TOOL_ENV, toolArgv } from './tool-argv.js';

/** What the media processor stores under `metadata.media`. */
export interface MediaMetadata {
  /** Seconds, from the container (or its longest stream); `null` when neither says. */
  duration: number | null;
  /** Container short name, from the detected type: `mp4`, `webm`, `mp3`, `wav`, … */
  format: string;
  /** Overall bits per second; `null` when unknown. */
  bitrate: number | null;
  /** Bytes, as the container reports them. */
  size: number | null;
  /** Well-known tags with lower-case keys: `title`, `artist`, `album`, `date`, `genre`, … */
  tags: Record<string, string>;
  /** The first video stream (cover art excluded), or `null` for audio. */
  video: {
    codec: string;
    width: number;
    height: number;
    fps: number | null;
    /**
     * Degrees the picture is turned for display (the stream's display matrix as ffprobe
     * reports it, e.g. `90` or `-90` for a phone video shot upright); `0` when it is not.
     * `width` and `height` are the coded size, before this rotation.
     */
    rotation: number;
  } | null;
  /** The first audio stream, or `null` for silent video. */
  audio: { codec: string; sampleRate: number | null; channels: number | null } | null;
}

/** A probe's result: the metadata and which streams to map for derivatives. */
export interface MediaProbe {
  metadata: MediaMetadata;
  /** ffmpeg stream index of the first video stream (not cover art). */
  videoStream: number | undefined;
  /** ffmpeg stream index of the first audio stream. */
  audioStream: number | undefined;
}

/** Options for {@link probeMedia}. */
export interface ProbeOptions {
  /** @default 'ffprobe' */
  ffprobePath?: string;
  /** Wall-clock limit in milliseconds. @default 60000 */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with ffprobe's process id. */
  onSpawn?(pid: number): void;
}

const ENTRIES = [
  'format=duration,size,bit_rate,format_name',
  'format_tags',
  'stream=index,codec_type,codec_name,width,height,sample_rate,channels,bit_rate,r_frame_rate,avg_frame_rate,duration',
  'stream_disposition=attached_pic',
  'stream_side_data=rotation',
  'stream_tags',
].join(':');

const TAG_KEYS = new Set([
  'title',
  'artist',
  'album',
  'album_artist',
  'composer',
  'date',
  'genre',
  'track',
  'disc',
  'comment',
  'copyright',
  'language',
  'creation_time',
]);
const MAX_TAG_CHARS = 1000;

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** ffprobe prints numbers as strings and `N/A` for unknowns. */
function num(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

/** `30000/1001` → 29.97; `0/0` → null. */
function rate(value: unknown): number | null {
  const [n, d] = String(value).split('/').map(Number);
  return n !== undefined && d !== undefined && n > 0 && d > 0 ? Math.round((n / d) * 1000) / 1000 : null;
}

/** The display-matrix rotation of a stream (side data, or an old-style `rotate` tag); 0 when none. */
function rotationOf(stream: Json): number {
  const sides = Array.isArray(stream.side_data_list) ? stream.side_data_list.map(obj) : [];
  const found =
    sides.map((side) => num(side.rotation)).find((r) => r !== null) ?? num(obj(stream.tags).rotate);
  return found === null ? 0 : Math.round(found) % 360 || 0;
}

function collectTags(into: Record<string, string>, tags: unknown): void {
  for (const [key, value] of Object.entries(obj(tags))) {
    const name = key.toLowerCase();
    if (TAG_KEYS.has(name) && typeof value === 'string' && !(name in into)) {
      into[name] = value.slice(0, MAX_TAG_CHARS);
    }
  }
}

/** Turns ffprobe's JSON into {@link MediaProbe}; `undefined` when it holds no audio or video. */
export function parseProbe(json: unknown, format: string): MediaProbe | undefined {
  const root = obj(json);
  const fmt = obj(root.format);
  const streams = Array.isArray(root.streams) ? root.streams.map(obj) : [];
  const video = streams.find((s) => s.codec_type === 'video' && obj(s.disposition).attached_pic !== 1);
  const audio = streams.find((s) => s.codec_type === 'audio');
  if (!video && !audio) return undefined;
  const tags: Record<string, string> = {};
  collectTags(tags, fmt.tags);
  if (audio) collectTags(tags, audio.tags);
  const streamDurations = streams.map((s) => num(s.duration)).filter((d): d is number => d !== null);
  const duration = num(fmt.duration) ?? (streamDurations.length > 0 ? Math.max(...streamDurations) : null);
  const metadata: MediaMetadata = {
    duration,
    format,
    bitrate: num(fmt.bit_rate),
    size: num(fmt.size),
    tags,
    video: video
      ? {
          codec: str(video.codec_name) ?? 'unknown',
          width: num(video.width) ?? 0,
          height: num(video.height) ?? 0,
          fps: rate(video.avg_frame_rate) ?? rate(video.r_frame_rate),
          rotation: rotationOf(video),
        }
      : null,
    audio: audio
      ? {
          codec: str(audio.codec_name) ?? 'unknown',
          sampleRate: num(audio.sample_rate),
          channels: num(audio.channels),
        }
      : null,
  };
  return {
    metadata,
    videoStream: num(video?.index) ?? undefined,
    audioStream: num(audio?.index) ?? undefined,
  };
}

/** True when the file starts like text (no NUL, valid UTF-8): a playlist or script, not a container. */
async function startsLikeText(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(1024), 0, 1024, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head.length === 0 || head.includes(0)) return false;
    const decoder = new TextDecoder('utf-8', { fatal: true });
    // A multi-byte character may be cut at the end of the sample.
    for (let trim = 0; trim < 4 && trim < head.length; trim++) {
      try {
        decoder.decode(head.subarray(0, head.length - trim));
        return true;
      } catch {
        // retry without the last byte
      }
    }
    return false;
  } finally {
    await handle.close();
  }
}

/**
 * Reads a file's container and streams with ffprobe, its demuxer forced from `input.mime`.
 * Content ffprobe cannot read is rejected (`CONTENT_REJECTED`): `media_invalid` when the file is
 * not that container at all (it starts as text, e.g. an HLS playlist named `.mp4`, or holds
 * no audio or video stream), `media_invalid` when it is but cannot be read (truncated,
 * damaged). Timeouts, aborts and a missing ffprobe are thrown as they are.
 *
 * @example
 * ```ts
 * const { metadata } = await probeMedia({ path: '/data/blobs/…', mime: 'video/mp4' });
 * metadata.duration; // 20.02
 * ```
 */
export async function probeMedia(input: MediaInput, options: ProbeOptions = {}): Promise<MediaProbe> {
  return probeInput(resolveInput(input), options);
}

/** {@link probeMedia} for an input already checked by `resolveInput`. */
export async function probeInput(resolved: ResolvedInput, options: ProbeOptions = {}): Promise<MediaProbe> {
  const argv = toolArgv('ffprobe', { input: resolved, after: ['-show_entries', ENTRIES, '-of', 'json'] });
  let stdout: Buffer;
  try {
    ({ stdout } = await runTool('ffprobe', argv, {
      command: options.ffprobePath,
      timeoutMs: options.timeoutMs ?? 60_000,
      signal: options.signal,
      onSpawn: options.onSpawn,
      env: MEDIA_TOOL_ENV,
    }));
  } catch (error) {
    const failure = toolFailureOf(error);
    if (failure !== 'exit' && failure !== 'output_limit') throw error;
    const what = resolved.container.format;
    if (await startsLikeText(resolved.path)) {
      throw rejectContent('media', MediaRejectReason.NOT_MEDIA, `The file is text, not ${what} media`, {
        cause: error,
      });
    }
    throw rejectContent('media', MediaRejectReason.CORRUPT_MEDIA, `The ${what} file cannot be read`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(stdout.toString('utf8'));
  } catch (error) {
    throw rejectContent('media', MediaRejectReason.CORRUPT_MEDIA, 'ffprobe returned unreadable output', {
      cause: error,
    });
  }
  const probe = parseProbe(json, resolved.container.format);
  if (!probe) {
    throw rejectContent(
      'media',
      MediaRejectReason.NOT_MEDIA,
      `The ${resolved.container.format} file has no audio or video`,
    );
  }
  return probe;
}
