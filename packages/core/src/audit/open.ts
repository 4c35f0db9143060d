import { openCatalog } from '../catalog/index.js';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { type AuditTrail, createAuditTrail } from './trail.js';

/** An audit trail opened on its own, with the catalog connection it holds. */
export interface OpenedAuditTrail extends AuditTrail {
  /** Closes the catalog connection. */
  close(): Promise<void>;
}

/**
 * Opens the audit trail of the catalog a `DATABASE_URL` names, read-only: nothing is
 * migrated, created or locked, so it works next to a running server (the data-directory lock
 * is for writers). What `fileforge audit verify` uses.
 *
 * @example
 * ```ts
 * const trail = await openAuditTrailReadOnly('sqlite:./data/fileforge.db');
 * try { console.log(await trail.verify()); } finally { await trail.close(); }
 * ```
 */
export async function openAuditTrailReadOnly(databaseUrl: string): Promise<OpenedAuditTrail> {
  const catalog = await openCatalog(databaseUrl, { readOnly: true });
  if (!catalog.db) {
    await catalog.close();
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:audit] This catalog has no SQL database to read the audit trail from',
    );
  }
  const trail = createAuditTrail(catalog.db(), { readOnly: true });
  return { ...trail, close: () => catalog.close() };
}
