import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ErrorCode, FileForgeError, type ProcessorFile } from '@fileforge/core';
import { containerFor, type MediaContainer } from './formats.js';

/**
 * A file for the media operations: a path FileForge generated (a blob's local path, or a
 * temp file of yours) and the type detected from its bytes, which picks the demuxer. Never
 * pass a user-chosen name or the client's declared type here.
 */
export interface MediaInput {
  /** Absolute path of a local file. */
  path: string;
  /** The detected MIME type (`record.mime`), e.g. `video/mp4`. */
  mime: string;
}

/** A {@link MediaInput} checked and paired with its container. */
export interface ResolvedInput {
  path: string;
  container: MediaContainer;
}

/**
 * Checks an input and finds its container: `VALIDATION_FAILED` for a relative or empty
 * path, `UNSUPPORTED_MEDIA_TYPE` for a type the media tools do not read.
 */
export function resolveInput(input: MediaInput): ResolvedInput {
  if (typeof input?.path !== 'string' || !isAbsolute(input.path)) {
    throw new FileForgeError(
      ErrorCode.VALIDATION_FAILED,
      '[fileforge:media] The input path must be an absolute path of a local file',
      { details: { option: 'path' } },
    );
  }
  const container = containerFor(String(input.mime));
  if (!container) {
    throw new FileForgeError(
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      `[fileforge:media] Files of type ${JSON.stringify(input.mime)} cannot be read by the media tools`,
      { details: { detected: input.mime } },
    );
  }
  return { path: input.path, container };
}

/**
 * Runs `work` with an absolute local path to the file's content. ffmpeg needs to seek (an MP4's index
 * may sit at its end), so a store without local paths has the content copied to a private
 * temp directory first, removed afterwards. With `headBytes`, such a copy holds only the
 * first `headBytes` bytes (enough for ffprobe to recognise a format; a local file is whole).
 */
export async function withLocalPath<T>(
  file: ProcessorFile,
  options: { tempDir?: string; signal: AbortSignal; headBytes?: number },
  work: (path: string) => Promise<T>,
): Promise<T> {
  if (file.path !== undefined) return work(resolve(file.path));
  // An encrypting store decrypts to a private temp file under the data directory (never a pipe).
  if (file.withLocalFile) {
    return file.withLocalFile((path) => work(resolve(path)), {
      signal: options.signal,
      ...(options.headBytes === undefined ? {} : { headBytes: options.headBytes }),
    });
  }
  const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'fileforge-media-'));
  try {
    const path = join(dir, 'input');
    const range = options.headBytes === undefined ? undefined : { start: 0, end: options.headBytes - 1 };
    await pipeline(await file.open(range), createWriteStream(path, { flags: 'wx', mode: 0o600 }), {
      signal: options.signal,
    });
    return await work(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
