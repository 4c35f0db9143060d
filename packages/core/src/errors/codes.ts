/**
 * Every stable error code FileForge can report. Codes never change meaning once
 * published; the server maps each one to an HTTP status in one table.
 */
export const ErrorCode = {
  /** A request or option failed validation. */
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  /** The configuration (environment or options) is invalid. */
  INVALID_CONFIG: 'INVALID_CONFIG',
  /** A file is larger than the configured maximum. */
  FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  /** A request body (other than an upload) is larger than the server accepts. */
  REQUEST_TOO_LARGE: 'REQUEST_TOO_LARGE',
  /** A multipart request broke a structural limit (parts, fields, headers, files). */
  MULTIPART_LIMIT: 'MULTIPART_LIMIT',
  /** The request body was not a well-formed upload. */
  BAD_REQUEST: 'BAD_REQUEST',
  /** The detected type is outside the configured allow-list. */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** Processing found hostile or corrupt content; `details.reason` says which. */
  CONTENT_REJECTED: 'CONTENT_REJECTED',
  /** The display name is unusable. */
  INVALID_FILENAME: 'INVALID_FILENAME',
  /** The object does not exist (or belongs to another tenant). */
  NOT_FOUND: 'NOT_FOUND',
  /** The route exists but not with this HTTP method; the `Allow` header (and `details.allow`) lists the methods it takes. */
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  /**
   * The file's stored content is missing or no longer matches its SHA-256 (`fileforge fsck`
   * marked it damaged); it is never served. `details.reason` says which. Restore it from a backup.
   */
  FILE_DAMAGED: 'FILE_DAMAGED',
  /** The requested byte range cannot be satisfied. */
  RANGE_NOT_SATISFIABLE: 'RANGE_NOT_SATISFIABLE',
  /** The client stopped sending or went away before the upload finished. */
  UPLOAD_ABORTED: 'UPLOAD_ABORTED',
  /** The client sent nothing for too long. */
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  /** The storage device is full. */
  INSUFFICIENT_STORAGE: 'INSUFFICIENT_STORAGE',
  /** Storage cannot be written or read right now. */
  STORAGE_UNAVAILABLE: 'STORAGE_UNAVAILABLE',
  /**
   * A blob is encrypted under a master key that is not configured (its key id is in
   * `details.keyId`): add that key to `ENCRYPTION_KEYS_OLD`. Never answered with garbage.
   */
  KEY_UNAVAILABLE: 'KEY_UNAVAILABLE',
  /**
   * A stored blob failed its integrity check (tampered, truncated, reordered or damaged): the
   * bytes of the failing segment were never released.
   */
  BLOB_INTEGRITY_FAILED: 'BLOB_INTEGRITY_FAILED',
  /** The catalog (database) cannot be reached or written. */
  CATALOG_UNAVAILABLE: 'CATALOG_UNAVAILABLE',
  /**
   * The job queue cannot take work right now. On an upload, the files listed in
   * `details.stored` are committed and will be processed once the queue is back (the server's
   * periodic re-queue and start-up reconciliation queue them): do not upload them again.
   */
  QUEUE_UNAVAILABLE: 'QUEUE_UNAVAILABLE',
  /**
   * The shared lock store (Redis, with REDIS_URL) cannot be reached: what must not happen twice
   * across instances (a sort run, a watched-folder claim) waits for it instead of running unlocked.
   */
  LOCKS_UNAVAILABLE: 'LOCKS_UNAVAILABLE',
  /** The service is shutting down and accepts no new work. */
  SHUTTING_DOWN: 'SHUTTING_DOWN',
  /** A processor threw. */
  PROCESSOR_FAILED: 'PROCESSOR_FAILED',
  /** A processor ran past its time limit. */
  PROCESSOR_TIMEOUT: 'PROCESSOR_TIMEOUT',
  /** An operation did not finish within its time limit (e.g. a workflow step, a retried call). */
  TIMEOUT: 'TIMEOUT',
  /** The operation was cancelled through its AbortSignal. */
  ABORTED: 'ABORTED',
  /** No valid credentials were presented (missing, malformed, expired, revoked). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The caller is known but may not do this. */
  FORBIDDEN: 'FORBIDDEN',
  /** Too many requests; retry after the time given. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** Too many connections open at once from one client address; close some and retry. */
  TOO_MANY_CONNECTIONS: 'TOO_MANY_CONNECTIONS',
  /** The request conflicts with the current state (e.g. the email is taken, setup already done). */
  CONFLICT: 'CONFLICT',
  /** The password matches accounts in several tenants; `details.tenants` lists them: log in again naming one. */
  TENANT_REQUIRED: 'TENANT_REQUIRED',
  /** A workflow definition has problems; `details.problems` lists each `{ rule, message, path }` (rule ids of the linter). */
  WORKFLOW_INVALID: 'WORKFLOW_INVALID',
  /** No folder is watched (WATCH_FOLDER is not set), so there is nothing to rescan. */
  WATCH_NOT_CONFIGURED: 'WATCH_NOT_CONFIGURED',
  /** The server was created without the integrations (webhooks or connectors) this route serves; `fileforge serve` wires them. */
  INTEGRATIONS_NOT_CONFIGURED: 'INTEGRATIONS_NOT_CONFIGURED',
  /** A circuit breaker is open (or isolated) for this dependency; `details.retryAfterMs` says when it probes again. */
  CIRCUIT_OPEN: 'CIRCUIT_OPEN',
  /** Every endpoint of a load balancer (or every region of a cluster) is unhealthy. */
  NO_HEALTHY_ENDPOINT: 'NO_HEALTHY_ENDPOINT',
  /** An outbound URL (webhook, connector base URL) is not http(s) or resolves to an address that is not allowed (loopback, private, link-local, metadata…). */
  WEBHOOK_URL_FORBIDDEN: 'WEBHOOK_URL_FORBIDDEN',
  /** The connector has no stored credentials in this tenant; connect it first. */
  INTEGRATION_NOT_CONNECTED: 'INTEGRATION_NOT_CONNECTED',
  /** A remote service refused the request (its validation or business error); `details` carries the vendor's code and message. */
  INTEGRATION_REJECTED: 'INTEGRATION_REJECTED',
  /** A remote service failed, answered too much, or could not be reached; `details.status` when it answered. */
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  /** Another request is writing to this resumable upload right now (tus); retry after it ends. */
  UPLOAD_LOCKED: 'UPLOAD_LOCKED',
  /** A resumable upload's `Upload-Offset` is not where the upload stands (tus); `HEAD` it and resume from there. */
  OFFSET_MISMATCH: 'OFFSET_MISMATCH',
  /** A tus chunk's bytes do not match its `Upload-Checksum`; nothing of it was kept (status 460). */
  CHECKSUM_MISMATCH: 'CHECKSUM_MISMATCH',
  /** The resumable upload expired (`UPLOAD_EXPIRY_HOURS`) before it was finished; start a new one. */
  UPLOAD_EXPIRED: 'UPLOAD_EXPIRED',
  /** The request speaks a tus protocol version this server does not (`Tus-Version` lists the ones it does). */
  TUS_VERSION_UNSUPPORTED: 'TUS_VERSION_UNSUPPORTED',
  /** The server is at capacity for this kind of work (password hashing, the processing queue over `QUEUE_MAX_DEPTH`); retry after `Retry-After`. */
  BUSY: 'BUSY',
  /** The upload would take the tenant past its quota (bytes or files); `details` has `limit`, `used`, `requested`, `unit`. */
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  /** An `Idempotency-Key` already used for a request with different content; use a new key. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /**
   * A backup archive was refused before anything changed (`fileforge restore`): `details.reason`
   * says why (`not_a_backup`, `incomplete`, `unsafe_path`, `link_entry`, `unexpected_entry`,
   * `size_mismatch`, `checksum_mismatch`, `missing_object`, `too_many_entries`, `too_large`,
   * `compression_ratio`, `catalog_damaged`), `details.entry` names the entry when there is one.
   */
  BACKUP_INVALID: 'BACKUP_INVALID',
  /** Anything not otherwise classified. Never carries internals to clients. */
  INTERNAL: 'INTERNAL',
} as const;

/** One of the stable codes in {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
