import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BlobStore, createEncryptedBlobStore, createKeyRing } from '@fileforge/core';
import { createS3BlobStore } from '@fileforge/core/storage/s3';
import { describeBlobStore } from '@fileforge/core/testing';
import { type S3Emulator, startS3Emulator } from '@fileforge/test-fixtures/s3';
import { afterAll } from 'vitest';

// One emulator for the file; each test gets a fresh, empty store under its own key prefix.
let emulator: Promise<S3Emulator> | undefined;
afterAll(async () => {
  await (await emulator)?.close();
});

/** A fresh S3 store (its own prefix and temp folder), optionally wrapped by `wrap`. */
const onS3 =
  (wrap: (store: BlobStore, dir: string) => BlobStore = (store) => store) =>
  async () => {
    emulator ??= startS3Emulator();
    const s3 = await emulator;
    const dir = await mkdtemp(join(tmpdir(), 'fileforge-s3-conformance-'));
    const store = createS3BlobStore({
      bucket: s3.bucket,
      endpoint: s3.endpoint,
      region: s3.region,
      credentials: s3.credentials,
      prefix: `${randomUUID()}/`,
      tempDir: join(dir, 'tmp'),
    });
    return { store: wrap(store, dir), teardown: () => rm(dir, { recursive: true, force: true }) };
  };

// The shared suite, unchanged, against an S3-compatible service (issue 13).
describeBlobStore('S3 (s3rver emulator)', onS3());

// Encryption at rest over S3: the same suite through the encrypting wrapper.
describeBlobStore(
  'encrypted over S3 (s3rver emulator)',
  onS3((inner, dir) =>
    createEncryptedBlobStore({
      inner,
      keyRing: createKeyRing({ keys: [randomBytes(32)] }),
      tempDir: join(dir, 'decrypted'),
    }),
  ),
);
