/**
 * The blob store as the configuration describes it — engine and encryption at rest — for the
 * forge and for every command that opens the store without one (backup, restore, fsck,
 * `keys rotate`), so none of them wraps it differently.
 *
 * @module
 */
import { join } from 'node:path';
import type { BlobStore } from './blob-store.js';
import { createEncryptedBlobStore } from './encrypted.js';
import type { KeyRing } from './key-ring.js';
import { type OpenBlobStoreOptions, openBlobStore } from './open.js';

/** Options of {@link openConfiguredBlobStore} and {@link encryptAtRest}. */
export interface ConfiguredBlobStoreOptions extends OpenBlobStoreOptions {
  /** The master keys (ENCRYPTION_KEY); without them blobs are stored in plaintext. @default none */
  keyRing?: KeyRing | undefined;
  /** DATA_DIR: decrypted temp copies for tools that seek live in `<dataDir>/tmp/decrypted`. */
  dataDir: string;
}

/**
 * With a key ring, wraps `store` so every blob is encrypted at rest (a store that already
 * encrypts is returned as it is); without one, returns `store`.
 */
export function encryptAtRest(
  store: BlobStore,
  options: Pick<ConfiguredBlobStoreOptions, 'keyRing' | 'dataDir' | 'sweepGraceMs'>,
): BlobStore {
  if (!options.keyRing || 'rewrap' in store) return store;
  return createEncryptedBlobStore({
    inner: store,
    keyRing: options.keyRing,
    tempDir: join(options.dataDir, 'tmp', 'decrypted'),
    ...(options.sweepGraceMs === undefined ? {} : { sweepGraceMs: options.sweepGraceMs }),
  });
}

/**
 * Opens the configured engine ({@link openBlobStore}) and, with a key ring, wraps it exactly
 * as `createForge` does. Opening writes nothing.
 *
 * @example
 * ```ts
 * const options = forgeOptionsFromConfig(config);
 * const blobs = await openConfiguredBlobStore({
 *   root: config.uploadFolder, dataDir: config.dataDir, keyRing: keyRingFromEnv(config.env),
 * });
 * ```
 */
export async function openConfiguredBlobStore(options: ConfiguredBlobStoreOptions): Promise<BlobStore> {
  const { keyRing: _keyRing, dataDir: _dataDir, ...engine } = options;
  return encryptAtRest(await openBlobStore(engine), options);
}
