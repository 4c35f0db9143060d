import { join } from 'node:path';
import type { ForgeContext } from '../forge/context.js';
import { entryPath, placeEntry, removeEntry } from './materialize.js';
import { createSorterStore, type SorterStore } from './store.js';

/** The sorter's view of a forge: its context, its tables and, when materialised, the tree on disk. Internal. */
export interface SorterRuntime {
  ctx: ForgeContext;
  store: SorterStore;
  /** `SORTED_FOLDER`, or `null` when nothing is materialised (option off, or blobs without local files). */
  root: string | null;
  /** The blob's local file, when the tree is materialised. */
  blobPath(blobKey: string): string | null;
  /** A sorted path's entry on disk, when the tree is materialised. */
  entry(tenant: string, path: string): string | null;
  /** The tenant's folder of the tree (entries are never removed above it). */
  tenantRoot(tenant: string): string | null;
}

const runtimes = new WeakMap<ForgeContext, SorterRuntime>();

/** The {@link SorterRuntime} of a forge, made once per forge. */
export function sorterOf(ctx: ForgeContext): SorterRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    const localPath = ctx.blobs.localPath?.bind(ctx.blobs);
    const root = ctx.options.materialize && localPath ? ctx.options.sortedFolder : null;
    runtime = {
      ctx,
      store: createSorterStore(ctx.catalog),
      root,
      blobPath: (key) => (root && localPath ? localPath(key) : null),
      entry: (tenant, path) => (root ? entryPath(root, tenant, path) : null),
      tenantRoot: (tenant) => (root ? join(root, tenant) : null),
    };
    runtimes.set(ctx, runtime);
  }
  return runtime;
}

/** A record with a sorted path, as the tree on disk places it. */
type SortedRecord = { tenant: string; path: string | null; blobKey: string };

/**
 * The blob, the entry and the tenant's folder of `record` in the materialised tree, or `null`
 * when it has no entry there (no sorted path, nothing materialised, no SQL catalog).
 */
function placeOf(ctx: ForgeContext, record: SortedRecord) {
  if (record.path === null || !ctx.catalog.db) return null;
  const rt = sorterOf(ctx);
  const blob = rt.blobPath(record.blobKey);
  const entry = rt.entry(record.tenant, record.path);
  const root = rt.tenantRoot(record.tenant);
  return blob && entry && root ? { blob, entry, root } : null;
}

/**
 * Puts a record's entry back in the sorted folder (a delete that took it out first, then
 * failed). Failures are logged: `fileforge fsck --repair` places a missing entry too.
 */
export async function rematerialize(ctx: ForgeContext, record: SortedRecord): Promise<void> {
  const place = placeOf(ctx, record);
  if (!place) return;
  await placeEntry(place.blob, place.entry, place.root).catch((err) =>
    ctx.options.logger.warn({ err, path: record.path }, 'could not put a sorted entry back'),
  );
}

/**
 * Removes a record's entry from the sorted folder (the record is being deleted). Call before
 * its blob is deleted. Failures are logged: a stray link never fails a delete.
 */
export async function unmaterialize(ctx: ForgeContext, record: SortedRecord): Promise<void> {
  const place = placeOf(ctx, record);
  if (!place) return;
  await removeEntry(place.entry, place.blob, place.root).catch((err) =>
    ctx.options.logger.warn({ err, path: record.path }, 'could not remove a sorted entry'),
  );
}
