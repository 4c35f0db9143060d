import { ErrorCode, FileForgeError, toFileForgeError } from '@fileforge/core';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { statusOf } from './status.js';

/** The one shape of every error response body. */
export interface ErrorBody {
  error: { code: string; message: string; requestId?: string; details?: Record<string, unknown> };
}

const PUBLIC_5XX_MESSAGE: Partial<Record<ErrorCode, string>> = {
  INTERNAL: 'Internal server error',
  INVALID_CONFIG: 'Internal server error',
  STORAGE_UNAVAILABLE: 'Storage is temporarily unavailable',
  CATALOG_UNAVAILABLE: 'The catalog is temporarily unavailable',
  QUEUE_UNAVAILABLE:
    'Processing could not be queued; the files in details.stored are kept and will be processed, do not upload them again',
  LOCKS_UNAVAILABLE: 'The shared lock store is temporarily unavailable; retry shortly',
  SHUTTING_DOWN: 'The server is shutting down; retry shortly',
  BUSY: 'The server is busy; retry shortly',
  INSUFFICIENT_STORAGE: 'Not enough storage space for this upload',
};

/**
 * Hono's own refusals (malformed JSON, a Content-Type a route does not take) are client
 * errors, not 500s: they keep their status under the nearest stable code.
 */
function fromHttpException(thrown: unknown): FileForgeError | undefined {
  if (!(thrown instanceof HTTPException) || thrown.status >= 500) return undefined;
  const code =
    thrown.status === 415
      ? ErrorCode.UNSUPPORTED_MEDIA_TYPE
      : thrown.status === 413
        ? ErrorCode.REQUEST_TOO_LARGE
        : ErrorCode.BAD_REQUEST;
  return new FileForgeError(code, thrown.message || 'Malformed request', { cause: thrown });
}

/** Strips the `[fileforge:x] ` prefix meant for logs. */
const clientMessage = (error: FileForgeError) =>
  PUBLIC_5XX_MESSAGE[error.code] ?? error.message.replace(/^\[fileforge(:[a-z-]+)?\]\s*/, '');

/**
 * What a 5xx may tell: only which of the client's own files a failed upload kept
 * (`details.stored`), so that it neither loses track of them nor uploads them again.
 */
function publicDetailsOf(error: FileForgeError): Record<string, unknown> | undefined {
  const stored = error.details?.stored;
  return Array.isArray(stored) && stored.length > 0 ? { stored } : undefined;
}

/** `Retry-After` from `details.retryAfterSeconds`, which errors that ask for a retry carry. */
function retryAfterHeader(error: FileForgeError): Record<string, string> {
  const seconds = error.details?.retryAfterSeconds;
  return typeof seconds === 'number' && seconds > 0 ? { 'Retry-After': String(Math.ceil(seconds)) } : {};
}

/**
 * Renders any thrown value as the standard error response. Unknown errors become a 500
 * `INTERNAL` whose message and details reveal nothing of the cause (which is logged). An error
 * whose details carry `retryAfterSeconds` is answered with `Retry-After`, even when (5xx) the
 * details themselves stay private. A 5xx's error is kept as `c.error` for the access log.
 */
export function errorResponse(c: Context, thrown: unknown, headers: Record<string, string> = {}): Response {
  const error = FileForgeError.is(thrown) ? thrown : (fromHttpException(thrown) ?? toFileForgeError(thrown));
  const status = statusOf(error.code);
  // A server error is logged once, by the access log, whichever part of the app answered it.
  if (status >= 500) c.error ??= thrown instanceof Error ? thrown : error;
  const requestId = c.get('requestId') as string | undefined;
  const exposeDetails = status < 500 ? error.details : publicDetailsOf(error);
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: clientMessage(error),
      ...(requestId ? { requestId } : {}),
      ...(exposeDetails ? { details: error.details } : {}),
    },
  };
  return c.json(body, status, { ...retryAfterHeader(error), ...headers });
}

/** Shorthand for a `NOT_FOUND` error. */
export const notFound = (what: string) => new FileForgeError(ErrorCode.NOT_FOUND, `${what} not found`);
