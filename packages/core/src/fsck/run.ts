import type { Catalog } from '../catalog/catalog.js';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { entryPath, placeEntry } from '../sorter/materialize.js';
import type { BlobStore } from '../storage/blob-store.js';
import { checkRecords } from './integrity.js';
import { canFindOrphans, DEFAULT_ORPHAN_GRACE_MS, findOrphanBlobs, removeIfUnreferenced } from './orphans.js';
import { checkSortedTree } from './sorted-tree.js';
import type { FsckProblem, FsckReport } from './types.js';

/** Options for {@link runFsck}. */
export interface FsckOptions {
  catalog: Catalog;
  /** The blob store; open it with a `sweepGraceMs` when a server may be running. */
  blobs: BlobStore;
  /** `SORTED_FOLDER` when the sorted tree is materialised; `null` skips the tree. @default null */
  sortedFolder?: string | null;
  /**
   * Remove orphan blobs and derivative rows without a parent or without sound content, mark
   * damaged file records, re-link missing sorted entries, sweep old temp files. Without it fsck
   * changes nothing. @default false
   */
  repair?: boolean;
  /** Unreferenced blobs (and temp files) younger than this are not problems. @default one hour */
  graceMs?: number;
  /** Injectable clock. @default Date.now */
  now?: () => number;
  signal?: AbortSignal;
}

/**
 * Checks a data directory's catalog against its blob store and sorted tree: blobs no record
 * references (past the grace period), records whose blob is missing or altered, derivatives
 * without a parent, sorted entries that disagree with the catalog. Read-only unless `repair`.
 * Safe while a server runs on the same data: it only reads, and repairs touch nothing a
 * running upload could still be writing (the grace period) or that is sound.
 *
 * @example
 * ```ts
 * const report = await runFsck({ catalog, blobs, sortedFolder: './data/sorted' });
 * if (report.problems.length > 0) process.exitCode = 1;
 * ```
 */
export async function runFsck(options: FsckOptions): Promise<FsckReport> {
  const { catalog, blobs, signal } = options;
  if (!catalog.db) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:fsck] The catalog has no SQL handle to check',
    );
  }
  const db = catalog.db();
  const now = options.now ?? Date.now;
  const graceMs = options.graceMs ?? DEFAULT_ORPHAN_GRACE_MS;
  const skipped: string[] = [];
  const problems: FsckProblem[] = [];

  // Orphans are listed before the records are read: a blob committed meanwhile is referenced.
  const listable = canFindOrphans(catalog, blobs);
  if (!listable) skipped.push('orphan blobs: the blob store cannot list its blobs');
  const orphans = listable
    ? await findOrphanBlobs(catalog, blobs, { graceMs, now, ...(signal ? { signal } : {}) })
    : [];
  let blobCount = 0;
  if (blobs.list) for await (const _ of blobs.list()) blobCount++;
  for (const o of orphans) problems.push({ kind: 'orphan-blob', key: o.key, detail: `${o.size} bytes` });

  const records = await checkRecords(db, blobs, signal);
  problems.push(...records.problems);

  let sortedEntries = 0;
  const localPath = blobs.localPath?.bind(blobs);
  if (options.sortedFolder && localPath) {
    const tree = await checkSortedTree({ root: options.sortedFolder, blobPath: localPath }, records.sound);
    problems.push(...tree.problems);
    sortedEntries = tree.entries;
  } else if (options.sortedFolder) {
    skipped.push('sorted tree: the blob store has no local files');
  }

  let tempRemoved = 0;
  if (options.repair) {
    const at = new Date(now()).toISOString();
    for (const problem of problems) await repair(problem);
    tempRemoved = await blobs.sweep();
    async function repair(p: FsckProblem): Promise<void> {
      if (p.kind === 'orphan-blob' && p.key) {
        if (await removeIfUnreferenced(catalog, blobs, p.key)) p.repaired = 'removed';
      } else if ((p.kind === 'blob-missing' || p.kind === 'sha256-mismatch') && p.fileId) {
        await db
          .updateTable('files')
          .set({
            damaged_at: at,
            damage_reason: p.kind === 'blob-missing' ? 'blob_missing' : 'sha256_mismatch',
          })
          .where('id', '=', p.fileId)
          .where('damaged_at', 'is', null)
          .execute();
        p.repaired = 'marked-damaged';
      } else if ((p.kind === 'derivative-orphan' || p.kind === 'derivative-damaged') && p.fileId && p.name) {
        // A derivative is rebuilt by reprocessing its parent; a broken or parentless one goes.
        await db
          .deleteFrom('derivatives')
          .where('file_id', '=', p.fileId)
          .where('name', '=', p.name)
          .execute();
        if (p.key) await removeIfUnreferenced(catalog, blobs, p.key);
        p.repaired = 'removed';
      } else if (
        p.kind === 'sorted-missing' &&
        options.sortedFolder &&
        localPath &&
        p.tenant &&
        p.path &&
        p.key
      ) {
        const root = options.sortedFolder;
        await placeEntry(localPath(p.key), entryPath(root, p.tenant, p.path), `${root}/${p.tenant}`);
        p.repaired = 'relinked';
      }
    }
  }
  return {
    checked: {
      files: records.files.length,
      derivatives: records.derivatives,
      blobs: blobCount,
      sortedEntries,
    },
    problems,
    skipped,
    tempRemoved,
  };
}
