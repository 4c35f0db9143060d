/**
 * S3-compatible blob store (AWS S3, MinIO, Ceph, R2, …) on `@aws-sdk/client-s3` and
 * `@aws-sdk/lib-storage`. Import it from `@fileforge/core/storage/s3`, or let
 * `openBlobStore({ s3 })` load it: importing `@fileforge/core` never loads the AWS SDK.
 *
 * How this works: a put streams the body through a {@link ByteMeter} (SHA-256, size, cap, head
 * inspection) into lib-storage's `Upload`, which holds at most `partSize × queueSize` bytes:
 * a body smaller than one part goes up as one PutObject, a larger one as a multipart upload.
 * Either way S3 shows the object only once it is complete, so readers see a whole blob or
 * none. A put that fails or is aborted aborts its multipart upload; each multipart upload is
 * recorded by a marker object while it is open, so one a killed process left behind is
 * aborted by {@link BlobStore.sweep} (see `s3-uploads.ts`). A put never overwrites: it checks
 * first, and sends `If-None-Match: *` so S3 refuses a racing second writer too. Gets are
 * streamed GetObject responses, with `Range` for partial reads. Tools that must seek get a
 * private temp copy ({@link BlobStore.withLocalFile}, 0600 in a 0700 directory, removed
 * afterwards). S3 objects cannot be changed in place: {@link BlobStore.patch} (key rotation of
 * encryption at rest) rewrites the object as a new version of itself. Puts and patches are in
 * `s3-write.ts`; building the SDK client and reading its errors in `s3-client.ts`.
 *
 * @module
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type {
  BlobGetOptions,
  BlobListEntry,
  BlobPutOptions,
  BlobPutResult,
  BlobStore,
  BlobStoreHealth,
  BlobSweepOptions,
  WithLocalFileOptions,
} from './blob-store.js';
import { buildClient, nameOf, objectSize, s3Failure, statusOf } from './s3-client.js';
import { RESERVED_PREFIX, sweepUploads } from './s3-uploads.js';
import { patchBlob, putBlob, type S3WriteContext } from './s3-write.js';
import { isKey, resolveKey } from './safe-key.js';
import { withTempCopy } from './temp-copy.js';

/** Options for {@link createS3BlobStore}. */
export interface S3BlobStoreOptions {
  /** The bucket (AWS_BUCKET_NAME). It must exist; FileForge never creates buckets. */
  bucket: string;
  /** The bucket's region (AWS_REGION). @default `AWS_REGION` from the environment, else `us-east-1` */
  region?: string;
  /** A non-AWS endpoint (S3_ENDPOINT), e.g. `http://minio:9000`. @default AWS */
  endpoint?: string;
  /**
   * Path-style addressing (`<endpoint>/<bucket>/<key>`) instead of virtual-hosted buckets
   * (S3_FORCE_PATH_STYLE); most self-hosted services need it.
   * @default true when `endpoint` is set, else false
   */
  forcePathStyle?: boolean;
  /** Static credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY). @default the SDK's chain (env, profile, instance role) */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Prefix of every object FileForge writes, e.g. `fileforge/`, to share a bucket. @default '' */
  prefix?: string;
  /**
   * Private local directory for the temp copies of {@link BlobStore.withLocalFile} (created
   * 0700). `openBlobStore` uses `<UPLOAD_FOLDER>/.tmp`.
   */
  tempDir: string;
  /** Bytes per multipart part (5 MiB-5 GiB); a smaller body is one PutObject. @default 8 MiB */
  partSize?: number;
  /** Parts uploaded at once; memory per put is at most `partSize × queueSize`. @default 2 */
  queueSize?: number;
  /**
   * Multipart uploads and temp copies younger than this survive {@link BlobStore.sweep}: every
   * process sharing the bucket sweeps at start-up, and must not abort another's live upload.
   * @default 3600000 (one hour)
   */
  sweepGraceMs?: number;
  /**
   * Send `If-None-Match: *` so S3 refuses to overwrite an existing object even under a race.
   * Turn it off for a service that rejects the header. @default true
   */
  conditionalWrites?: boolean;
  /**
   * How long a request's connection may stay silent (nothing sent, nothing received) before the
   * request fails with `STORAGE_UNAVAILABLE`: an endpoint that accepts connections and stops
   * answering fails uploads and downloads instead of holding them forever. An idle limit, not a
   * total one: long transfers are not cut while bytes flow (a download whose reader pauses
   * longer than this is). @default 60000
   */
  socketTimeoutMs?: number;
  /** Use this client instead of building one (its settings win over the options above). */
  client?: S3Client;
  /** Clock for the sweep. @default Date.now */
  now?: () => number;
}

/** One hour: the default grace of {@link S3BlobStoreOptions.sweepGraceMs}. */
export const DEFAULT_S3_SWEEP_GRACE_MS = 3_600_000;
const MIN_PART_SIZE = 5 * 1024 * 1024;
const CHECK_TIMEOUT_MS = 5000;

/**
 * Creates a {@link BlobStore} in an S3-compatible bucket.
 *
 * @example
 * ```ts
 * import { createS3BlobStore } from '@fileforge/core/storage/s3';
 *
 * const blobs = createS3BlobStore({
 *   bucket: 'fileforge', endpoint: 'http://127.0.0.1:9000', tempDir: './data/uploads/.tmp',
 *   credentials: { accessKeyId: 'minio', secretAccessKey: 'minio-secret' },
 * });
 * ```
 */
export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  if (!options?.bucket)
    throw new FileForgeError(ErrorCode.INVALID_CONFIG, '[fileforge:s3] Missing required option "bucket"');
  if (!options.tempDir)
    throw new FileForgeError(ErrorCode.INVALID_CONFIG, '[fileforge:s3] Missing required option "tempDir"');
  const partSize = options.partSize ?? 8 * 1024 * 1024;
  if (!Number.isInteger(partSize) || partSize < MIN_PART_SIZE)
    throw new FileForgeError(ErrorCode.INVALID_CONFIG, '[fileforge:s3] "partSize" must be at least 5 MiB');
  const prefix = options.prefix ?? '';
  if (prefix && !/^[A-Za-z0-9!_.*'()/-]*\/$/.test(prefix))
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:s3] "prefix" must end with "/" and use only S3-safe characters',
    );
  const { bucket, tempDir } = options;
  const queueSize = options.queueSize ?? 2;
  const graceMs = options.sweepGraceMs ?? DEFAULT_S3_SWEEP_GRACE_MS;
  const conditional = options.conditionalWrites ?? true;
  const now = options.now ?? Date.now;
  const client = options.client ?? buildClient(options);
  const objectKey = (key: string) => {
    resolveKey('/', key); // NOT_FOUND for anything that is not a generated key
    return `${prefix}${key}`;
  };
  const signalOf = (signal?: AbortSignal) => (signal ? { abortSignal: signal } : {});
  const writes: S3WriteContext = { client, bucket, prefix, partSize, queueSize, conditional, objectKey };
  const exists = (key: string, signal?: AbortSignal) => objectSize(client, bucket, key, signal);

  function put(
    key: string,
    source: Readable | AsyncIterable<Uint8Array>,
    opts: BlobPutOptions = {},
  ): Promise<BlobPutResult> {
    return putBlob(writes, key, source, opts);
  }

  async function get(key: string, opts: BlobGetOptions = {}): Promise<Readable> {
    const target = objectKey(key);
    const { start, end } = opts;
    const range =
      start === undefined && end === undefined
        ? undefined
        : `bytes=${start ?? 0}-${end === undefined ? '' : end}`;
    try {
      const out = await client.send(
        new GetObjectCommand({ Bucket: bucket, Key: target, ...(range ? { Range: range } : {}) }),
        signalOf(opts.signal),
      );
      return (out.Body as Readable | undefined) ?? Readable.from([]);
    } catch (error) {
      if (nameOf(error) === 'NoSuchKey' || statusOf(error) === 404)
        throw new FileForgeError(ErrorCode.NOT_FOUND, `[fileforge:storage] Blob ${key} not found`);
      // A range that starts at or past the end reads nothing, as from a local file.
      if (nameOf(error) === 'InvalidRange' || statusOf(error) === 416) {
        if ((await exists(target, opts.signal)) === null)
          throw new FileForgeError(ErrorCode.NOT_FOUND, `[fileforge:storage] Blob ${key} not found`);
        return Readable.from([]);
      }
      throw s3Failure(error, 'GetObject');
    }
  }

  async function statBlob(key: string) {
    const size = await exists(objectKey(key));
    return size === null ? null : { size };
  }

  async function remove(key: string): Promise<void> {
    try {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
    } catch (error) {
      throw s3Failure(error, 'DeleteObject');
    }
  }

  async function check(): Promise<BlobStoreHealth> {
    try {
      // Bounded: a health probe must answer even when the service hangs.
      await client.send(new HeadBucketCommand({ Bucket: bucket }), {
        abortSignal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
      });
      return { engine: 's3' };
    } catch (error) {
      throw new FileForgeError(
        ErrorCode.STORAGE_UNAVAILABLE,
        `[fileforge:s3] Bucket ${bucket} is not reachable (${nameOf(error) || statusOf(error) || 'error'})`,
        { cause: error },
      );
    }
  }

  async function sweepTemp(olderThanMs: number): Promise<number> {
    let removed = 0;
    for (const name of await readdir(tempDir).catch(() => [] as string[])) {
      if (!name.startsWith('s3-')) continue;
      const path = join(tempDir, name);
      const s = await stat(path).catch(() => undefined);
      if (!s || now() - s.mtimeMs < olderThanMs) continue;
      await rm(path, { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  async function sweep(opts: BlobSweepOptions = {}): Promise<number> {
    const grace = Math.max(graceMs, opts.olderThanMs ?? 0);
    try {
      return (
        (await sweepUploads(writes, { graceMs: grace, now, isBlobKey: isKey })) + (await sweepTemp(grace))
      );
    } catch (error) {
      throw s3Failure(error, 'Sweep');
    }
  }

  async function* list(): AsyncIterable<BlobListEntry> {
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await client
        .send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }),
        )
        .catch((error: unknown) => {
          throw s3Failure(error, 'ListObjectsV2');
        });
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(prefix.length);
        if (!key || key.startsWith(RESERVED_PREFIX) || !isKey(key)) continue;
        yield { key, size: object.Size ?? 0, modifiedAt: object.LastModified?.getTime() ?? 0 };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  function withLocalFile<T>(
    key: string,
    work: (path: string) => Promise<T>,
    opts: WithLocalFileOptions = {},
  ): Promise<T> {
    return withTempCopy(tempDir, 's3-', get, key, work, opts);
  }

  function patch(key: string, offset: number, bytes: Uint8Array): Promise<void> {
    return patchBlob(writes, key, offset, bytes, get);
  }

  return { put, get, stat: statBlob, delete: remove, check, sweep, list, withLocalFile, patch };
}

export { createS3RestoreArea, type S3RestoreArea, type S3RestoreAreaOptions } from './s3-restore.js';
