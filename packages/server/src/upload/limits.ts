import { ErrorCode, FileForgeError } from '@fileforge/core';

/** Bytes a multipart part may add around its content (boundary line, part headers). */
export const PART_OVERHEAD_BYTES = 16 * 1024;
/** Budget for non-file fields in one request. */
export const FIELDS_BUDGET_BYTES = 64 * 1024;

/** Structural limits handed to the multipart parser. */
export interface MultipartLimits {
  maxFileSize: number;
  maxFiles: number;
}

/**
 * The largest body a request within the limits can have. A Content-Length above it proves
 * the request must be refused before a byte of the body is read.
 */
export function maxRequestBytes(limits: MultipartLimits): number {
  return limits.maxFiles * (limits.maxFileSize + PART_OVERHEAD_BYTES) + FIELDS_BUDGET_BYTES;
}

/** The refusal of a file (or a request) over `MAX_FILE_SIZE`: 413 `FILE_TOO_LARGE`. */
export const fileTooLarge = (limit: number) =>
  new FileForgeError(ErrorCode.FILE_TOO_LARGE, `File exceeds the limit of ${limit} bytes`, {
    details: { limit },
  });

/** busboy's limits. `fileSize` is one over the cap so FileForge's own meter sees the overflow and refuses it. */
export function busboyLimits(limits: MultipartLimits) {
  return {
    fileSize: limits.maxFileSize + 1,
    files: limits.maxFiles,
    fields: 20,
    parts: limits.maxFiles + 20,
    headerPairs: 50,
    fieldSize: 64 * 1024,
    fieldNameSize: 200,
  };
}
