/**
 * Strict reading of the tus request headers, before @tus/server sees the request: anything
 * malformed (garbage, negative, beyond 2^53, duplicated — which arrives joined by `, `) is
 * answered 400 `BAD_REQUEST` naming the header (so is `Upload-Metadata` over 4 KiB), and `Upload-Checksum` (only `sha256`) is
 * decoded for the store.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '@fileforge/core';
import { Metadata } from '@tus/server';

/** The tus protocol version served (the only one). */
export const TUS_VERSION = '1.0.0';

const INTEGER = /^(0|[1-9][0-9]{0,15})$/;
/** `Upload-Metadata` is kept with the upload and sent back on every HEAD: a file name and a type need far less. */
const MAX_METADATA_CHARS = 4096;

const bad = (header: string, why: string) =>
  new FileForgeError(ErrorCode.BAD_REQUEST, `Invalid ${header} header: ${why}`, { details: { header } });

function checkInteger(headers: Headers, name: string): void {
  const value = headers.get(name);
  if (value === null) return;
  if (!INTEGER.test(value) || !Number.isSafeInteger(Number(value)))
    throw bad(name, 'expected one non-negative integer');
}

/** What the request's tus headers say, once checked. */
export interface TusHeaders {
  /** The SHA-256 the request's body must have, from `Upload-Checksum`. */
  checksum?: Buffer;
}

/** Checks the tus headers of a request; throws a 400 (412 for another protocol version). */
export function readTusHeaders(method: string, headers: Headers): TusHeaders {
  if (method === 'OPTIONS') return {};
  const version = headers.get('tus-resumable');
  if (version !== TUS_VERSION) {
    throw new FileForgeError(
      ErrorCode.TUS_VERSION_UNSUPPORTED,
      version === null ? 'Tus-Resumable header required' : 'Only tus 1.0.0 is supported',
      { details: { supported: [TUS_VERSION] } },
    );
  }
  if (method === 'PATCH' && headers.get('content-type') !== 'application/offset+octet-stream') {
    throw new FileForgeError(
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      'A PATCH body must be sent as Content-Type: application/offset+octet-stream',
    );
  }
  checkInteger(headers, 'upload-offset');
  checkInteger(headers, 'upload-length');
  const metadata = headers.get('upload-metadata');
  if (metadata !== null) {
    if (metadata.length > MAX_METADATA_CHARS)
      throw bad('upload-metadata', `longer than ${MAX_METADATA_CHARS} characters`);
    try {
      Metadata.parse(metadata);
    } catch {
      throw bad('upload-metadata', 'expected comma-separated "key base64value" pairs with unique keys');
    }
  }
  const checksum = headers.get('upload-checksum');
  if (checksum === null) return {};
  const match = /^([A-Za-z0-9-]+) ([A-Za-z0-9+/]+={0,2})$/.exec(checksum);
  if (!match) throw bad('upload-checksum', 'expected "<algorithm> <base64 digest>"');
  if (match[1] !== 'sha256') throw bad('upload-checksum', 'only sha256 is supported');
  const digest = Buffer.from(match[2]!, 'base64');
  if (digest.length !== 32) throw bad('upload-checksum', 'a sha256 digest is 32 bytes');
  return { checksum: digest };
}
