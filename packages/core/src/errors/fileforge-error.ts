import { ErrorCode } from './codes.js';

const BRAND = Symbol.for('fileforge.error');

/** Options accepted by {@link FileForgeError}. */
export interface FileForgeErrorOptions {
  /** The underlying error, kept for logs; never sent to clients. */
  cause?: unknown;
  /** Structured, client-safe facts (e.g. `{ reason: 'zip_bomb' }`, `{ limit: 1048576 }`). */
  details?: Record<string, unknown>;
}

/**
 * The one error type FileForge throws. `code` is stable and machine-readable; `message`
 * names the subsystem and, where there is one, the fix.
 *
 * @example
 * ```ts
 * throw new FileForgeError('FILE_TOO_LARGE', '[fileforge:ingest] File exceeds 1048576 bytes', {
 *   details: { limit: 1048576 },
 * });
 * ```
 */
export class FileForgeError extends Error {
  override readonly name = 'FileForgeError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly [BRAND] = true;

  constructor(code: ErrorCode, message: string, options: FileForgeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }

  /**
   * Brand check that works across package copies and realms, unlike `instanceof`.
   */
  static is(value: unknown): value is FileForgeError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/**
 * Converts anything thrown into a {@link FileForgeError}. FileForge errors pass through;
 * aborts become `ABORTED`; well-known filesystem faults get their storage codes; everything
 * else becomes `INTERNAL` with the original kept as `cause`.
 */
export function toFileForgeError(error: unknown, fallback: ErrorCode = ErrorCode.INTERNAL): FileForgeError {
  if (FileForgeError.is(error)) return error;
  const err = error as NodeJS.ErrnoException | undefined;
  if (err?.name === 'AbortError') {
    return new FileForgeError(ErrorCode.ABORTED, '[fileforge] Operation aborted', { cause: error });
  }
  switch (err?.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new FileForgeError(
        ErrorCode.INSUFFICIENT_STORAGE,
        '[fileforge:storage] No space left on device',
        {
          cause: error,
        },
      );
    case 'EROFS':
    case 'EIO':
    case 'EMFILE':
    case 'ENFILE':
    case 'EACCES':
      return new FileForgeError(
        ErrorCode.STORAGE_UNAVAILABLE,
        `[fileforge:storage] Storage unavailable (${err.code})`,
        {
          cause: error,
        },
      );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new FileForgeError(fallback, `[fileforge] ${message}`, { cause: error });
}
