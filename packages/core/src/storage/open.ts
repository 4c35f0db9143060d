import { join } from 'node:path';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { BlobStore } from './blob-store.js';

/** Where an S3-compatible bucket is (AWS_BUCKET_NAME, AWS_REGION, S3_ENDPOINT, AWS_* keys). */
export interface S3Location {
  bucket: string;
  region?: string;
  /** A non-AWS endpoint (MinIO, Ceph, R2, an emulator). */
  endpoint?: string;
  /** Path-style addressing (S3_FORCE_PATH_STYLE). @default true when `endpoint` is set */
  forcePathStyle?: boolean;
  /** Static credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY). @default the AWS SDK's chain */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Prefix of every object FileForge writes in the bucket. @default '' */
  prefix?: string;
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
   * @default 0 on local disk (the caller owns the store: every temp file is a leftover); one
   * hour on S3, where every process sharing the bucket sweeps at start-up
   */
  sweepGraceMs?: number;
}

/** The blob store engines FileForge knows. */
export type BlobStoreEngine = 'local' | 's3';

/** Which engine the configuration selects: S3 when a bucket is named, else the local directory. */
export function blobStoreEngine(options: Pick<OpenBlobStoreOptions, 's3'>): BlobStoreEngine {
  if (options.s3 && !options.s3.bucket) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:storage] S3 storage needs a bucket: set AWS_BUCKET_NAME',
      {
        details: { variable: 'AWS_BUCKET_NAME', engine: 's3' },
      },
    );
  }
  return options.s3 ? 's3' : 'local';
}

/**
 * Opens the blob store the configuration names, loading its driver only now (the AWS SDK is
 * loaded only when S3 is selected). On S3, `root` (UPLOAD_FOLDER) holds only the private temp
 * copies that tools which seek read, under `<root>/.tmp`.
 *
 * @example
 * ```ts
 * const blobs = await openBlobStore({ root: './data/uploads' });
 * const inBucket = await openBlobStore({ root: './data/uploads', s3: { bucket: 'fileforge' } });
 * ```
 */
export async function openBlobStore(options: OpenBlobStoreOptions): Promise<BlobStore> {
  const grace = options.sweepGraceMs === undefined ? {} : { sweepGraceMs: options.sweepGraceMs };
  if (blobStoreEngine(options) === 's3') {
    const { createS3BlobStore } = await import('./s3.js');
    return createS3BlobStore({ ...options.s3!, tempDir: join(options.root, '.tmp'), ...grace });
  }
  const { createLocalBlobStore } = await import('./local.js');
  return createLocalBlobStore({ root: options.root, ...grace });
}
