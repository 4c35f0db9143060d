import { type Forge, type ForgeConfig, keyRingFromEnv, lockDataDir } from '@fileforge/core';
import { readSecretKey } from '../secrets.js';
import { auditScheduledBackup } from './audit.js';
import { manifestKeys, signingKeyOf } from './manifest-signature.js';
import { type BackupSchedule, scheduleSettings, startBackupSchedule } from './schedule.js';
import { backupDirOf } from './schedule-options.js';
import { finishSortedTreeRebuild } from './sorted-tree.js';
import { recoverRestore } from './swap.js';

type Logger = { info(obj: object, msg: string): void; error(obj: object, msg: string): void };

/**
 * Before the server opens its catalog: finishes a restore that a crash interrupted after it
 * committed, or removes the staging copies of one that never did, then rebuilds the sorted
 * folder if that restore did not get to it (under the data-directory lock, released again for
 * the forge to take).
 */
export async function recoverInterruptedRestore(config: ForgeConfig, logger: Logger): Promise<void> {
  const unlock = await lockDataDir(config.dataDir);
  try {
    const outcome = await recoverRestore(config);
    if (outcome === 'finished') logger.info({}, 'finished a restore that was interrupted after it committed');
    if (outcome === 'cleaned') logger.info({}, 'removed the staging copies of an interrupted restore');
    const tree = await finishSortedTreeRebuild(config).catch((err: unknown) => {
      logger.error(
        { err },
        'the sorted folder of an interrupted restore could not be rebuilt; serve tries again at its next start',
      );
      return null;
    });
    if (tree) logger.info({ ...tree }, 'rebuilt the sorted folder of a restore interrupted before it did');
  } finally {
    await unlock();
  }
}

/**
 * Starts scheduled backups when `BACKUP_ENABLED=true` (otherwise `undefined`), their manifests
 * signed with the key derived from ENCRYPTION_KEY, or else from SECRET_KEY (as `serve`
 * resolved it before: from the environment or `DATA_DIR/secrets.json`).
 */
export function startConfiguredBackups(
  config: ForgeConfig,
  forge: Forge,
  logger: Logger,
): BackupSchedule | undefined {
  if (!config.env.BACKUP_ENABLED) return undefined;
  const outputDir = backupDirOf(config);
  const settings = scheduleSettings(config.env);
  logger.info({ dir: outputDir, everyMs: settings.intervalMs }, 'scheduled backups enabled');
  const signingKey = signingKeyOf(
    manifestKeys({ secretKey: readSecretKey(config), keyRing: keyRingFromEnv(config.env) }),
  );
  return startBackupSchedule({
    ...settings,
    databaseUrl: config.databaseUrl,
    blobs: forge.blobs,
    holdDeletes: () => forge.holdBlobDeletes(),
    outputDir,
    signingKey,
    logger,
    onRun: ({ result }) =>
      result ? auditScheduledBackup(forge.audit, result, signingKey.id, logger) : undefined,
  });
}
