/**
 * The S3 store's side of the SDK: building the client, and reading what a failed request
 * means (an HTTP status, an error name, FileForge's `STORAGE_UNAVAILABLE`). Internal to
 * `s3.ts`, so it loads with the AWS SDK only.
 *
 * @module
 */
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ErrorCode, FileForgeError, toFileForgeError } from '../errors/index.js';
import type { S3BlobStoreOptions } from './s3.js';

const SILENCE_NODE_WARNING = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/** The HTTP status of a failed SDK request, when it got that far. */
export const statusOf = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
/** The SDK error's name (`NoSuchKey`, `NotFound`, `AbortError`, …), or ''. */
export const nameOf = (error: unknown) => (error as { name?: string } | undefined)?.name ?? '';

/** An S3 failure as FileForge reports it: aborts stay aborts, the rest is the storage being unavailable. */
export function s3Failure(error: unknown, what: string): FileForgeError {
  if (FileForgeError.is(error) || nameOf(error) === 'AbortError') return toFileForgeError(error);
  return new FileForgeError(
    ErrorCode.STORAGE_UNAVAILABLE,
    `[fileforge:s3] ${what} failed: ${nameOf(error) || 'Error'}: ${(error as Error)?.message ?? String(error)}`,
    { cause: error },
  );
}

/** The size of object `key` (the full object key, prefix included), or null when there is none. */
export async function objectSize(
  client: S3Client,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<number | null> {
  try {
    const head = await client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: key }),
      signal ? { abortSignal: signal } : {},
    );
    return head.ContentLength ?? 0;
  } catch (error) {
    if (statusOf(error) === 404 || nameOf(error) === 'NotFound') return null;
    throw s3Failure(error, 'HeadObject');
  }
}

/**
 * Builds the SDK client. The SDK warns on Node 20 that its releases after January 2027 need
 * Node 22: noise for a FileForge user (this SDK release supports Node 20), silenced for this
 * client unless the variable is set explicitly.
 */
export function buildClient(options: S3BlobStoreOptions): S3Client {
  const previous = process.env[SILENCE_NODE_WARNING];
  const silence = !previous; // unset or empty: the user did not choose
  if (silence) process.env[SILENCE_NODE_WARNING] = 'true';
  try {
    return new S3Client({
      region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
      // A service that does not accept connections fails fast, one that goes silent once the
      // idle limit passed; transfers themselves are not timed.
      requestHandler: { connectionTimeout: 5000, socketTimeout: options.socketTimeoutMs ?? 60_000 },
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
