/**
 * An AWS SDK client of a test's S3 emulator, for looking at the bucket from outside FileForge.
 *
 * @module
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { S3Emulator } from '@fileforge/test-fixtures/s3';

/** A client of `s3` (path-style, its credentials); `destroy()` it when done. */
export function emulatorClient(s3: S3Emulator): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: { ...s3.credentials },
    forcePathStyle: true,
  });
}
