/**
 * Every tus answer that is an error carries FileForge's error shape (`{ error: { code,
 * message, requestId, details } }`) with the status of the server's one code→status table:
 * @tus/server's own refusals (`{ status_code, body }`) are mapped to stable codes here.
 *
 * @module
 */
import { ErrorCode, FileForgeError, toFileForgeError } from '@fileforge/core';
import { ERRORS } from '@tus/server';

type TusError = { status_code: number; body: string };

const isTusError = (value: unknown): value is TusError =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as TusError).status_code === 'number' &&
  typeof (value as TusError).body === 'string';

/** The FileForge error for anything a tus handler threw. */
export function fromTusError(thrown: unknown, maxFileSize: number): FileForgeError {
  if (FileForgeError.is(thrown)) return thrown;
  if (!isTusError(thrown)) return toFileForgeError(thrown);
  const message = thrown.body.trim();
  if (thrown === ERRORS.INVALID_OFFSET)
    return new FileForgeError(
      ErrorCode.OFFSET_MISMATCH,
      'Upload-Offset is not where the upload stands; HEAD it and resume from there',
    );
  if (thrown === ERRORS.ERR_MAX_SIZE_EXCEEDED)
    return new FileForgeError(ErrorCode.FILE_TOO_LARGE, `File exceeds the limit of ${maxFileSize} bytes`, {
      details: { limit: maxFileSize },
    });
  if (thrown === ERRORS.ERR_SIZE_EXCEEDED)
    return new FileForgeError(ErrorCode.FILE_TOO_LARGE, "The chunk goes past the upload's Upload-Length");
  if (thrown === ERRORS.FILE_NOT_FOUND) return new FileForgeError(ErrorCode.NOT_FOUND, 'Upload not found');
  if (thrown === ERRORS.FILE_NO_LONGER_EXISTS)
    return new FileForgeError(
      ErrorCode.UPLOAD_EXPIRED,
      'The upload expired before it was finished; start a new one',
    );
  if (thrown === ERRORS.ABORTED)
    return new FileForgeError(ErrorCode.UPLOAD_ABORTED, 'The request was aborted');
  if (thrown === ERRORS.UNSUPPORTED_CREATION_DEFER_LENGTH_EXTENSION)
    return new FileForgeError(
      ErrorCode.BAD_REQUEST,
      'Upload-Length is required (deferred length is not supported)',
    );
  if (thrown === ERRORS.UNSUPPORTED_CONCATENATION_EXTENSION)
    return new FileForgeError(
      ErrorCode.BAD_REQUEST,
      'Upload-Concat is not supported; disable parallel uploads in the client',
    );
  // A body cut off at its limit (@tus/utils' StreamLimiter throws its own 413 error, not one
  // of ERRORS): past Upload-Length, or past MAX_FILE_SIZE.
  if (thrown.status_code === 413)
    return new FileForgeError(
      ErrorCode.FILE_TOO_LARGE,
      `The body goes past the upload's Upload-Length or the limit of ${maxFileSize} bytes`,
      { details: { limit: maxFileSize } },
    );
  if (thrown.status_code >= 400 && thrown.status_code < 500)
    return new FileForgeError(ErrorCode.BAD_REQUEST, message);
  return new FileForgeError(ErrorCode.STORAGE_UNAVAILABLE, `[fileforge:uploads] ${message}`);
}
