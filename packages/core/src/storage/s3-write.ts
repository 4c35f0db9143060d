/**
 * The S3 store's writes, both through lib-storage's `Upload` (one PutObject for a body smaller
 * than a part, else a multipart upload recorded by `s3-uploads.ts` while it is open): a put of
 * a new blob, and a patch that rewrites an existing one as a new version of itself. Internal to
 * `s3.ts`.
 *
 * @module
 */
import { addAbortSignal, pipeline, type Readable, Transform } from 'node:stream';
import { DeleteObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ErrorCode, FileForgeError, toFileForgeError } from '../errors/index.js';
import { ByteMeter } from '../stream/meter.js';
import type { BlobPutOptions, BlobPutResult } from './blob-store.js';
import { holdSource } from './put-source.js';
import { nameOf, objectSize, s3Failure, statusOf } from './s3-client.js';
import { trackUpload, type UploadsContext } from './s3-uploads.js';

/** What a write needs of the store: its bucket and client, and its upload settings. */
export interface S3WriteContext extends UploadsContext {
  /** Bytes per multipart part. */
  partSize: number;
  /** Parts uploaded at once. */
  queueSize: number;
  /** Send `If-None-Match` / `If-Match` (the store's `conditionalWrites` option). */
  conditional: boolean;
  /** The object key of a blob key; NOT_FOUND for anything that is not a generated key. */
  objectKey(key: string): string;
}

const conflict = (key: string, cause?: unknown) =>
  new FileForgeError(ErrorCode.CONFLICT, `[fileforge:storage] Blob ${key} already exists`, {
    ...(cause ? { cause } : {}),
  });

/**
 * Uploads `body` to `target` through lib-storage with the store's part settings, tracked while
 * open (see `s3-uploads.ts`). On failure the body is destroyed and the upload abandoned (its
 * parts aborted by FileForge, not left to lib-storage, so the error that caused it is kept);
 * `fail` throws what the caller sees.
 */
async function uploadTracked(
  ctx: S3WriteContext,
  target: string,
  body: Readable,
  condition: { IfNoneMatch?: string; IfMatch?: string },
  fail: (error: unknown) => never,
): Promise<void> {
  const tracker = trackUpload(ctx, target);
  const upload = new Upload({
    client: tracker.client,
    params: { Bucket: ctx.bucket, Key: target, Body: body, ...condition },
    partSize: ctx.partSize,
    queueSize: ctx.queueSize,
    leavePartsOnError: true,
  });
  try {
    await upload.done();
  } catch (error) {
    body.destroy();
    await tracker.abandon();
    fail(error);
  }
  await tracker.finish();
}

/** Stores a new blob under `key`: CONFLICT if it exists, nothing left behind if it fails. */
export async function putBlob(
  ctx: S3WriteContext,
  key: string,
  source: Readable | AsyncIterable<Uint8Array>,
  opts: BlobPutOptions = {},
): Promise<BlobPutResult> {
  const { client, bucket } = ctx;
  const held = holdSource(source);
  let target: string;
  try {
    target = ctx.objectKey(key);
    opts.signal?.throwIfAborted();
    if ((await objectSize(client, bucket, target, opts.signal)) !== null) throw conflict(key);
  } catch (error) {
    // Refused before reading: the source is released as a failed pipeline would release it.
    held.release();
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
  await uploadTracked(ctx, target, body, ctx.conditional ? { IfNoneMatch: '*' } : {}, (error) => {
    if (bodyError) throw toFileForgeError(bodyError);
    if (statusOf(error) === 412 || nameOf(error) === 'ConditionalRequestConflict') throw conflict(key, error);
    throw s3Failure(error, 'Upload');
  });
  if (opts.signal?.aborted) {
    // Aborted while the last request completed: the caller was told "cancelled", so nothing stays.
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: target })).catch(() => {});
    throw toFileForgeError(opts.signal.reason ?? Object.assign(new Error('aborted'), { name: 'AbortError' }));
  }
  return { key, size: meter.bytes, sha256: meter.sha256 };
}

/**
 * Replaces `bytes.length` bytes of blob `key` at `offset`, reading it through `read`.
 *
 * S3 objects are immutable: a patch streams the object into a new version of itself with the
 * bytes replaced. The overwrite is atomic (readers see the old or the new version, and the
 * encrypted store's two-slot protocol keeps both readable), and `If-Match` makes it refuse an
 * object that changed meanwhile.
 */
export async function patchBlob(
  ctx: S3WriteContext,
  key: string,
  offset: number,
  bytes: Uint8Array,
  read: (key: string) => Promise<Readable>,
): Promise<void> {
  const { client, bucket } = ctx;
  const target = ctx.objectKey(key);
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
  const body = pipeline(await read(key), splice, (error) => {
    if (error) bodyError ??= error;
  });
  await uploadTracked(
    ctx,
    target,
    body,
    ctx.conditional && head.ETag ? { IfMatch: head.ETag } : {},
    (error) => {
      throw bodyError ? toFileForgeError(bodyError) : s3Failure(error, 'Patch');
    },
  );
  if (position !== size) {
    throw new FileForgeError(
      ErrorCode.BLOB_INTEGRITY_FAILED,
      `[fileforge:s3] Blob ${key} changed size while patched`,
    );
  }
}
