/**
 * Ingesting a file that is already complete on disk (a finished resumable upload).
 *
 * How this works: where the blob store can adopt a file on its own filesystem
 * ({@link BlobStore.adopt}: the local store without encryption), the staged file is checked
 * exactly as a streamed put would check it — the detection head is read and inspected, the
 * size cap applied — hashed (unless the caller hashed it while it arrived) and hard-linked into
 * place: its bytes are never copied. Every other store (S3, encryption at rest) gets the file
 * streamed through its ordinary `put`, which counts, hashes, inspects and encrypts as usual.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { ErrorCode, FileForgeError, toFileForgeError } from '../errors/index.js';
import type { BlobPutOptions, BlobPutResult, BlobStore } from '../storage/blob-store.js';

/** A complete file on local disk, handed to `forge.ingest()` instead of a stream. */
export interface StagedFile {
  /** Absolute path of the file. It is linked (not moved) into the store; the caller removes it afterwards. */
  stagedPath: string;
  /**
   * Lower-case hex SHA-256 of the whole file, when the caller hashed it while it arrived.
   * @default computed here in one read pass
   */
  sha256?: string;
}

/** True when `source` is a {@link StagedFile}. */
export function isStagedFile(source: unknown): source is StagedFile {
  return (
    typeof source === 'object' && source !== null && typeof (source as StagedFile).stagedPath === 'string'
  );
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** SHA-256 of a file in one sequential read. */
async function hashStagedFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20, ...(signal ? { signal } : {}) }))
    hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Stores a staged file under `key`: adopted without a copy where the store can, streamed otherwise. */
export async function putStagedFile(
  blobs: BlobStore,
  key: string,
  staged: StagedFile,
  options: BlobPutOptions,
): Promise<BlobPutResult> {
  const path = staged.stagedPath;
  if (!blobs.adopt) {
    return blobs.put(key, createReadStream(path, { highWaterMark: 1 << 20 }), options);
  }
  try {
    const { size } = await stat(path);
    if (options.maxBytes !== undefined && size > options.maxBytes) {
      throw new FileForgeError(
        ErrorCode.FILE_TOO_LARGE,
        `[fileforge:ingest] File exceeds the limit of ${options.maxBytes} bytes`,
        { details: { limit: options.maxBytes } },
      );
    }
    if (options.head) await options.head.inspect(await readHead(path, options.head.bytes));
    options.signal?.throwIfAborted();
    const sha256 = staged.sha256 ?? (await hashStagedFile(path, options.signal));
    return await blobs.adopt(key, path, { size, sha256 });
  } catch (error) {
    throw FileForgeError.is(error) ? error : toFileForgeError(error);
  }
}
