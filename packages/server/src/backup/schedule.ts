/**
 * Scheduled backups for a running server (`BACKUP_ENABLED=true`): one every interval into the
 * backup directory, then pruning by age and count. A failed backup is logged and the next
 * interval tries again. The timer is unref'd (it never keeps a process alive) and
 * {@link BackupSchedule.stop} waits for a backup in progress.
 *
 * @module
 */
import { rm } from 'node:fs/promises';
import { createPeriodicTask } from '../periodic-task.js';
import { listBackups } from './names.js';
import { type BackupResult, type CreateBackupOptions, createBackup } from './snapshot.js';

/** Options for {@link startBackupSchedule}. */
export interface BackupScheduleOptions extends Omit<CreateBackupOptions, 'signal' | 'onProgress'> {
  /** Time between backups (`BACKUP_INTERVAL_HOURS`). */
  intervalMs: number;
  /** Backups older than this are removed (`BACKUP_RETENTION_DAYS`). */
  retentionMs: number;
  /** At most this many backups are kept, newest first (`BACKUP_MAX_COUNT`). */
  maxCount: number;
  logger: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Called after each attempt (tests, the audit entry); a run waits for a returned promise. */
  onRun?: (outcome: { result?: BackupResult; error?: unknown }) => void | Promise<void>;
}

/** A running schedule. */
export interface BackupSchedule {
  /** Stops the timer and waits for (aborts) a backup in progress. */
  stop(): Promise<void>;
}

/**
 * Removes backups in `dir` beyond `maxCount` (oldest first) or older than `retentionMs`; the
 * newest backup is always kept. Returns the paths removed.
 */
export async function pruneBackups(
  dir: string,
  { retentionMs, maxCount, now = new Date() }: { retentionMs: number; maxCount: number; now?: Date },
): Promise<string[]> {
  const backups = await listBackups(dir);
  const keepFrom = Math.max(0, backups.length - Math.max(1, maxCount));
  const removed: string[] = [];
  backups.forEach((backup, index) => {
    const newest = index === backups.length - 1;
    if (!newest && (index < keepFrom || now.getTime() - backup.createdAt.getTime() > retentionMs))
      removed.push(backup.path);
  });
  for (const path of removed) await rm(path, { force: true });
  return removed;
}

/** Starts making a backup every `intervalMs` (the first one interval after the start). */
export function startBackupSchedule(options: BackupScheduleOptions): BackupSchedule {
  const now = options.now ?? (() => new Date());
  return createPeriodicTask({
    intervalMs: options.intervalMs,
    run: async (signal) => {
      const result = await createBackup({ ...options, signal });
      const pruned = await pruneBackups(options.outputDir, {
        retentionMs: options.retentionMs,
        maxCount: options.maxCount,
        now: now(),
      });
      options.logger.info(
        { path: result.path, bytes: result.bytes, pruned: pruned.length },
        'backup written',
      );
      if (result.unreadable.length > 0 || result.damaged.length > 0) {
        options.logger.error(
          { path: result.path, unreadable: result.unreadable, damaged: result.damaged },
          'backup written without some files intact: they could not be read or no longer match; run fileforge fsck',
        );
      }
      await options.onRun?.({ result });
    },
    onError: (error) => {
      options.logger.error({ err: error }, 'scheduled backup failed; trying again at the next interval');
      options.onRun?.({ error });
    },
  });
}

/** The schedule's settings from the environment. */
export function scheduleSettings(env: {
  BACKUP_INTERVAL_HOURS: number;
  BACKUP_RETENTION_DAYS: number;
  BACKUP_MAX_COUNT: number;
}) {
  return {
    intervalMs: Math.round(env.BACKUP_INTERVAL_HOURS * 3_600_000),
    retentionMs: env.BACKUP_RETENTION_DAYS * 86_400_000,
    maxCount: env.BACKUP_MAX_COUNT,
  };
}
