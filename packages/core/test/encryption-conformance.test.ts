import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEncryptedBlobStore, createKeyRing, createLocalBlobStore } from '@fileforge/core';
import { describeBlobStore } from '@fileforge/core/testing';

/** A fresh encrypting store over local disk in its own temp folder, with `options` added. */
const encryptedOverLocal =
  (options: { segmentSize?: number } = {}) =>
  async () => {
    const root = await mkdtemp(join(tmpdir(), 'fileforge-enc-conformance-'));
    return {
      store: createEncryptedBlobStore({
        inner: createLocalBlobStore({ root: join(root, 'blobs') }),
        keyRing: createKeyRing({ keys: [randomBytes(32)] }),
        tempDir: join(root, 'tmp'),
        ...options,
      }),
      teardown: () => rm(root, { recursive: true, force: true }),
    };
  };

// The shared suite, unchanged, over the encrypting wrapper: sizes, hashes, ranges, caps, aborts
// and head inspection must behave exactly as on the store it wraps.
describeBlobStore('encrypted over local disk', encryptedOverLocal());

// A small segment size puts the suite's multi-MiB blob and its range reads across many segments.
describeBlobStore('encrypted over local disk, 1 KiB segments', encryptedOverLocal({ segmentSize: 1024 }));
