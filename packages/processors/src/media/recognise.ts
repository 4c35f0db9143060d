/**
 * A second opinion on content ingest could not name. Detection at ingest reads magic bytes
 * only (and never runs ffmpeg); some audio formats it does not know are ones ffmpeg reads
 * well (Sun `.au`, Amiga 8SVX, Creative VOC, Wave64). For a file recorded as
 * `application/octet-stream`, ffprobe is asked, through the same runner, argv builder and
 * time limit as every media run, whether the bytes are one of those formats: it may probe,
 * but only the demuxers in {@link RECOGNISABLE} may open the file (`-format_whitelist`), so
 * a playlist or any other format is refused before it is parsed (security spec D1).
 */
import { runTool } from '../process/run-tool.js';
import { toolFailureOf } from '../process/tool-errors.js';
import type { ProbeOptions } from './probe.js';
import { MEDIA_TOOL_ENV, toolArgv } from './tool-argv.js';

/** A type recognised by the second opinion (the core's `RecognisedType`). */
export interface RecognisedType {
  mime: string;
  ext: string;
}

/** ffmpeg demuxer → the type recorded for files it reads (each in `formats.ts`'s table too). */
export const RECOGNISABLE: Readonly<Record<string, RecognisedType>> = {
  au: { mime: 'audio/basic', ext: 'au' },
  iff: { mime: 'audio/x-8svx', ext: '8svx' },
  voc: { mime: 'audio/x-voc', ext: 'voc' },
  w64: { mime: 'audio/x-w64', ext: 'w64' },
};

/** The type ingest gives to bytes it cannot name: the only one a second opinion is asked for. */
export const UNKNOWN_BINARY = 'application/octet-stream';

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});

/**
 * Asks ffprobe whether the file at `path` is audio in one of the {@link RECOGNISABLE}
 * formats and returns its type, or `undefined` when it is not (ffprobe refuses or finds no
 * audio stream) or ffprobe cannot be run or timed out: an unknown file stays unknown and
 * still ends `processed`. Only an abort is thrown.
 */
export async function recogniseMedia(
  path: string,
  options: ProbeOptions,
): Promise<RecognisedType | undefined> {
  const container = { whitelist: Object.keys(RECOGNISABLE).join(',') };
  const argv = toolArgv('ffprobe', {
    input: { path, container },
    after: ['-show_entries', 'format=format_name:stream=codec_type', '-of', 'json'],
  });
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
    if (options.signal?.aborted || toolFailureOf(error) === 'aborted') throw error;
    return undefined;
  }
  let json: Json;
  try {
    json = obj(JSON.parse(stdout.toString('utf8')));
  } catch {
    return undefined;
  }
  const format = String(obj(json.format).format_name ?? '');
  const streams = Array.isArray(json.streams) ? json.streams.map(obj) : [];
  if (!Object.hasOwn(RECOGNISABLE, format) || !streams.some((s) => s.codec_type === 'audio')) {
    return undefined;
  }
  return RECOGNISABLE[format];
}
