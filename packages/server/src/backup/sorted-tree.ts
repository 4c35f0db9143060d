/**
 * The sorted tree across `fileforge restore`: its entries noted before the swap (reading only)
 * and the tree rebuilt from the restored catalog after it (core's {@link noteSortedEntries} and
 * {@link rebuildSortedTree}). Only where the server materialises the tree: blobs on local disk
 * without encryption at rest.
 *
 * The noted entries are written to `DATA_DIR/restore-sorted-tree.json` before the swap and
 * removed once the tree is rebuilt, so a restore killed in between is rebuilt by the next
 * `fileforge restore` or `fileforge serve` ({@link finishSortedTreeRebuild}). Rebuilding from a
 * catalog that did not change (a restore killed before it committed) only puts the same
 * entries back, so the file is never a risk to keep.
 *
 * @module
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Catalog,
  type ForgeConfig,
  forgeOptionsFromConfig,
  type NotedEntry,
  noteSortedEntries,
  openCatalog,
  rebuildSortedTree,
  type SortedTreeLocation,
  type SortedTreeRebuild,
} from '@fileforge/core';
import { openConfiguredBlobStore } from './blob-store.js';
import { writeDurably } from './swap.js';

/** Where the entries noted before a restore wait until the tree is rebuilt. */
const NOTED_FILE = 'restore-sorted-tree.json';

/** Notes the live tree, then rebuilds it; see the module comment. */
export interface SortedTreeRestore {
  /**
   * Notes the entries that are the live catalog's files (none when there is no catalog yet) and
   * keeps them in the data directory until {@link SortedTreeRestore.rebuild}; never throws: why
   * it could not is in {@link SortedTreeRestore.noteFailure}.
   */
  note(): Promise<void>;
  /** Why the live tree could not be noted (its old entries then stay), or `null`. */
  readonly noteFailure: string | null;
  /** Removes the noted entries and places the restored catalog's sorted files. */
  rebuild(): Promise<SortedTreeRebuild>;
  /** Forgets the entries this restore noted (it was refused: the tree is as it was). */
  discard(): Promise<void>;
}

const nothingDone = (): SortedTreeRebuild => ({ removed: 0, placed: 0, occupied: [], failed: [] });

/** Runs `fn` on the catalog and the tree as they are now; `undefined` when there is no catalog. */
async function withTree<T>(
  config: ForgeConfig,
  fn: (catalog: Catalog, tree: SortedTreeLocation) => Promise<T>,
): Promise<T | undefined> {
  const catalog = await openCatalog(config.databaseUrl, { readOnly: true }).catch(() => null);
  if (!catalog) return undefined;
  try {
    const blobs = await openConfiguredBlobStore(config, config.uploadFolder);
    const localPath = blobs.localPath?.bind(blobs);
    if (!localPath) return undefined;
    return await fn(catalog, { root: config.sortedFolder, blobPath: localPath });
  } finally {
    await catalog.close();
  }
}

const materialised = (config: ForgeConfig) => {
  const options = forgeOptionsFromConfig(config);
  return !options.encryption && !options.s3;
};

/** The sorted tree's part in a restore, or `null` when the tree is not materialised. */
export function sortedTreeRestore(config: ForgeConfig): SortedTreeRestore | null {
  if (!materialised(config)) return null;
  const file = join(config.dataDir, NOTED_FILE);
  let noted: NotedEntry[] = [];
  let noteFailure: string | null = null;
  let kept = false;
  return {
    async note() {
      try {
        noted = (await withTree(config, noteSortedEntries)) ?? [];
        await writeDurably(file, JSON.stringify({ noted }));
        kept = true;
      } catch (error) {
        noteFailure = error instanceof Error ? error.message : String(error);
      }
    },
    get noteFailure() {
      return noteFailure;
    },
    async rebuild() {
      const done = await withTree(config, (catalog, tree) => rebuildSortedTree(catalog, tree, noted));
      await rm(file, { force: true });
      return done ?? nothingDone();
    },
    async discard() {
      if (kept) await rm(file, { force: true });
    },
  };
}

/**
 * Finishes the tree rebuild of a restore killed after it noted the tree (see the module
 * comment); `null` when none was left. Call it holding the data-directory lock, after
 * `recoverRestore` finished any committed swap.
 */
export async function finishSortedTreeRebuild(config: ForgeConfig): Promise<SortedTreeRebuild | null> {
  const file = join(config.dataDir, NOTED_FILE);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return null;
  let noted: NotedEntry[] = [];
  try {
    const parsed = JSON.parse(text) as { noted?: unknown };
    if (Array.isArray(parsed.noted)) noted = parsed.noted.filter(isNotedEntry);
  } catch {
    // Written whole through a rename: unreadable means damaged by hand; rebuild without it.
  }
  const done = materialised(config)
    ? await withTree(config, (catalog, tree) => rebuildSortedTree(catalog, tree, noted))
    : undefined;
  await rm(file, { force: true });
  return done ?? nothingDone();
}

function isNotedEntry(value: unknown): value is NotedEntry {
  const v = value as Partial<NotedEntry> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.tenant === 'string' &&
    typeof v.entry === 'string' &&
    typeof v.dev === 'number' &&
    typeof v.ino === 'number' &&
    typeof v.size === 'number' &&
    typeof v.mtimeMs === 'number'
  );
}
