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
 * encryption at rest) rewrites the object as a new version of itself.
 *
 * @module
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { addAbortSignal, pipeline, Readable, Transform } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ErrorCode, FileForgeError, toFileForgeError } from '../errors/index.js';
import { ByteMeter } from '../stream/meter.js';
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
import { RESERVED_PREFIX, sweepUploads, trackUpload } from './s3-uploads.js';
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
  /** Use this client instead of building one (its settings win over the options above). */
  client?: S3Client;
  /** Clock for the sweep. @default Date.now */
  now?: () => number;
}

/** One hour: the default grace of {@link S3BlobStoreOptions.sweepGraceMs}. */
export const DEFAULT_S3_SWEEP_GRACE_MS = 3_600_000;
const MIN_PART_SIZE = 5 * 1024 * 1024;
const CHECK_TIMEOUT_MS = 5000;
const SILENCE_NODE_WARNING = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

const statusOf = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
const nameOf = (error: unknown) => (error as { name?: string } | undefined)?.name ?? '';

/** An S3 failure as FileForge reports it: aborts stay aborts, the rest is the storage being unavailable. */
function s3Failure(error: unknown, what: string): FileForgeError {
  if (FileForgeError.is(error) || nameOf(error) === 'AbortError') return toFileForgeError(error);
  return new FileForgeError(
    ErrorCode.STORAGE_UNAVAILABLE,
    `[fileforge:s3] ${what} failed: ${nameOf(error) || 'Error'}: ${(error as Error)?.message ?? String(error)}`,
    { cause: error },
  );
}

/**
 * Builds the SDK client. The SDK warns on Node 20 that its releases after January 2027 need
 * Node 22: noise for a FileForge user (this SDK release supports Node 20), silenced for this
 * client unless the variable is set explicitly.
 */
function buildClient(options: S3BlobStoreOptions): S3Client {
  const previous = process.env[SILENCE_NODE_WARNING];
  const silence = !previous; // unset or empty: the user did not choose
  if (silence) process.env[SILENCE_NODE_WARNING] = 'true';
  try {
    return new S3Client({
      region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
      // A service that does not accept connections fails fast; transfers themselves are not timed.
      requestHandler: { connectionTimeout: 5000 },
      // A copy: the SDK annotates the object it is given.
      ...(options.credentials ? { credentials: { ...options.credentials } } : {}),
      // Self-hosted S3-compatible services often reject the SDK's default CRC32 trailers;
      // FileForge hashes content itself (SHA-256), so checksums are sent only where required.
      ...(options.endpoint
        ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
        : {}),
    });
  } finally {
    if (silence && previous === undefined) delete process.env[SILENCE_NODE_WARNING];
    else if (silence) process.env[SILENCE_NODE_WARNING] = previous;
  }
}

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
  const uploads = { client, bucket, prefix };
  const objectKey = (key: string) => {
    resolveKey('/', key); // NOT_FOUND for anything that is not a generated key
    return `${prefix}${key}`;
  };
  const signalOf = (signal?: AbortSignal) => (signal ? { abortSignal: signal } : {});

  async function exists(key: string, signal?: AbortSignal): Promise<number | null> {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), signalOf(signal));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (statusOf(error) === 404 || nameOf(error) === 'NotFound') return null;
      throw s3Failure(error, 'HeadObject');
    }
  }

  const conflict = (key: string, cause?: unknown) =>
    new FileForgeError(ErrorCode.CONFLICT, `[fileforge:storage] Blob ${key} already exists`, {
      ...(cause ? { cause } : {}),
    });

  async function put(
    key: string,
    source: Readable | AsyncIterable<Uint8Array>,
    opts: BlobPutOptions = {},
  ): Promise<BlobPutResult> {
    const target = objectKey(key);
    try {
      opts.signal?.throwIfAborted();
      if ((await exists(target, opts.signal)) !== null) throw conflict(key);
    } catch (error) {
      // Refused before reading: the source is released as a failed pipeline would release it.
      if (source instanceof Readable) source.destroy();
      throw toFileForgeError(error);
    }
    const meter = new ByteMeter({
      ...(opts.maxBytes === undefined ? {} : { maxBytes: opts.maxBytes }),
      ...(opts.head ? { head: opts.head } : {}),
    });
    // The source's and the meter's errors (FILE_TOO_LARGE, a refused head, an abort) end the
    // body lib-storage reads, which fails the upload; they are what the caller sees.
    let bodyError: unknown;
    const body = pipeline(source, meter, (error) => {
      if (error) bodyError ??= error;
    });
    if (opts.signal) addAbortSignal(opts.signal, body);
    const tracker = trackUpload(uploads, target);
    const upload = new Upload({
      client: tracker.client,
      params: { Bucket: bucket, Key: target, Body: body, ...(conditional ? { IfNoneMatch: '*' } : {}) },
      partSize,
      queueSize,
      // FileForge aborts the upload itself, keeping the error that caused it.
      leavePartsOnError: true,
    });
    try {
      await upload.done();
    } catch (error) {
      body.destroy();
      await tracker.abandon();
      if (bodyError) throw toFileForgeError(bodyError);
      if (statusOf(error) === 412 || nameOf(error) === 'ConditionalRequestConflict')
        throw conflict(key, error);
      throw s3Failure(error, 'Upload');
    }
    await tracker.finish();
    if (opts.signal?.aborted) {
      // Aborted while the last request completed: the caller was told "cancelled", so nothing stays.
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: target })).catch(() => {});
      throw toFileForgeError(
        opts.signal.reason ?? Object.assign(new Error('aborted'), { name: 'AbortError' }),
      );
    }
    return { key, size: meter.bytes, sha256: meter.sha256 };
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
        (await sweepUploads(uploads, { graceMs: grace, now, isBlobKey: isKey })) + (await sweepTemp(grace))
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

  // S3 objects are immutable: a patch streams the object into a new version of itself with the
  // bytes replaced. The overwrite is atomic (readers see the old or the new version, and the
  // encrypted store's two-slot protocol keeps both readable), and `If-Match` makes it refuse an
  // object that changed meanwhile.
  async function patch(key: string, offset: number, bytes: Uint8Array): Promise<void> {
    const target = objectKey(key);
    let head: { ContentLength?: number; ETag?: string };
    try {
      head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: target }));
    } catch (error) {
      if (statusOf(error) === 404 || nameOf(error) === 'NotFound')
        throw new FileForgeError(ErrorCode.NOT_FOUND, `[fileforge:storage] Blob ${key} not found`);
      throw s3Failure(error, 'HeadObject');
    }
    const size = head.ContentLength ?? 0;
    if (offset < 0 || offset + bytes.length > size) {
      throw new FileForgeError(ErrorCode.INTERNAL, `[fileforge:storage] Patch outside blob ${key}`);
    }
    const patchBytes = Buffer.from(bytes);
    let position = 0;
    const splice = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        const start = position;
        position += chunk.length;
        const from = Math.max(offset, start);
        const to = Math.min(offset + patchBytes.length, position);
        if (from >= to) return callback(null, chunk);
        const copy = Buffer.from(chunk);
        patchBytes.copy(copy, from - start, from - offset, to - offset);
        callback(null, copy);
      },
    });
    let bodyError: unknown;
    const body = pipeline(await get(key), splice, (error) => {
      if (error) bodyError ??= error;
    });
    const tracker = trackUpload(uploads, target);
    const upload = new Upload({
      client: tracker.client,
      params: {
        Bucket: bucket,
        Key: target,
        Body: body,
        ...(conditional && head.ETag ? { IfMatch: head.ETag } : {}),
      },
      partSize,
      queueSize,
      leavePartsOnError: true,
    });
    try {
      await upload.done();
    } catch (error) {
      body.destroy();
      await tracker.abandon();
      throw bodyError ? toFileForgeError(bodyError) : s3Failure(error, 'Patch');
    }
    await tracker.finish();
    if (position !== size) {
      throw new FileForgeError(
        ErrorCode.BLOB_INTEGRITY_FAILED,
        `[fileforge:s3] Blob ${key} changed size while patched`,
      );
    }
  }

  return { put, get, stat: statBlob, delete: remove, check, sweep, list, withLocalFile, patch };
}
