/**
 * PostgreSQL's faults in FileForge's terms: what `pg` and the server report (SQLSTATE codes,
 * socket errors, the pool's own timeouts) becomes a stable code the server maps to a status.
 *
 * @module
 */
import { ErrorCode, FileForgeError } from '../errors/index.js';

/**
 * SQLSTATEs meaning "the database cannot answer now; try again later": connection exceptions
 * (class 08), the server shutting down or starting (57P0x), too many connections, out of
 * memory, an I/O error, a cancelled statement (`statement_timeout`), serialization failures
 * and deadlocks, a lock not available, a read-only server or transaction (a standby, or a
 * catalog opened `readOnly`), and a login or database the server refuses.
 */
const UNAVAILABLE_STATES = /^(08...|57P0[1-4]|53[23]00|58030|57014|40001|40P01|55P03|25006|28...|3D000)$/;

/** Socket-level failures of the connection. */
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** What `pg` and its pool say, without a code, when a connection is lost or never made. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end|Postgres connection has been discarded|driver has already been destroyed/i;

const codeOf = (error: unknown): string => String((error as { code?: unknown })?.code ?? '');

/** Whether `error` says the connection (not the statement) failed: the client must not be reused. */
export function isConnectionFault(error: unknown): boolean {
  const code = codeOf(error);
  return (
    UNAVAILABLE_ERRNOS.has(code) ||
    /^(08...|57P0[1-3])$/.test(code) ||
    UNAVAILABLE_MESSAGES.test(String((error as Error)?.message ?? ''))
  );
}

/**
 * Whether `error` is PostgreSQL refusing a prepared statement whose tables changed shape since
 * it was prepared ("cached plan must not change result type"): the statement is stale on that
 * connection, not wrong.
 */
export function isStalePlan(error: unknown): boolean {
  return codeOf(error) === '0A000' && /cached plan/i.test(String((error as Error)?.message ?? ''));
}

/**
 * PostgreSQL's own faults, in FileForge's terms; anything else passes through. A unique
 * violation becomes `CONFLICT` and keeps the server's message ("duplicate key value violates
 * unique constraint …"), which the stores recognise as they recognise SQLite's.
 */
export function mapPostgresError(error: unknown): FileForgeError | undefined {
  if (FileForgeError.is(error)) return undefined;
  const code = codeOf(error);
  const message = String((error as Error)?.message ?? error);
  if (code === '53100') {
    return new FileForgeError(
      ErrorCode.INSUFFICIENT_STORAGE,
      '[fileforge:catalog] No space left for the catalog',
      {
        cause: error,
      },
    );
  }
  if (code === '22021') {
    // A parameter holding NUL (an id in a URL, `…/runs/a%00`), which PostgreSQL text cannot
    // store: nothing could match it, and it is the request's fault, not the server's.
    return new FileForgeError(
      ErrorCode.VALIDATION_FAILED,
      '[fileforge:catalog] A value holds a character the catalog cannot store (NUL, U+0000)',
      { cause: error },
    );
  }
  if (code === '23505') {
    const constraint = (error as { constraint?: unknown }).constraint;
    return new FileForgeError(ErrorCode.CONFLICT, `[fileforge:catalog] ${message}`, {
      cause: error,
      ...(typeof constraint === 'string' ? { details: { constraint } } : {}),
    });
  }
  if (UNAVAILABLE_STATES.test(code) || isConnectionFault(error) || isStalePlan(error)) {
    return new FileForgeError(
      ErrorCode.CATALOG_UNAVAILABLE,
      `[fileforge:catalog] Catalog unavailable (${code || 'connection'}: ${message})`,
      { cause: error },
    );
  }
  return undefined;
}
