import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../fs/private-dir.js';

const LOCK_FILE = 'fileforge.pid';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims `dir` for this process: `<dir>/<file>` holds its pid. A live process holding it
 * already is refused with `CONFLICT` (worded by `inUse`); a lock left by a dead process (a
 * crash, `kill -9`) is taken over. Resolves with the release.
 */
export async function lockDirectory(
  dir: string,
  file: string,
  inUse: (pid: number) => string,
): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const path = join(dir, file);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', PRIVATE_FILE_MODE);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        const owner = Number(await readFile(path, 'utf8').catch(() => ''));
        if (owner === process.pid) await unlink(path).catch(() => {});
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (owner && owner !== process.pid && alive(owner)) {
        throw new FileForgeError(ErrorCode.CONFLICT, inUse(owner), { details: { pid: owner } });
      }
      await unlink(path).catch(() => {});
    }
  }
  throw new FileForgeError(ErrorCode.CONFLICT, `[fileforge] Could not lock ${dir}`);
}

/**
 * Claims an embedded data directory for this process (`<dir>/fileforge.pid`). The embedded
 * queue and the start-up temp sweep assume one owner: a second live process on the same
 * directory would delete the first one's uploads in progress and run its jobs twice, so it is
 * refused with `CONFLICT`. A lock left by a dead process (a crash, `kill -9`) is taken over.
 */
export function lockDataDir(dir: string): Promise<() => Promise<void>> {
  return lockDirectory(
    dir,
    LOCK_FILE,
    (pid) =>
      `[fileforge] Data directory ${dir} is in use by process ${pid}; stop it, or use its API (e.g. --url), or set DATA_DIR elsewhere`,
  );
}
