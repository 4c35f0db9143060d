import {
  type BlobStore,
  type ForgeConfig,
  forgeOptionsFromConfig,
  type KeyRing,
  openConfiguredBlobStore as openStore,
  type S3Location,
} from '@fileforge/core';

/**
 * Opens the blob store at `root` the way the server opens its own — same engine, and with
 * ENCRYPTION_KEY the same encryption at rest, through core's `openConfiguredBlobStore` — for
 * the backup and restore commands, which run without a forge. A backup therefore reads
 * plaintext (the archive holds plaintext content: protect it), and a restore writes every blob
 * encrypted under the current key. Opening writes nothing; only `put` does.
 */
export function openConfiguredBlobStore(
  config: ForgeConfig,
  root: string,
  extra: { sweepGraceMs?: number; s3?: S3Location } = {},
): Promise<BlobStore> {
  const options = forgeOptionsFromConfig(config);
  return openStore({
    root,
    dataDir: config.dataDir,
    keyRing: options.encryption as KeyRing | undefined,
    ...(options.s3 ? { s3: options.s3 } : {}),
    ...extra,
  });
}
