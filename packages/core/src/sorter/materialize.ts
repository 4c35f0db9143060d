/**
 * The sorted tree on disk. Each sorted file of the local engine also appears at
 * `<sortedFolder>/<tenant>/<path>` as a hard link to its stored blob, so people browse the
 * tree with a file manager while blob keys stay generated. Where a link is impossible (the
 * sorted folder on another filesystem, a filesystem without hard links) the entry is a copy,
 * written under a temporary name, fsynced and then put in place, so a half-written entry is
 * never visible. An entry is never written over something that is not the same file, and
 * never through a symbolic link: people (and their tools) write in the sorted folder, so a
 * folder of the tree replaced by a link elsewhere is refused rather than followed.
 *
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import { constants, createReadStream, linkSync, lstatSync } from 'node:fs';
import { copyFile, link, lstat, mkdir, open, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { SyncGate } from './sync-gate.js';

/** Errors that mean "no hard link here": the entry becomes a copy. */
const NO_LINK = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

/** Prefix of the temporary names copies are written under; start-up recovery removes leftovers. */
export const TEMP_PREFIX = '.fileforge-';

const code = (error: unknown) => (error as NodeJS.ErrnoException)?.code;

/** Fsyncs a folder, so the entries made or removed in it survive a power cut. */
export async function fsyncDir(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function statOrNull(path: string) {
  try {
    return await lstat(path);
  } catch (error) {
    if (code(error) === 'ENOENT' || code(error) === 'ENOTDIR') return null;
    throw error;
  }
}

/** Where one record's entry lives. `path` is a rendered destination: relative, posix, without `..`. */
export function entryPath(root: string, tenant: string, path: string): string {
  const segments = path.split('/');
  if (path === '' || path.startsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new FileForgeError(
      ErrorCode.VALIDATION_FAILED,
      `[fileforge:sorter] "${path}" is not a sorted path`,
    );
  }
  const full = join(root, tenant, ...segments);
  if (relative(join(root, tenant), full).startsWith(`..${sep}`)) {
    throw new FileForgeError(
      ErrorCode.VALIDATION_FAILED,
      `[fileforge:sorter] "${path}" leaves the sorted folder`,
    );
  }
  return full;
}

/** `path` (under `base`, the tenant's sorted folder) is in the way; named relative to `base`, never by the server's own path. */
function notAFolder(base: string, path: string): FileForgeError {
  const shown = relative(base, path).split(sep).join('/') || '.';
  return new FileForgeError(
    ErrorCode.CONFLICT,
    `[fileforge:sorter] "${shown}" in the sorted folder is not a folder (a symbolic link or a file); the sorter never writes through it — remove it and sort again`,
    { details: { path: shown } },
  );
}

/**
 * Checks — and with `create`, makes — every folder from `base` down to `dir`, refusing any
 * that is a symbolic link or not a folder, so an entry is never placed or removed outside
 * the sorted folder through a link someone planted in it. Folders in `checked` (found real
 * earlier by the same batch) are not looked at again; the ones found real are added to it.
 *
 * @returns false when a folder is missing and `create` is off
 */
async function realFolders(
  base: string,
  dir: string,
  create: boolean,
  checked?: Set<string>,
): Promise<boolean> {
  if (checked?.has(dir)) return true;
  const rel = relative(base, dir);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel))
    throw new FileForgeError(
      ErrorCode.VALIDATION_FAILED,
      '[fileforge:sorter] A folder leaves the sorted folder',
    );
  if (create && !checked?.has(base)) await mkdir(dirname(base), { recursive: true });
  let current = base;
  for (const segment of ['', ...(rel === '' ? [] : rel.split(sep))]) {
    current = segment === '' ? current : join(current, segment);
    if (checked?.has(current)) continue;
    let s = await statOrNull(current);
    if (!s) {
      if (!create) return false;
      await mkdir(current).catch((error) => {
        if (code(error) !== 'EEXIST') throw error;
      });
      s = await lstat(current);
    }
    if (!s.isDirectory()) throw notAFolder(base, current);
    checked?.add(current);
  }
  return true;
}

/**
 * Whether `entry` is the materialised form of `blob`: the same inode (a link), or a copy
 * with the same content (same size, then same SHA-256 — only copies are ever hashed).
 */
export async function isEntryOf(entry: string, blob: string): Promise<boolean> {
  const [e, b] = await Promise.all([statOrNull(entry), statOrNull(blob)]);
  if (!e || !b || !e.isFile()) return false;
  if (e.dev === b.dev && e.ino === b.ino) return true;
  if (e.size !== b.size) return false;
  const [x, y] = await Promise.all([hashFile(entry), hashFile(blob)]);
  return x === y;
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(path);
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Options of {@link placeEntry} and {@link removeEntry}. */
export interface EntryOptions {
  /**
   * Fsync the entry's folder (default true). A batch turns it off and fsyncs each folder it
   * touched once, before the step that relies on the entries being durable.
   */
  sync?: boolean;
  /** Remove the folders the removal leaves empty (default true); a batch prunes once at its end. */
  prune?: boolean;
  /**
   * Folders of the tree a batch already found real (not a link), shared by its entries so
   * each folder is looked at once per batch rather than once per entry; the ones checked here
   * are added. A link a batch finds missing is retried after checking its folders again.
   */
  checked?: Set<string>;
  /** Make the hard link with a synchronous call while this gate is open (see `sync-gate.ts`). */
  gate?: SyncGate;
}

/** `link`, made synchronously while `gate` is open; fails the same way either way. */
function linkThrough(gate: SyncGate | undefined, from: string, to: string): Promise<void> {
  if (!gate?.open) return link(from, to);
  try {
    gate.run(() => linkSync(from, to));
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Puts the entry for `blob` at `entry`: a hard link, else a copy (temp name, fsync, then
 * linked or renamed into place). Idempotent: an entry that already is this blob is kept.
 * Something else at `entry` fails with `CONFLICT` and is left untouched. The folders from
 * `within` (the tenant's folder of the tree) down to the entry are made as needed and must be
 * real folders: a symbolic link among them fails with `CONFLICT` and nothing is written.
 *
 * @returns how the entry was made
 */
export async function placeEntry(
  blob: string,
  entry: string,
  within: string,
  options: EntryOptions = {},
): Promise<'link' | 'copy' | 'present'> {
  const sync = options.sync ?? true;
  const { checked } = options;
  await realFolders(within, dirname(entry), true, checked);
  try {
    await linkThrough(options.gate, blob, entry).catch(async (error) => {
      // A folder the batch checked earlier was removed since (pruned by another removal):
      // check and make the folders again, once.
      if (code(error) !== 'ENOENT' || !checked) throw error;
      checked.clear();
      await realFolders(within, dirname(entry), true, checked);
      await link(blob, entry);
    });
    if (sync) await fsyncDir(dirname(entry));
    return 'link';
  } catch (error) {
    if (code(error) === 'EEXIST') {
      if (await isEntryOf(entry, blob)) return 'present';
      throw occupied(entry, error);
    }
    if (!NO_LINK.has(code(error) ?? '')) throw error;
  }
  const temp = join(dirname(entry), `${TEMP_PREFIX}${randomUUID()}.tmp`);
  try {
    await copyFile(blob, temp, constants.COPYFILE_EXCL);
    // Read-only like the blob it copies (0400); fsync needs no write access.
    const handle = await open(temp, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      // A link from the temp name fails on an existing entry, so nothing is ever overwritten.
      await link(temp, entry);
    } catch (error) {
      if (code(error) === 'EEXIST') {
        if (await isEntryOf(entry, blob)) return 'present';
        throw occupied(entry, error);
      }
      if (!NO_LINK.has(code(error) ?? '')) throw error;
      // A filesystem without links at all: check, then rename.
      if (await statOrNull(entry)) throw occupied(entry);
      await rename(temp, entry);
    }
    if (sync) await fsyncDir(dirname(entry));
    return 'copy';
  } finally {
    await rm(temp, { force: true });
  }
}

function occupied(entry: string, cause?: unknown): FileForgeError {
  return new FileForgeError(
    ErrorCode.CONFLICT,
    `[fileforge:sorter] Something else is at ${entry} in the sorted folder; move it away and sort again`,
    { ...(cause ? { cause } : {}), details: { field: 'path' } },
  );
}

/**
 * Removes the entry at `entry` when it is the materialised form of `blob` (never anything
 * else), then removes the folders it leaves empty, up to `stop` (exclusive). An entry reached
 * through a symbolic link (a folder between `stop` and it replaced by a link) is left alone.
 *
 * @returns whether an entry was removed
 */
export async function removeEntry(
  entry: string,
  blob: string | null,
  stop: string,
  options: EntryOptions = {},
): Promise<boolean> {
  const inside = await realFolders(stop, dirname(entry), false, options.checked).catch((error) => {
    if (FileForgeError.is(error)) return false;
    throw error;
  });
  if (!inside) return false;
  const s = await statOrNull(entry);
  if (!s) return false;
  if (blob !== null && !(await isEntryOf(entry, blob))) return false;
  await unlinkEntry(entry, stop, options);
  return true;
}

/** Unlinks `entry` (gone already is fine), then fsyncs and prunes its folder as `options` say. */
async function unlinkEntry(entry: string, stop: string, options: EntryOptions): Promise<void> {
  try {
    await unlink(entry);
  } catch (error) {
    if (code(error) !== 'ENOENT') throw error;
  }
  if (options.sync ?? true) await fsyncDir(dirname(entry)).catch(() => {});
  if (options.prune ?? true) await pruneEmpty(dirname(entry), stop);
}

/** Which file an entry is (device and inode), to remove exactly the entry a run placed. */
export interface EntryIdentity {
  dev: number;
  ino: number;
}

/** `lstat` made synchronously (see `sync-gate.ts`); `null` when nothing is there. */
function statOrNullSync(gate: SyncGate, path: string) {
  try {
    return gate.run(() => lstatSync(path, { throwIfNoEntry: false })) ?? null;
  } catch (error) {
    if (code(error) === 'ENOTDIR') return null;
    throw error;
  }
}

/**
 * The identity of the entry at `entry` now, or `null` when there is none; looked up
 * synchronously while `gate` is open (right after placing an entry its inode is cached, and
 * a run places thousands).
 */
export async function identityOf(entry: string, gate?: SyncGate): Promise<EntryIdentity | null> {
  const s = gate?.open ? statOrNullSync(gate, entry) : await statOrNull(entry);
  return s ? { dev: s.dev, ino: s.ino } : null;
}

/**
 * Removes the entry this process placed at `entry` (by its identity, taken right after placing
 * it), even when the blob it was linked to is gone: a file deleted while its move was under way
 * must not leave its bytes in the tree. Anything else at that place now stays, and so does an
 * entry reached through a symbolic link (a folder between `stop` and it replaced by a link).
 */
export async function removeOwnEntry(
  entry: string,
  placed: EntryIdentity,
  stop: string,
  options: EntryOptions = {},
): Promise<boolean> {
  const inside = await realFolders(stop, dirname(entry), false, options.checked).catch((error) => {
    if (FileForgeError.is(error)) return false;
    throw error;
  });
  if (!inside) return false;
  const now = await identityOf(entry);
  if (!now || now.dev !== placed.dev || now.ino !== placed.ino) return false;
  await unlinkEntry(entry, stop, options);
  return true;
}

/** Whether a placement failed because the blob itself is gone (its file was deleted meanwhile). */
export async function blobVanished(error: unknown, blob: string): Promise<boolean> {
  return code(error) === 'ENOENT' && (await statOrNull(blob)) === null;
}

/** Removes empty folders from `dir` upwards, stopping at `stop`. */
export async function pruneEmpty(dir: string, stop: string): Promise<void> {
  let current = dir;
  while (current !== stop && current.startsWith(`${stop}${sep}`)) {
    try {
      await rmdir(current);
    } catch {
      return; // not empty (or gone): done
    }
    current = dirname(current);
  }
}
