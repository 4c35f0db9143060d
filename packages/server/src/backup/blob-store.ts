import { type BlobStore, type ForgeConfig, openBlobStore } from '@fileforge/core';

/**
 * Opens the blob store at `root` the way the server opens its own (same engine, same
 * encryption), for the backup and restore commands, which run without a forge. Opening it
 * writes nothing; only `put` does.
 */
export function openConfiguredBlobStore(_config: ForgeConfig, root: string): Promise<BlobStore> {
  return openBlobStore({ root });
}
