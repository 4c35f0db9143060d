/**
 * The sorted tree across a change of the whole catalog (a restore). The tree on disk is a view
 * of the catalog: each sorted file's entry is a hard link to its blob, or a copy. A restore
 * replaces the catalog and the blobs, so the entries it leaves behind show the files as they
 * were before it: links to blobs no longer stored, at places the restored catalog may not name.
 *
 * How this works: before the change, {@link noteSortedEntries} notes the entries that really
 * are the catalog's files (a link to the blob, or an equal copy) with the inode, size and
 * modification time each has; it
 * only reads, so a change that does not happen leaves the tree as it was. After it,
 * {@link rebuildSortedTree} removes each noted entry still the same file (with the folders it
 * leaves empty; never through a folder replaced by a symbolic link), then places every sorted
 * file of the new catalog. Files people put in the
 * tree are never noted, so never removed; a file of the new catalog whose place such a file
 * holds is left out and reported, as the sorter does.
 *
 * @module
 */
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalog } from '../catalog/catalog.js';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { type EntryIdentity, entryPath, isEntryOf, placeEntry, removeOwnEntry } from './materialize.js';

/** Where the materialised tree is and how to find a blob's file. */
export interface SortedTreeLocation {
  /** `SORTED_FOLDER`. */
  root: string;
  /** The blob's local file (`BlobStore.localPath`). */
  blobPath(key: string): string;
}

/**
 * An entry of the tree that was its catalog's file, and the file it was: its inode, and its
 * size and modification time (an inode freed and given to a new file has other ones).
 */
export interface NotedEntry extends EntryIdentity {
  tenant: string;
  entry: string;
  size: number;
  mtimeMs: number;
}

/** What {@link rebuildSortedTree} did. */
export interface SortedTreeRebuild {
  /** Entries of the old catalog removed. */
  removed: number;
  /** Sorted files of the new catalog placed (or found in place). */
  placed: number;
  /** `<tenant>/<path>` of sorted files whose place holds something else (left as it is). */
  occupied: string[];
  /** `<tenant>/<path>` of sorted files that could not be placed (a blob missing, an I/O error). */
  failed: string[];
}

/** The catalog's sorted files, every tenant's. */
async function sortedFiles(catalog: Catalog) {
  const db = catalog.db?.();
  if (!db) return [];
  return db
    .selectFrom('files')
    .select(['tenant', 'path', 'blob_key'])
    .where('path', 'is not', null)
    .orderBy('id')
    .execute();
}

/** Notes the entries of `tree` that are `catalog`'s sorted files; reads only. */
export async function noteSortedEntries(catalog: Catalog, tree: SortedTreeLocation): Promise<NotedEntry[]> {
  const noted: NotedEntry[] = [];
  for (const file of await sortedFiles(catalog)) {
    const entry = entryPath(tree.root, file.tenant, file.path as string);
    const s = await lstat(entry).catch(() => null);
    if (!s?.isFile()) continue;
    if (!(await isEntryOf(entry, tree.blobPath(file.blob_key)).catch(() => false))) continue;
    noted.push({ tenant: file.tenant, entry, dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs });
  }
  return noted;
}

/**
 * Removes the `noted` entries still in place, then places every sorted file of `catalog` (the
 * new one). Never throws for one entry: what it could not do is in the result.
 */
export async function rebuildSortedTree(
  catalog: Catalog,
  tree: SortedTreeLocation,
  noted: readonly NotedEntry[],
): Promise<SortedTreeRebuild> {
  const result: SortedTreeRebuild = { removed: 0, placed: 0, occupied: [], failed: [] };
  for (const n of noted) {
    const s = await lstat(n.entry).catch(() => null);
    if (!s || s.size !== n.size || s.mtimeMs !== n.mtimeMs) continue;
    const gone = await removeOwnEntry(n.entry, n, join(tree.root, n.tenant)).catch(() => false);
    if (gone) result.removed++;
  }
  for (const file of await sortedFiles(catalog)) {
    const path = file.path as string;
    try {
      await placeEntry(
        tree.blobPath(file.blob_key),
        entryPath(tree.root, file.tenant, path),
        join(tree.root, file.tenant),
      );
      result.placed++;
    } catch (error) {
      const where = `${file.tenant}/${path}`;
      if (FileForgeError.is(error) && error.code === ErrorCode.CONFLICT) result.occupied.push(where);
      else result.failed.push(where);
    }
  }
  return result;
}
