import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FileRecord, ProcessorContext, ProcessorFile } from '@fileforge/core';

/**
 * A {@link ProcessorFile} over in-memory bytes, for running one processor without a forge
 * (e.g. on content that ingest would classify differently).
 */
export function processorFile(bytes: Uint8Array, record: Partial<FileRecord> = {}): ProcessorFile {
  const at = new Date(0).toISOString();
  return {
    record: {
      id: 'file_test',
      tenant: 'default',
      name: 'test.txt',
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      mime: 'text/plain',
      ext: 'txt',
      declaredMime: null,
      typeMismatch: false,
      status: 'processing',
      ownerId: null,
      apiKeyId: null,
      blobKey: 'default/file_test',
      duplicateOf: null,
      error: null,
      metadata: {},
      path: null,
      category: null,
      classification: null,
      createdAt: at,
      updatedAt: at,
      ...record,
    },
    open: async () => Readable.from([bytes]),
    path: undefined,
  };
}

/** A context whose signal never fires and which refuses derivatives. */
export function processorContext(signal: AbortSignal = new AbortController().signal): ProcessorContext {
  return {
    signal,
    addDerivative: async () => {
      throw new Error('processorContext(): derivatives are not supported here');
    },
  };
}
