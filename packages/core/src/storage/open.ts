import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { BlobStore } from './blob-store.js';

/** Where an S3-compatible bucket is (AWS_BUCKET_NAME, AWS_REGION, S3_ENDPOINT). */
export interface S3Location {
  bucket: string;
  region?: string;
  /** A non-AWS endpoint (MinIO, Ceph, R2); path-style addressing then. */
  endpoint?: string;
}

/** Options for {@link openBlobStore}. */
export interface OpenBlobStoreOptions {
  /** Root directory of the local store (UPLOAD_FOLDER). */
  root: string;
  /** Selects S3-compatible storage instead of the local directory. @default local */
  s3?: S3Location;
  /**
   * Temp files younger than this survive {@link BlobStore.sweep}: set it when another process
   * (a running server) may be writing to the same store, e.g. from `fileforge fsck`.
   * @default 0 (the caller owns the store: every temp file is a leftover)
   */
  sweepGraceMs?: number;
}

/** The blob store engines FileForge knows. */
export type BlobStoreEngine = 'local';

/**
 * Which engine the configuration selects; an engine this version cannot open is refused here,
 * before anything touches the disk, with the same message for every entry point.
 */
export function blobStoreEngine(options: Pick<OpenBlobStoreOptions, 's3'>): BlobStoreEngine {
  if (options.s3) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:storage] AWS_BUCKET_NAME selects S3-compatible storage, which this version of FileForge cannot open yet; unset it to store blobs under UPLOAD_FOLDER',
      { details: { variable: 'AWS_BUCKET_NAME', engine: 's3' } },
    );
  }
  return 'local';
}

/**
 * Opens the blob store the configuration names, loading its driver only now.
 *
 * @example
 * ```ts
 * const blobs = await openBlobStore({ root: './data/uploads' });
 * ```
 */
export async function openBlobStore(options: OpenBlobStoreOptions): Promise<BlobStore> {
  blobStoreEngine(options);
  const { createLocalBlobStore } = await import('./local.js');
  return createLocalBlobStore({
    root: options.root,
    ...(options.sweepGraceMs === undefined ? {} : { sweepGraceMs: options.sweepGraceMs }),
  });
}
