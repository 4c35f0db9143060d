import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ErrorCode, FileForgeError } from '@fileforge/core';
import type { ResolvedLimits } from './options.js';
import { rejectImage } from './reject.js';

/** What the SDK operations accept: a local path, the bytes, or a stream of them. */
export type ImageInput = string | Uint8Array | Readable;

/** What sharp is given: a local path (read by libvips itself) or the bytes in memory. */
export type ImageSource = string | Buffer;

/** Reads a stream into memory, refusing more than `limit` bytes (`CONTENT_REJECTED input_too_large`). */
export async function readLimited(
  stream: Readable | AsyncIterable<Uint8Array>,
  limit: number,
  signal?: AbortSignal,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Uint8Array | string>) {
      signal?.throwIfAborted();
      const bytes =
        typeof chunk === 'string'
          ? Buffer.from(chunk)
          : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      size += bytes.length;
      if (size > limit) {
        throw rejectImage('input_too_large', `Image input exceeds ${limit} bytes`, { limit });
      }
      chunks.push(bytes);
    }
  } finally {
    if ('destroy' in stream && typeof stream.destroy === 'function') stream.destroy();
  }
  return Buffer.concat(chunks, size);
}

/** Reads at most `limit` bytes of a local file, refusing a longer one like {@link readLimited}. */
export async function readFileLimited(path: string, limit: number, signal?: AbortSignal): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    return await readLimited(handle.createReadStream({ autoClose: false }), limit, signal);
  } finally {
    await handle.close();
  }
}

/** The first `bytes` bytes of a local file (64 KiB by default). */
export async function readFileHead(path: string, bytes = 64 * 1024): Promise<Buffer> {
  return head(path, bytes);
}

async function head(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Whether bytes are (or pretend to be) SVG rather than a raster format. Every raster format
 * sharp may read starts with binary magic bytes, so markup — anything starting with `<`
 * after an optional UTF-8 BOM and white space — is treated as SVG and gets the SVG checks.
 */
export function looksLikeMarkup(start: Uint8Array): boolean {
  let i = start[0] === 0xef && start[1] === 0xbb && start[2] === 0xbf ? 3 : 0;
  while (
    i < start.length &&
    (start[i] === 0x20 || start[i] === 0x09 || start[i] === 0x0a || start[i] === 0x0d)
  ) {
    i++;
  }
  return start[i] === 0x3c;
}

/** Whether bytes are gzip-compressed (an `.svgz`, which libvips would inflate without a size cap). */
const isGzip = (start: Uint8Array) => start[0] === 0x1f && start[1] === 0x8b;

/**
 * Turns an SDK input into what sharp reads, with `svg` telling whether the SVG checks must
 * run. Markup is always read into memory (never handed to libvips as a path: librsvg
 * resolves relative references against a file's location); streams are buffered, as sharp
 * would buffer them anyway; raster files stay on disk.
 */
export async function toImageSource(
  input: ImageInput,
  limits: ResolvedLimits,
  signal?: AbortSignal,
): Promise<{ svg: true; source: Buffer } | { svg: false; source: ImageSource }> {
  let start: Uint8Array;
  if (typeof input === 'string') start = await head(input, 64);
  else if (input instanceof Uint8Array) start = input.subarray(0, 64);
  else {
    const data = await readLimited(input, limits.maxInputBytes, signal);
    return toImageSource(data, limits, signal);
  }
  if (isGzip(start)) {
    throw rejectImage('image_corrupt', 'Compressed (gzip) image input is not accepted', {});
  }
  const svg = looksLikeMarkup(start);
  if (typeof input === 'string') {
    return svg
      ? { svg, source: await readFileLimited(input, limits.maxSvgBytes, signal) }
      : { svg, source: input };
  }
  const data = Buffer.from(input.buffer, input.byteOffset, input.length);
  const limit = svg ? limits.maxSvgBytes : limits.maxInputBytes;
  if (data.length > limit) {
    throw rejectImage('input_too_large', `Image input exceeds ${limit} bytes`, { limit });
  }
  return { svg, source: data };
}

/** Refuses an input that is neither a path, bytes nor a stream, with `VALIDATION_FAILED`. */
export function checkInput(input: unknown): asserts input is ImageInput {
  const ok =
    typeof input === 'string' ||
    input instanceof Uint8Array ||
    (typeof input === 'object' && input !== null && Symbol.asyncIterator in input);
  if (!ok) {
    throw new FileForgeError(
      ErrorCode.VALIDATION_FAILED,
      '[fileforge:image] Input must be a file path, a Buffer or a Readable stream',
    );
  }
}
