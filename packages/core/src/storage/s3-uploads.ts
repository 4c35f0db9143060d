/**
 * The S3 store's record of its open multipart uploads, so abandoned ones can be aborted.
 *
 * How this works: the moment CreateMultipartUpload answers (before any part is sent), a small
 * marker object `<prefix>.fileforge/uploads/<uuid>.json` records the upload's key and id; it
 * is removed once the upload is completed or aborted. A process killed mid-upload leaves its
 * marker, and {@link sweepUploads} aborts the upload of every marker older than the grace
 * period. Where the service implements ListMultipartUploads, open uploads of FileForge keys
 * older than the grace are aborted too (that also finds an upload whose process died between
 * CreateMultipartUpload and its marker write; such an upload holds no parts). Markers live
 * under a prefix no blob key can have (keys start with `[a-z0-9]`). Internal.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type CreateMultipartUploadCommandOutput,
  DeleteObjectCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  type ListMultipartUploadsCommandOutput,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/** Where the store keeps what is not a blob. */
export const RESERVED_PREFIX = '.fileforge/';
const UPLOADS = `${RESERVED_PREFIX}uploads/`;

/** The bucket, the store's key prefix and the client, as the store knows them. */
export interface UploadsContext {
  client: S3Client;
  bucket: string;
  prefix: string;
}

/** One put's multipart bookkeeping. */
export interface UploadTracker {
  /** The client to give lib-storage's `Upload`: records the upload as soon as it is created. */
  client: S3Client;
  /** After a completed put: forgets the upload (a failure leaves the marker to the sweeper). */
  finish(): Promise<void>;
  /** After a failed put: aborts the upload, and forgets it once the abort has worked. */
  abandon(): Promise<void>;
}

const errorName = (error: unknown) => (error as { name?: string } | undefined)?.name;
const isNoSuchUpload = (error: unknown) =>
  errorName(error) === 'NoSuchUpload' ||
  (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 404;

/** Tracks the multipart upload (if any) of one put into `objectKey`. */
export function trackUpload(ctx: UploadsContext, objectKey: string): UploadTracker {
  const { client, bucket } = ctx;
  const markerKey = `${ctx.prefix}${UPLOADS}${randomUUID()}.json`;
  let uploadId: string | undefined;
  let marked = false;

  const abort = async () => {
    if (!uploadId) return;
    try {
      await client.send(
        new AbortMultipartUploadCommand({ Bucket: bucket, Key: objectKey, UploadId: uploadId }),
      );
    } catch (error) {
      if (!isNoSuchUpload(error)) throw error;
    }
  };
  const unmark = async () => {
    if (marked) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: markerKey }));
    marked = false;
  };

  // lib-storage reads `config` and calls `send`; only CreateMultipartUpload needs more.
  const tracking = Object.create(client) as S3Client;
  tracking.send = (async (command: Parameters<S3Client['send']>[0], options?: unknown) => {
    const output = await client.send(command as never, options as never);
    if (command instanceof CreateMultipartUploadCommand) {
      uploadId = (output as CreateMultipartUploadCommandOutput).UploadId;
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: markerKey,
            Body: JSON.stringify({ key: objectKey, uploadId }),
            ContentType: 'application/json',
          }),
        );
        marked = true;
      } catch (error) {
        // Unrecorded, the upload could be left behind for good: give it up now.
        await abort().catch(() => {});
        throw error;
      }
    }
    return output;
  }) as S3Client['send'];

  return {
    client: tracking,
    finish: () => unmark().catch(() => {}),
    async abandon() {
      try {
        await abort();
        await unmark();
      } catch {
        // The service could not abort it now: the marker stays for the sweeper.
      }
    },
  };
}

/** Options for {@link sweepUploads}. */
export interface SweepUploadsOptions {
  /** Uploads started less than this long ago are left alone (another process may own them). */
  graceMs: number;
  now: () => number;
  /** Whether an object key (without the store's prefix) is one the store could have made. */
  isBlobKey(key: string): boolean;
}

/** Aborts abandoned multipart uploads; returns how many uploads or markers were removed. */
export async function sweepUploads(ctx: UploadsContext, options: SweepUploadsOptions): Promise<number> {
  const { client, bucket, prefix } = ctx;
  const cutoff = options.now() - options.graceMs;
  const aborted = new Set<string>();
  let removed = 0;

  let token: string | undefined;
  do {
    const page: ListObjectsV2CommandOutput = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}${UPLOADS}`, ContinuationToken: token }),
    );
    for (const marker of page.Contents ?? []) {
      if (!marker.Key || (marker.LastModified?.getTime() ?? 0) > cutoff) continue;
      try {
        const body = await client.send(new GetObjectCommand({ Bucket: bucket, Key: marker.Key }));
        const { key, uploadId } = JSON.parse((await body.Body?.transformToString()) ?? '{}') as {
          key?: string;
          uploadId?: string;
        };
        if (key && uploadId) {
          await client
            .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
            .catch((error: unknown) => {
              if (!isNoSuchUpload(error)) throw error;
            });
          aborted.add(uploadId);
        }
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: marker.Key }));
        removed++;
      } catch {
        // Left for the next sweep (the service refused or failed the abort).
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);

  let keyMarker: string | undefined;
  let idMarker: string | undefined;
  do {
    let page: ListMultipartUploadsCommandOutput;
    try {
      page = await client.send(
        new ListMultipartUploadsCommand({
          Bucket: bucket,
          Prefix: prefix || undefined,
          KeyMarker: keyMarker,
          UploadIdMarker: idMarker,
        }),
      );
    } catch (error) {
      // Not every S3-compatible service lists uploads (s3rver does not): markers cover those.
      if (['NotImplemented', 'MethodNotAllowed', 'AccessDenied'].includes(errorName(error) ?? '')) break;
      throw error;
    }
    for (const upload of page.Uploads ?? []) {
      const { Key: key, UploadId: id, Initiated: initiated } = upload;
      if (!key || !id || aborted.has(id) || (initiated?.getTime() ?? Number.POSITIVE_INFINITY) > cutoff)
        continue;
      if (!key.startsWith(prefix) || !options.isBlobKey(key.slice(prefix.length))) continue;
      try {
        await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: id }));
        removed++;
      } catch {
        // Left for the next sweep.
      }
    }
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    idMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
  } while (keyMarker);

  return removed;
}
