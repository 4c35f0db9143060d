import type { Catalog } from '../catalog/catalog.js';
import type { BlobStore } from '../storage/blob-store.js';
import { isReferenced, referencedKeys } from './references.js';

/** Options for {@link findOrphanBlobs} and {@link removeOrphanBlobs}. */
export interface OrphanBlobOptions {
  /**
   * Only blobs last written longer ago than this count as orphans: a blob a running upload has
   * just linked gets its record a moment later. `0` when the caller owns the store (start-up of
   * an embedded data directory).
   * @default 3600000 (one hour)
   */
  graceMs?: number;
  /** Injectable clock. @default Date.now */
  now?: () => number;
  signal?: AbortSignal;
}

/** A blob no record references. */
export interface OrphanBlob {
  key: string;
  size: number;
  modifiedAt: number;
}

/** The default grace period before an unreferenced blob counts as an orphan. */
export const DEFAULT_ORPHAN_GRACE_MS = 60 * 60 * 1000;

/**
 * Lists the blobs no file or derivative record references and that are older than the grace
 * period. Empty when the store cannot list (`BlobStore.list` is optional) or the catalog has no
 * SQL handle; {@link canFindOrphans} tells which.
 */
export async function findOrphanBlobs(
  catalog: Catalog,
  blobs: BlobStore,
  options: OrphanBlobOptions = {},
): Promise<OrphanBlob[]> {
  if (!canFindOrphans(catalog, blobs)) return [];
  const graceMs = options.graceMs ?? DEFAULT_ORPHAN_GRACE_MS;
  const now = options.now ?? Date.now;
  // Listed first, references read after: a blob committed while listing is already referenced.
  const listed: OrphanBlob[] = [];
  for await (const entry of blobs.list!()) {
    options.signal?.throwIfAborted();
    if (now() - entry.modifiedAt >= graceMs) listed.push(entry);
  }
  const referenced = await referencedKeys(catalog.db!());
  return listed.filter((b) => !referenced.has(b.key));
}

/** Whether orphans can be looked for: the store lists its blobs and the catalog is SQL. */
export function canFindOrphans(catalog: Catalog, blobs: BlobStore): boolean {
  return typeof blobs.list === 'function' && typeof catalog.db === 'function';
}

/**
 * Removes what {@link findOrphanBlobs} finds — blobs left by a crash between linking a blob and
 * committing its record (or between a derivative's put and its row). Each is checked for a
 * reference once more right before it goes. Returns the keys removed.
 */
export async function removeOrphanBlobs(
  catalog: Catalog,
  blobs: BlobStore,
  options: OrphanBlobOptions = {},
): Promise<string[]> {
  const removed: string[] = [];
  for (const orphan of await findOrphanBlobs(catalog, blobs, options)) {
    if (await removeIfUnreferenced(catalog, blobs, orphan.key)) removed.push(orphan.key);
  }
  return removed;
}

/** Deletes a blob unless a record points at it now. */
export async function removeIfUnreferenced(
  catalog: Catalog,
  blobs: BlobStore,
  key: string,
): Promise<boolean> {
  if (catalog.db && (await isReferenced(catalog.db(), key))) return false;
  await blobs.delete(key);
  return true;
}
