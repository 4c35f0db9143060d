/**
 * Owner-only permissions for what FileForge keeps on disk. The catalog holds password,
 * refresh-token and API-key hashes and the blobs hold users' files, so nothing FileForge
 * creates is readable by other local users, whatever the process umask: directories are
 * created 0700 and files 0600. A directory that already exists is left as the operator made
 * it, with a warning when others can read or enter it.
 *
 * @module
 */
import { mkdirSync, statSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';

/** Mode of every directory FileForge creates. */
export const PRIVATE_DIR_MODE = 0o700;
/** Mode of every file FileForge creates and later writes (catalog, WAL, secrets, lock). */
export const PRIVATE_FILE_MODE = 0o600;
/**
 * Mode of a stored blob: owner read-only. Blobs are immutable once stored (a derivative is
 * rewritten under a new key), and the sorted tree hard-links them — an editor saving a
 * materialised file in place would otherwise change the stored blob and break its SHA-256.
 */
export const BLOB_FILE_MODE = 0o400;

/** Where {@link ensurePrivateDir} reports a directory others can read. */
export interface PermissionWarner {
  warn(obj: object, msg?: string): void;
}

/**
 * Creates `dir` (and missing parents) owner-only, or, when it exists, warns through `logger`
 * if its mode lets group or others in. Returns true when the directory was created.
 */
export async function ensurePrivateDir(dir: string, logger?: PermissionWarner): Promise<boolean> {
  const existing = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (existing) {
    warnIfOpen(dir, existing.mode, logger);
    return false;
  }
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  // mkdir's mode passes through the umask, which may only narrow it; chmod makes it exact.
  await chmod(dir, PRIVATE_DIR_MODE);
  return true;
}

/** {@link ensurePrivateDir} for synchronous openers (the SQLite driver). */
export function ensurePrivateDirSync(dir: string): void {
  try {
    statSync(dir);
  } catch {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  }
}

function warnIfOpen(path: string, mode: number, logger?: PermissionWarner): void {
  if ((mode & 0o077) === 0) return;
  logger?.warn(
    { path, mode: `0${(mode & 0o777).toString(8)}` },
    `[fileforge] ${path} is readable by other local users; run: chmod 700 ${path}`,
  );
}
