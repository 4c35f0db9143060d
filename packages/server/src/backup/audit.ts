/**
 * Audit entries for backups (`backup.create`) — an archive holds every file in plaintext, so
 * who made one, and when, belongs in the trail. `fileforge backup` records it with the operator
 * as actor; scheduled backups with `system`. (`backup.restore` is recorded by
 * `fileforge restore`, into the restored trail.)
 *
 * @module
 */
import { basename } from 'node:path';
import type { AuditDetails, AuditTarget, AuditTrail } from '@fileforge/core';
import type { BackupResult } from './snapshot.js';

/** The target of a backup entry: the archive's file name (never its directory). */
export const backupTarget = (path: string): AuditTarget => ({
  type: 'backup',
  id: null,
  name: basename(path),
});

/** What a `backup.create` entry says: counts, and the id of the key that signed the manifest. */
export const backupDetails = (result: BackupResult, signedWith: string): AuditDetails => ({
  objects: result.objects,
  bytes: result.bytes,
  missing: result.missing.length,
  damaged: result.damaged.length,
  unreadable: result.unreadable.length,
  signedWith,
});

/**
 * Records a scheduled backup (actor `system`). Never throws: a failed append is logged, the
 * backup is written either way.
 */
export async function auditScheduledBackup(
  trail: AuditTrail,
  result: BackupResult,
  signedWith: string,
  logger: { error(obj: object, msg: string): void },
): Promise<void> {
  try {
    await trail.record({
      tenant: null,
      actor: { type: 'system', id: null },
      action: 'backup.create',
      target: backupTarget(result.path),
      details: backupDetails(result, signedWith),
    });
  } catch (err) {
    logger.error({ err, action: 'backup.create' }, 'could not append to the audit trail');
  }
}
