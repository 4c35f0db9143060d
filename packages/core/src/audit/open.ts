import { openCatalog, runMigrations } from '../catalog/index.js';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { auditMigrations } from './migrations.js';
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

/**
 * Opens the audit trail of the catalog a `DATABASE_URL` names for appending, from a process
 * other than the server (a CLI command such as `fileforge keys rotate`): creates the table if
 * this catalog has none yet, takes no data-directory lock, and appends safely next to a running
 * server (a lost race for the next seq is retried on the new last entry).
 *
 * @example
 * ```ts
 * const trail = await openAuditTrail(config.databaseUrl);
 * try {
 *   await trail.record({ tenant: null, actor: { type: 'system', id: null },
 *     action: 'encryption.key_rotate', details: { keyId: 'k2', rewrapped: 120 } });
 * } finally { await trail.close(); }
 * ```
 */
export async function openAuditTrail(
  databaseUrl: string,
  options: { now?: () => number } = {},
): Promise<OpenedAuditTrail> {
  const catalog = await openCatalog(databaseUrl);
  try {
    if (!catalog.db) {
      throw new FileForgeError(
        ErrorCode.INVALID_CONFIG,
        '[fileforge:audit] This catalog has no SQL database to write the audit trail to',
      );
    }
    await runMigrations(catalog.db(), [auditMigrations]);
    const trail = createAuditTrail(catalog.db(), options);
    return { ...trail, close: () => catalog.close() };
  } catch (error) {
    await catalog.close();
    throw error;
  }
}
