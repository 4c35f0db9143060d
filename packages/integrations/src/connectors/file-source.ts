import { ErrorCode, FileForgeError, type ForgeFiles } from '@fileforge/core';
import type { FileSource } from './types.js';

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
