import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Detection, FileRecord, Processor } from '@fileforge/core';

/** What the generic processor stores under `metadata.generic`. */
export type GenericMetadata = {
  /** Size in bytes. */
  size: number;
  /** Lower-case hex digests of the content; `sha256` is the one computed at ingest. */
  hashes: { sha256: string; md5: string; sha1: string };
  /** The type detected from the bytes at ingest. */
  detectedType: { mime: string; ext: string };
  /** The name's extension does not fit the detected type. */
  extensionMismatch: boolean;
  /** The client's declared Content-Type does not fit the detected type. */
  declaredMismatch: boolean;
  /** The file has no bytes. */
  empty: boolean;
};

function detectionOf(record: FileRecord): Partial<Detection> {
  const detection = record.metadata.detection;
  return typeof detection === 'object' && detection !== null ? (detection as Partial<Detection>) : {};
}

/** Bytes read at a time from a local file. */
const READ_BYTES = 1024 * 1024;

/**
 * Feeds a local file to `hashes` through one reused buffer. A stream allocates a new buffer
 * for every chunk, which only the garbage collector frees: hashing a 1 GiB upload right after
 * it arrived so raised the server's RSS by tens of MiB (issue 14).
 */
async function hashLocalFile(path: string, hashes: readonly Hash[], signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, null);
      signal.throwIfAborted();
      if (bytesRead === 0) return;
      const data = bytesRead === READ_BYTES ? buffer : buffer.subarray(0, bytesRead);
      for (const hash of hashes) hash.update(data);
    }
  } finally {
    await handle.close();
  }
}

/** Feeds the content, streamed, to `hashes`. */
async function hashStream(content: Readable, hashes: readonly Hash[], signal: AbortSignal) {
  await pipeline(
    content,
    async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) for (const hash of hashes) hash.update(chunk);
    },
    { signal },
  );
}

/**
 * Creates the `generic` processor, which runs on every file: it records size, hashes
 * (reading the content once, through MD5 and SHA-1 together — from its local path through one
 * buffer where the store has one, else streamed; SHA-256 comes from ingest), the detected type
 * and whether the name or declared type disagreed with it.
 *
 * @example
 * ```ts
 * const forge = await createForge({ processors: [createGenericProcessor()] });
 * // later: (await forge.files.get(id))?.metadata.generic → { size, hashes: { md5, … }, … }
 * ```
 */
export function createGenericProcessor(): Processor {
  return {
    name: 'generic',
    mimeTypes: ['*/*'],
    support: {
      formats: 'Every file',
      extracts: [
        'size',
        'SHA-256, SHA-1, MD5',
        'detected type',
        'name and declared-type mismatch flags',
        'empty flag',
      ],
    },
    async extractMetadata(file, context): Promise<GenericMetadata> {
      const { record } = file;
      const md5 = createHash('md5');
      const sha1 = createHash('sha1');
      if (file.path !== undefined) await hashLocalFile(file.path, [md5, sha1], context.signal);
      else await hashStream(await file.open(), [md5, sha1], context.signal);
      const detection = detectionOf(record);
      return {
        size: record.size,
        hashes: { sha256: record.sha256, md5: md5.digest('hex'), sha1: sha1.digest('hex') },
        detectedType: { mime: record.mime, ext: record.ext },
        extensionMismatch: detection.extensionMismatch === true,
        declaredMismatch: detection.declaredMismatch === true,
        empty: record.size === 0,
      };
    },
  };
}
