import type { Readable } from 'node:stream';
import { ErrorCode, FileForgeError, type ForgeFiles } from '@fileforge/core';
import { rejected } from './errors.js';
import type { FileSource } from './types.js';

/**
 * Reads a file's stream whole, for a vendor that takes it inline (base64 in a JSON body).
 * Fails with `INTEGRATION_REJECTED` as soon as more than `limit` bytes came (a stored file
 * longer than its record says), without reading on.
 */
export async function readWhole(stream: Readable, limit: number, integration: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += bytes.length;
    if (size > limit) {
      stream.destroy();
      throw rejected(`The file is larger than the ${limit} bytes ${integration} takes inline`, {
        integration,
      });
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** Which stored bytes a file action gets: the original, or one of its derivatives by name. */
export interface FileSelection {
  tenant: string;
  fileId: string;
  /** A derivative's name (`thumbnail-256.webp`, a converted PDF…); omitted: the original. */
  derivative?: string;
}

/**
 * A {@link FileSource} over a forge's stored file: its record gives name, size and type, and
 * `open()` streams the bytes afresh for each attempt (a retry re-reads them).
 */
export async function forgeFileSource(files: ForgeFiles, selection: FileSelection): Promise<FileSource> {
  const { tenant, fileId, derivative } = selection;
  const withSignal = (signal?: AbortSignal) => ({ tenant, ...(signal ? { signal } : {}) });
  if (derivative === undefined) {
    const record = await files.get(fileId, { tenant });
    if (!record)
      throw new FileForgeError(ErrorCode.NOT_FOUND, `[fileforge:connectors] File ${fileId} not found`);
    return {
      name: record.name,
      size: record.size,
      mime: record.mime,
      open: async (signal) => (await files.open(fileId, withSignal(signal))).stream,
    };
  }
  const found = (await files.derivatives(fileId, { tenant })).find((d) => d.name === derivative);
  if (!found) {
    throw new FileForgeError(
      ErrorCode.NOT_FOUND,
      `[fileforge:connectors] Derivative ${derivative} of file ${fileId} not found`,
    );
  }
  return {
    name: found.name,
    size: found.size,
    mime: found.mime,
    open: async (signal) => (await files.openDerivative(fileId, derivative, withSignal(signal))).stream,
  };
}
