/**
 * The restore area of an S3 blob store: where a restore stages an archive's blobs in the
 * bucket until the whole archive is verified, and how it then puts them in place.
 *
 * How this works: the staging area is the live store's location with its prefix moved under
 * the store's reserved prefix (`<prefix>.fileforge/restore/`), which the live store never
 * lists as blobs, so staged objects are never served and never taken for orphans. A staged
 * blob is written through the same store (and encryption) as a live one. Once verified,
 * {@link S3RestoreArea.promote} copies it over the live key server side (CopyObject replaces an
 * object atomically; an encrypted blob's bytes do not depend on its key, so the copy is valid
 * there) — past `maxCopyBytes` (S3 copies at most 5 GiB at once) it streams through this
 * process as a multipart upload instead — then deletes the staged object. Blob keys are
 * generated and their content never changes, so a live blob of the same key holds the same
 * bytes (or damaged ones, which the copy repairs); nothing live is touched before the archive
 * is verified. {@link S3RestoreArea.clear} removes what a refused or interrupted restore left.
 *
 * @module
 */

import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { S3Location } from './open.js';
import { buildClient, objectSize, s3Failure } from './s3-client.js';
import { RESERVED_PREFIX } from './s3-uploads.js';
import { resolveKey } from './safe-key.js';

/** Options for {@link createS3RestoreArea}. */
export interface S3RestoreAreaOptions {
  /** Largest object copied server side; bigger ones stream through this process. @default 5 GiB (S3's limit) */
  maxCopyBytes?: number;
  /** Use this client instead of building one. */
  client?: S3Client;
}

/** A bucket's restore area (see the module notes). */
export interface S3RestoreArea {
  /** Where staged blobs go: the live location with its prefix under the reserved prefix. */
  readonly staging: S3Location;
  /** Copies the staged blob `key` over the live one, then removes the staged copy. */
  promote(key: string): Promise<void>;
  /** Removes everything staged; returns how many objects. */
  clear(): Promise<number>;
  /** Releases the client (when this area built it). */
  close(): void;
}

/** S3's limit for one CopyObject. */
const MAX_SINGLE_COPY = 5 * 1024 ** 3;

/**
 * Opens the restore area of the store at `location`.
 *
 * @example
 * ```ts
 * const area = createS3RestoreArea({ bucket: 'fileforge', endpoint: 'http://127.0.0.1:9000' });
 * const staged = createS3BlobStore({ ...area.staging, tempDir }); // write the archive's blobs here
 * for (const key of verified) await area.promote(key);
 * ```
 */
export function createS3RestoreArea(location: S3Location, options: S3RestoreAreaOptions = {}): S3RestoreArea {
  if (!location?.bucket)
    throw new FileForgeError(ErrorCode.INVALID_CONFIG, '[fileforge:s3] Missing required option "bucket"');
  const { bucket } = location;
  const livePrefix = location.prefix ?? '';
  const stagingPrefix = `${livePrefix}${RESERVED_PREFIX}restore/`;
  const client = options.client ?? buildClient({ ...location, tempDir: '' });
  const maxCopyBytes = options.maxCopyBytes ?? MAX_SINGLE_COPY;

  async function stream(source: string, target: string): Promise<void> {
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: source }));
    const body = got.Body as Readable;
    body.on('error', () => {}); // reported by the upload, which reads it
    const upload = new Upload({ client, params: { Bucket: bucket, Key: target, Body: body } });
    try {
      await upload.done();
    } catch (error) {
      body.destroy();
      throw error;
    }
  }

  return {
    staging: { ...location, prefix: stagingPrefix },

    async promote(key) {
      resolveKey('/', key); // only generated keys
      const source = `${stagingPrefix}${key}`;
      const target = `${livePrefix}${key}`;
      try {
        const size = await objectSize(client, bucket, source);
        if (size === null)
          throw new FileForgeError(ErrorCode.NOT_FOUND, `[fileforge:s3] Blob ${key} is not staged`);
        if (size <= maxCopyBytes) {
          await client.send(
            new CopyObjectCommand({
              Bucket: bucket,
              Key: target,
              CopySource: `${bucket}/${source.split('/').map(encodeURIComponent).join('/')}`,
            }),
          );
        } else {
          await stream(source, target);
        }
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: source }));
      } catch (error) {
        throw s3Failure(error, `Restore of blob ${key}`);
      }
    },

    async clear() {
      let removed = 0;
      let token: string | undefined;
      try {
        do {
          const page: ListObjectsV2CommandOutput = await client.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: stagingPrefix, ContinuationToken: token }),
          );
          for (const object of page.Contents ?? []) {
            if (!object.Key) continue;
            await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }));
            removed++;
          }
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
      } catch (error) {
        throw s3Failure(error, 'Clearing the restore area');
      }
      return removed;
    },

    close() {
      if (!options.client) client.destroy();
    },
  };
}
