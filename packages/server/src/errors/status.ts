import type { ErrorCode } from '@fileforge/core';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The one table that maps every error code to its HTTP status. `satisfies` makes adding a
 * code to core without deciding its status a type error here.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  INVALID_FILENAME: 400,
  MULTIPART_LIMIT: 413,
  REQUEST_TOO_LARGE: 413,
  FILE_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  FILE_DAMAGED: 409,
  TENANT_REQUIRED: 409,
  RATE_LIMITED: 429,
  TOO_MANY_CONNECTIONS: 429,
  REQUEST_TIMEOUT: 408,
  UPLOAD_ABORTED: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RANGE_NOT_SATISFIABLE: 416,
  CONTENT_REJECTED: 422,
  WORKFLOW_INVALID: 422,
  WATCH_NOT_CONFIGURED: 404,
  INTEGRATIONS_NOT_CONFIGURED: 404,
  CIRCUIT_OPEN: 503,
  NO_HEALTHY_ENDPOINT: 503,
  WEBHOOK_URL_FORBIDDEN: 422,
  INTEGRATION_NOT_CONNECTED: 409,
  INTEGRATION_REJECTED: 422,
  UPSTREAM_ERROR: 502,
  INSUFFICIENT_STORAGE: 507,
  STORAGE_UNAVAILABLE: 503,
  CATALOG_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
  BUSY: 503,
  BACKUP_INVALID: 422,
  INVALID_CONFIG: 500,
  PROCESSOR_FAILED: 500,
  PROCESSOR_TIMEOUT: 500,
  TIMEOUT: 504,
  ABORTED: 400,
  INTERNAL: 500,
} as const satisfies Record<ErrorCode, ContentfulStatusCode>;

/** HTTP status for an error code. */
export function statusOf(code: ErrorCode): ContentfulStatusCode {
  return ERROR_STATUS[code];
}
