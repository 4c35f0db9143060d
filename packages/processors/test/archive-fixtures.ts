import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ProcessorFile } from '@fileforge/core';
import { processorFile } from './processor-file.js';

/**
 * A {@link ProcessorFile} over in-memory bytes that honours byte ranges and has no local
 * path, like a remote blob store: the zip guard then reads through ranged `open()` calls.
 */
export function rangedFile(bytes: Uint8Array, mime = 'application/zip'): ProcessorFile {
  const base = processorFile(bytes, { mime, ext: 'zip', name: 'test.zip' });
  return {
    ...base,
    open: async (range) => {
      const start = range?.start ?? 0;
      const end = range?.end === undefined ? bytes.length : range.end + 1;
      return Readable.from([Buffer.from(bytes.subarray(start, end))]);
    },
  };
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export * from '@fileforge/test-fixtures/archives';
