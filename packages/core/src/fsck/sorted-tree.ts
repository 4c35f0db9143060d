import { lstat, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { entryPath, isEntryOf, TEMP_PREFIX } from '../sorter/materialize.js';
import type { FileRow } from './integrity.js';
import type { FsckProblem } from './types.js';

/** Where the materialised tree is and how to find a blob's file. */
export interface SortedTreeTarget {
  /** `SORTED_FOLDER`. */
  root: string;
  /** The blob's local file (`BlobStore.localPath`). */
  blobPath(key: string): string;
}

const statOrNull = (path: string) => lstat(path).catch(() => null);

/**
 * Compares the sorted tree on disk with the catalog: every sorted record (whose blob is sound)
 * must have its entry at `<root>/<tenant>/<path>` (a link to its blob or an equal copy), and
 * every hard link to a stored blob found in the tree must sit where a record of that blob says.
 * Ordinary files people put in the tree are theirs, not problems.
 */
export async function checkSortedTree(target: SortedTreeTarget, sound: readonly FileRow[]) {
  const problems: FsckProblem[] = [];
  const expected = new Map<string, string>(); // `<tenant>/<path>` → blob key
  const blobInodes = new Map<string, Set<string>>(); // `dev:ino` → blob keys
  for (const file of sound) {
    const blob = target.blobPath(file.blob_key);
    const s = await statOrNull(blob);
    if (s) {
      const id = `${s.dev}:${s.ino}`;
      blobInodes.set(id, (blobInodes.get(id) ?? new Set()).add(file.blob_key));
    }
    if (file.path === null) continue;
    expected.set(`${file.tenant}/${file.path}`, file.blob_key);
    const entry = entryPath(target.root, file.tenant, file.path);
    const where = { key: file.blob_key, tenant: file.tenant, fileId: file.id, path: file.path };
    if (!(await statOrNull(entry))) problems.push({ kind: 'sorted-missing', ...where });
    else if (!(await isEntryOf(entry, blob))) problems.push({ kind: 'sorted-mismatch', ...where });
  }
  let entries = 0;
  const tree = await readdir(target.root, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const dirent of tree) {
    if (!dirent.isFile() || dirent.name.startsWith(TEMP_PREFIX)) continue;
    entries++;
    const full = join(dirent.parentPath, dirent.name);
    const s = await statOrNull(full);
    if (!s || s.nlink < 2) continue;
    const keys = blobInodes.get(`${s.dev}:${s.ino}`);
    if (!keys) continue;
    const rel = relative(target.root, full).split(sep).join('/');
    const at = expected.get(rel);
    if (at === undefined || !keys.has(at)) {
      const [tenant, ...rest] = rel.split('/');
      problems.push({ kind: 'sorted-stray', key: [...keys][0]!, tenant: tenant!, path: rest.join('/') });
    }
  }
  return { problems, entries };
}
