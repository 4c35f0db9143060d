import { constants, linkSync, unlinkSync } from 'node:fs';
import { copyFile, link, lstat, open, rename, unlink, utimes } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SyncGate } from '../sync-gate.js';
import { fitName } from '../template.js';
import { TEMP_SUFFIX } from './scan.js';

/**
 * The filesystem calls a move goes through; tests replace `link`/`rename` to take the
 * across-filesystems branch (`EXDEV`) without needing two filesystems.
 */
export interface MoveOps {
  link(from: string, to: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

/** The real filesystem. */
export const NODE_MOVE_OPS: MoveOps = { link, rename };

/** How a file reached its new place. */
export type MoveVia = 'link' | 'rename' | 'copy';

/** Errors that mean "this filesystem has no hard links": fall back to a checked rename. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EACCES']);

const code = (error: unknown) => (error as NodeJS.ErrnoException)?.code;

/** Whether anything (file, folder, link) exists at `path`. */
export async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (code(error) === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Throws unless every folder of `relative` (a posix path inside `dir`, the file name left
 * out) that exists is a real folder, not a symbolic link: `fileforge sort DIR` moves files
 * within DIR only, and a link `DIR/invoices -> /elsewhere` would carry them out of it.
 * Folders already checked in this run are remembered in `checked`.
 */
export async function assertInside(dir: string, relative: string, checked: Set<string>): Promise<void> {
  const parts = relative.split('/').slice(0, -1);
  let current = '';
  for (const part of parts) {
    current = current === '' ? part : `${current}/${part}`;
    if (checked.has(current)) continue;
    const s = await lstat(join(dir, ...current.split('/'))).catch((error: NodeJS.ErrnoException) => {
      if (error?.code === 'ENOENT') return null;
      throw error;
    });
    if (s === null) return; // missing: made by the run as a real folder
    if (!s.isDirectory()) {
      throw new Error(
        `${current} is ${s.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; files are never moved through it (it could lead outside ${dir})`,
      );
    }
    checked.add(current);
  }
}

/** The temporary name an across-filesystem copy is written under, next to its destination. */
export function tempNameFor(to: string, runId: string): string {
  // The destination's name may already be at the 255-byte limit: cut it, never the run id.
  return join(dirname(to), fitName(`.${basename(to)}`, `.${runId}${TEMP_SUFFIX}`));
}

/** Rename that refuses to replace: checks first (a small race remains; see `move`). */
async function checkedRename(from: string, to: string, ops: Pick<MoveOps, 'rename'>): Promise<boolean> {
  if (await exists(to)) return false;
  await ops.rename(from, to);
  return true;
}

/**
 * Copy to a temporary name beside the destination, fsync, give it the source's times, put it
 * in place without replacing anything, then remove the source. A crash leaves the source
 * whole; at worst a complete copy at the destination too (recovery tells them apart by size
 * and modification time) or a temporary file (recovery removes it).
 */
async function copyAcross(from: string, to: string, runId: string): Promise<boolean> {
  if (await exists(to)) return false;
  const temp = tempNameFor(to, runId);
  await copyFile(from, temp, constants.COPYFILE_EXCL);
  try {
    // fsync needs no write access, and the copy of a read-only file is read-only too.
    const handle = await open(temp, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    const source = await lstat(from);
    // Seconds as a fraction keep sub-millisecond precision (a Date would round to the millisecond).
    await utimes(temp, source.atimeMs / 1000, source.mtimeMs / 1000);
    // A double of seconds can land just below a whole millisecond (…036.99999 for …037): the
    // journal, undo and recovery compare whole milliseconds, so mid-millisecond then.
    const ms = Math.trunc(source.mtimeMs);
    if (Math.trunc((await lstat(temp)).mtimeMs) !== ms)
      await utimes(temp, source.atimeMs / 1000, (ms + 0.5) / 1000);
    if (!(await checkedRename(temp, to, NODE_MOVE_OPS))) {
      await unlink(temp);
      return false;
    }
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await unlink(from);
  return true;
}

/**
 * {@link moveNoClobber}'s common case made with synchronous calls through `gate` (see
 * `sync-gate.ts`): a hard link, then the unlink of the source. Returns `null`, having changed
 * nothing, where that case does not apply (no hard links here, another filesystem): the
 * caller then runs {@link moveNoClobber}.
 */
export function moveNoClobberSync(from: string, to: string, gate: SyncGate): 'link' | 'exists' | null {
  try {
    gate.run(() => linkSync(from, to));
  } catch (error) {
    const c = code(error);
    if (c === 'EEXIST') return 'exists';
    if (c === 'EXDEV' || (c && NO_LINKS.has(c))) return null;
    throw error;
  }
  try {
    gate.run(() => unlinkSync(from));
  } catch (error) {
    // The source cannot go (its folder is read-only): take the new name back and report it.
    try {
      unlinkSync(to);
    } catch {
      // already gone
    }
    throw error;
  }
  return 'link';
}

/**
 * Moves `from` to `to` without ever replacing what is at `to`: returns the way it went, or
 * `'exists'` when the destination is taken (the caller resolves the conflict and tries another
 * name). On one filesystem a hard link then an unlink: the link fails atomically when the
 * name is taken, and a crash between the two leaves two names for one file, which recovery
 * tells by the inode. Where links are unsupported, a rename after a check (a program creating
 * the destination in the microseconds between would be replaced). Across filesystems
 * (`EXDEV`), a copy: see {@link copyAcross}. Parent folders must exist.
 */
export async function moveNoClobber(
  from: string,
  to: string,
  runId: string,
  ops: MoveOps = NODE_MOVE_OPS,
): Promise<MoveVia | 'exists'> {
  let linked = false;
  try {
    await ops.link(from, to);
    linked = true;
  } catch (error) {
    const c = code(error);
    if (c === 'EEXIST') return 'exists';
    if (c === 'EXDEV') return (await copyAcross(from, to, runId)) ? 'copy' : 'exists';
    if (!c || !NO_LINKS.has(c)) throw error;
  }
  if (linked) {
    try {
      await unlink(from);
    } catch (error) {
      // The source cannot go (its folder is read-only): take the new name back and report it.
      await unlink(to).catch(() => {});
      throw error;
    }
    return 'link';
  }
  try {
    return (await checkedRename(from, to, ops)) ? 'rename' : 'exists';
  } catch (error) {
    if (code(error) !== 'EXDEV') throw error;
    return (await copyAcross(from, to, runId)) ? 'copy' : 'exists';
  }
}
