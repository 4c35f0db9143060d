/**
 * Backup file names in an output directory: complete archives, the temp names of backups in
 * progress, and which of those are leftovers of a backup that died.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

const COMPLETE = /^fileforge-backup-(\d{8}T\d{9}Z)-[0-9a-f]{6}\.tar\.gz$/;
// The catalog copy's SQLite side files (-journal, -wal, -shm) are leftovers of the same backup.
const TEMP = /^\.fileforge-backup-.+\.(\d+)\.(tar\.gz|db)\.partial(-journal|-wal|-shm)?$/;

/** A complete backup archive in a directory. */
export interface BackupFile {
  name: string;
  path: string;
  createdAt: Date;
}

/** The final name and the temp names of a backup started at `now` by this process. */
export function backupNames(now: Date) {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  const base = `fileforge-backup-${stamp}-${randomBytes(3).toString('hex')}`;
  return {
    final: `${base}.tar.gz`,
    tempArchive: `.${base}.${process.pid}.tar.gz.partial`,
    tempCatalog: `.${base}.${process.pid}.db.partial`,
  };
}

function parseStamp(stamp: string): Date {
  const [, y, mo, d, h, mi, s, ms] =
    /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(stamp) ?? [];
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
}

/** Complete backups in `dir`, oldest first (temp names never match). */
export async function listBackups(dir: string): Promise<BackupFile[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  return names
    .flatMap((name) => {
      const match = COMPLETE.exec(name);
      return match?.[1] ? [{ name, path: join(dir, name), createdAt: parseStamp(match[1]) }] : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files of backups whose process is gone (a crash, `kill -9`); a backup
 * another live process is writing is left alone. Returns how many were removed.
 */
export async function removeStaleTemps(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const pid = Number(TEMP.exec(name)?.[1] ?? Number.NaN);
    if (!Number.isSafeInteger(pid) || pid === process.pid || alive(pid)) continue;
    await rm(join(dir, name), { force: true });
    removed++;
  }
  return removed;
}
