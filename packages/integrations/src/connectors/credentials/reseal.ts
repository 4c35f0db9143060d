/**
 * Re-seals stored credentials under the cipher's current key (`fileforge keys rotate`), so the
 * keys they were sealed with (an older ENCRYPTION_KEY, or the SECRET_KEY-derived key) can be
 * removed. A row written meanwhile (a new connect) is left as that write made it.
 *
 * @module
 */
import type { Kysely } from 'kysely';
import type { CredentialCipher } from './cipher.js';
import type { ConnectorTables } from './store.js';

/** What {@link resealCredentials} did. */
export interface ResealReport {
  /** Values now sealed under the current key. */
  resealed: number;
  /** Values already under it. */
  current: number;
  /** Values that did not open (each with its error), left as they were. */
  failed: Array<{ target: string; code: string; message: string }>;
}

/** Re-seals every `connector_credentials` row not yet under `cipher.keyId`. */
export async function resealCredentials(
  db: Kysely<ConnectorTables>,
  cipher: CredentialCipher,
): Promise<ResealReport> {
  const report: ResealReport = { resealed: 0, current: 0, failed: [] };
  const rows = await db
    .selectFrom('connector_credentials')
    .select(['tenant', 'slug', 'key_id', 'sealed'])
    .execute();
  for (const row of rows) {
    if (row.key_id === cipher.keyId) {
      report.current += 1;
      continue;
    }
    const aad = `${row.tenant}/${row.slug}`;
    try {
      const { keyId, sealed } = cipher.seal(cipher.open(row.sealed, row.key_id, aad), aad);
      await db
        .updateTable('connector_credentials')
        .set({ key_id: keyId, sealed })
        .where('tenant', '=', row.tenant)
        .where('slug', '=', row.slug)
        .where('sealed', '=', row.sealed)
        .execute();
      report.resealed += 1;
    } catch (error) {
      const { code = 'INTERNAL', message = String(error) } = error as { code?: string; message?: string };
      report.failed.push({ target: `connector ${aad}`, code, message });
    }
  }
  return report;
}
