/**
 * The argv of every ffmpeg and ffprobe run, in one place. It is built from constants,
 * validated numbers and generated absolute paths (as `file:<path>`, so no name is read as a
 * protocol). The input's demuxer is forced from its detected type, with the same names as
 * `-format_whitelist` and `-protocol_whitelist file` (security spec D1, Appendix 1). The runs
 * themselves go through the shared runner (`process/run-tool.ts`): no shell, a reduced
 * environment, the process group killed on timeout or abort.
 */
import { resolve } from 'node:path';
import type { MediaContainer } from './formats.js';

/** The media tools. */
export type MediaTool = 'ffmpeg' | 'ffprobe';

/** What {@link toolArgv} assembles around the input. */
export interface ToolArgvSpec {
  /**
   * The generated local file to read and how to demux it. Without a `demuxer` (only the
   * second opinion on unknown binary content, `recognise.ts`) ffprobe picks the format by
   * probing, but opens it only if it is on the whitelist: any other, HLS included, is refused
   * before a byte of it is parsed ("Format not on whitelist").
   */
  input: { path: string; container: Pick<MediaContainer, 'whitelist'> & { demuxer?: string | undefined } };
  /** Input options placed before `-i` (`-ss`, `-t`, `-threads`). */
  before?: readonly string[];
  /** Everything after the input: maps, filters, codecs, the output. */
  after: readonly string[];
}

/** Fixed environment settings of every media tool run (added to the reduced environment). */
export const MEDIA_TOOL_ENV: Readonly<Record<string, string>> = { AV_LOG_FORCE_NOCOLOR: '1' };

/**
 * The full argv for one run: quiet logging, no interaction, the forced demuxer and
 * whitelists, then the input as `file:<absolute path>`.
 */
export function toolArgv(tool: MediaTool, spec: ToolArgvSpec): string[] {
  const { demuxer, whitelist } = spec.input.container;
  return [
    '-hide_banner',
    ...(tool === 'ffmpeg' ? ['-nostdin'] : []),
    '-v',
    'error',
    ...(spec.before ?? []),
    ...(demuxer === undefined ? [] : ['-f', demuxer]),
    '-format_whitelist',
    whitelist,
    '-protocol_whitelist',
    'file',
    '-i',
    `file:${resolve(spec.input.path)}`,
    ...spec.after,
  ];
}
