/**
 * The private temp copy behind `BlobStore.withLocalFile` for stores whose blobs are not plain
 * files on this disk (S3, encryption at rest): the blob (or its first `headBytes`) is streamed
 * into a fresh 0700 directory under `tempDir`, handed to `work`, and removed afterwards.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../fs/private-dir.js';
import type { WithLocalFileOptions } from './blob-store.js';

type Get = (key: string, opts: { start?: number; end?: number; signal?: AbortSignal }) => Promise<Readable>;

/**
 * Copies `key` through `get` into `<tempDir>/<dirPrefix>XXXXXX/<uuid>` (created 0700, the file
 * 0600 and exclusive), runs `work` on that path and removes the directory whatever happens.
 * `dirPrefix` lets the store's sweep recognise its own leftovers after a crash.
 */
export async function withTempCopy<T>(
  tempDir: string,
  dirPrefix: string,
  get: Get,
  key: string,
  work: (path: string) => Promise<T>,
  opts: WithLocalFileOptions = {},
): Promise<T> {
  await mkdir(tempDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const dir = await mkdtemp(join(tempDir, dirPrefix)); // mkdtemp makes it 0700
  try {
    const path = join(dir, randomUUID());
    const range = opts.headBytes === undefined ? {} : { start: 0, end: Math.max(0, opts.headBytes - 1) };
    const source = await get(key, { ...range, ...(opts.signal ? { signal: opts.signal } : {}) });
    await pipeline(
      source,
      createWriteStream(path, { flags: 'wx', mode: PRIVATE_FILE_MODE }),
      opts.signal ? { signal: opts.signal } : {},
    );
    return await work(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
