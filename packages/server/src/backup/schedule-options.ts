import { resolve } from 'node:path';
import type { ForgeConfig } from '@fileforge/core';

/** Where backups go: `BACKUP_DIR`, or `<DATA_DIR>/backups`. */
export function backupDirOf(config: ForgeConfig): string {
  return resolve(config.env.BACKUP_DIR ?? resolve(config.dataDir, 'backups'));
}
