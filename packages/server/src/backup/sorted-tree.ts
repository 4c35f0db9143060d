/**
 * The sorted tree across `fileforge restore`: its entries noted before the swap (reading only)
 * and the tree rebuilt from the restored catalog after it (core's {@link noteSortedEntries} and
 * {@link rebuildSortedTree}). Only where the server materialises the tree: blobs on local disk
 * without encryption at rest.
 *
 * @module
 */
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

/** Notes the live tree, then rebuilds it; see the module comment. */
export interface SortedTreeRestore {
  /**
   * Notes the entries that are the live catalog's files (none when there is no catalog yet);
   * never throws: why it could not is in {@link SortedTreeRestore.noteFailure}.
   */
  note(): Promise<void>;
  /** Why the live tree could not be noted (its old entries then stay), or `null`. */
  readonly noteFailure: string | null;
  /** Removes the noted entries and places the restored catalog's sorted files. */
  rebuild(): Promise<SortedTreeRebuild>;
}

/** The sorted tree's part in a restore, or `null` when the tree is not materialised. */
export function sortedTreeRestore(config: ForgeConfig): SortedTreeRestore | null {
  const options = forgeOptionsFromConfig(config);
  if (options.encryption || options.s3) return null;
  let noted: NotedEntry[] = [];
  /** Runs `fn` on the catalog and the tree as they are now; `undefined` when there is no catalog. */
  const withTree = async <T>(fn: (catalog: Catalog, tree: SortedTreeLocation) => Promise<T>) => {
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
  };
  let noteFailure: string | null = null;
  return {
    async note() {
      noted =
        (await withTree(noteSortedEntries).catch((error: unknown) => {
          noteFailure = error instanceof Error ? error.message : String(error);
          return undefined;
        })) ?? [];
    },
    get noteFailure() {
      return noteFailure;
    },
    async rebuild() {
      const done = await withTree((catalog, tree) => rebuildSortedTree(catalog, tree, noted));
      return done ?? { removed: 0, placed: 0, occupied: [], failed: [] };
    },
  };
}
