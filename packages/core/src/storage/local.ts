/**
 * Local-disk blob store.
 *
 * How this works: a put streams into `<root>/.tmp/<random>.part` (same filesystem as the
 * final place) through a {@link ByteMeter} that hashes, counts and enforces the size cap,
 * fsyncs the file, then `link()`s it to its final path — `EEXIST` means an existing blob is
 * never silently overwritten — removes the temp name and fsyncs the directory. A failed or
 * aborted put removes its temp file; a crash can only leave a `.part` file, which
 * {@link BlobStore.sweep} removes at start-up. Readers therefore see complete blobs or none.
 * Blobs are created read-only (0400): a stored blob is never written again, and one that
 * the sorted tree hard-links must not change when someone edits the materialised file.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { constants, createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { chmod, link, mkdir, open, readdir, rm, stat, statfs, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ErrorCode, FileForgeError, toFileForgeError } from '../errors/index.js';
import { crashPoint, crashTap } from '../forge/crash-point.js';
import { BLOB_FILE_MODE, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../fs/private-dir.js';
import { ByteMeter } from '../stream/meter.js';
import type {
  BlobAdoptOptions,
  BlobGetOptions,
  BlobListEntry,
  BlobPutOptions,
  BlobPutResult,
  BlobStore,
  BlobStoreHealth,
  BlobSweepOptions,
} from './blob-store.js';
import { holdSource } from './put-source.js';
import { isKey, resolveKey } from './safe-key.js';

/** Options for {@link createLocalBlobStore}. */
export interface LocalBlobStoreOptions {
  /** Directory that holds the blobs; created if missing. */
  root: string;
  /**
   * Only temp files older than this are swept, so several processes may share a root.
   * @default 0 (one process owns the root: everything left in `.tmp` is a crash leftover)
   */
  sweepGraceMs?: number;
  /** Injectable clock for the sweep. @default Date.now */
  now?: () => number;
}

const TEMP_DIR = '.tmp';
/** Where callers stage files to adopt (resumable uploads); not a key (keys never start with a dot). */
const STAGING_DIR = '.staging';

async function fsyncDir(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Creates a {@link BlobStore} on the local filesystem.
 *
 * @example
 * ```ts
 * const blobs = createLocalBlobStore({ root: './data/uploads' });
 * const { sha256, size } = await blobs.put('default/01hx…', createReadStream('photo.jpg'));
 * ```
 */
export function createLocalBlobStore(options: LocalBlobStoreOptions): BlobStore {
  if (!options?.root)
    throw new FileForgeError(ErrorCode.INVALID_CONFIG, '[fileforge:storage] Missing required option "root"');
  const root = options.root;
  const tempDir = join(root, TEMP_DIR);
  const sweepGraceMs = options.sweepGraceMs ?? 0;
  const now = options.now ?? Date.now;
  // Every time, not once: a temp directory removed while the process runs (a cleaner, an emptied
  // volume) is made again, so the health check and uploads recover without a restart.
  const ensureDirs = () => mkdir(tempDir, { recursive: true, mode: PRIVATE_DIR_MODE }).then(() => undefined);

  async function put(key: string, source: Readable | AsyncIterable<Uint8Array>, opts: BlobPutOptions = {}) {
    const held = holdSource(source);
    let finalPath: string;
    try {
      finalPath = resolveKey(root, key);
      await ensureDirs();
    } catch (error) {
      held.release();
      throw toFileForgeError(error);
    }
    const tempPath = join(tempDir, `${randomUUID()}.part`);
    const meter = new ByteMeter({
      ...(opts.maxBytes === undefined ? {} : { maxBytes: opts.maxBytes }),
      ...(opts.head ? { head: opts.head } : {}),
    });
    let linked = false;
    let out: WriteStream | undefined;
    try {
      // `flush` fsyncs the file before it is closed: the blob is durable before it is linked.
      // Created read-only (0400): the open descriptor may still write, but once linked into
      // place the blob cannot be opened for writing (the sorted tree hard-links it), and
      // nothing ever rewrites a stored blob in place.
      out = createWriteStream(tempPath, { flags: 'wx', mode: BLOB_FILE_MODE, flush: true });
      const streamOptions = opts.signal ? { signal: opts.signal } : {};
      const tap = crashTap('upload:body');
      if (tap) await pipeline(source, tap, meter, out, streamOptions);
      else await pipeline(source, meter, out, streamOptions);
      crashPoint('upload', 'after-fsync');
      await mkdir(dirname(finalPath), { recursive: true, mode: PRIVATE_DIR_MODE });
      await link(tempPath, finalPath);
      linked = true;
      crashPoint('upload', 'after-link');
      await unlink(tempPath);
      await fsyncDir(dirname(finalPath));
      return { key, size: meter.bytes, sha256: meter.sha256 } satisfies BlobPutResult;
    } catch (error) {
      // A refusal (the head inspector, a size cap) can come before the stream has even opened
      // its file: the open still completes and creates it. Wait for the stream to close so the
      // file is there to remove, instead of outliving the refusal until the next sweep.
      const stream = out;
      if (stream && !stream.closed) {
        const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
        stream.destroy(); // a no-op when the pipeline already did; it closes once opened
        await closed;
      }
      await rm(tempPath, { force: true }).catch(() => {});
      if (linked) await rm(finalPath, { force: true }).catch(() => {});
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new FileForgeError(ErrorCode.CONFLICT, `[fileforge:storage] Blob ${key} already exists`, {
          cause: error,
        });
      }
      throw toFileForgeError(error);
    }
  }

  // The staged file becomes the blob: same inode, made read-only and durable, linked into place.
  async function adopt(key: string, path: string, opts: BlobAdoptOptions): Promise<BlobPutResult> {
    const finalPath = resolveKey(root, key);
    try {
      await chmod(path, BLOB_FILE_MODE);
      const handle = await open(path, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await mkdir(dirname(finalPath), { recursive: true, mode: PRIVATE_DIR_MODE });
      await link(path, finalPath);
      crashPoint('upload', 'after-link');
      await fsyncDir(dirname(finalPath));
      return { key, size: opts.size, sha256: opts.sha256 };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new FileForgeError(ErrorCode.CONFLICT, `[fileforge:storage] Blob ${key} already exists`, {
          cause: error,
        });
      }
      throw toFileForgeError(error);
    }
  }

  async function get(key: string, opts: BlobGetOptions = {}): Promise<Readable> {
    const path = resolveKey(root, key);
    // O_NOFOLLOW: a symbolic link planted where a blob belongs is refused, never followed
    // (security spec H8: it would serve whatever file it points at).
    const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ELOOP')
          throw new FileForgeError(ErrorCode.NOT_FOUND, `[fileforge:storage] Blob ${key} not found`);
        throw toFileForgeError(error);
      },
    );
    try {
      return createReadStream('', {
        fd: handle,
        highWaterMark: 1 << 20,
        ...(opts.start === undefined ? {} : { start: opts.start }),
        ...(opts.end === undefined ? {} : { end: opts.end }),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (error) {
      await handle.close();
      throw toFileForgeError(error);
    }
  }

  async function statBlob(key: string) {
    try {
      const s = await stat(resolveKey(root, key));
      return { size: s.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw toFileForgeError(error);
    }
  }

  async function remove(key: string): Promise<void> {
    const path = resolveKey(root, key);
    await rm(path, { force: true });
  }

  async function check(): Promise<BlobStoreHealth> {
    try {
      await ensureDirs();
      const probe = join(tempDir, `${randomUUID()}.probe`);
      const handle = await open(probe, 'wx', PRIVATE_FILE_MODE);
      try {
        await handle.writeFile('ok');
      } finally {
        await handle.close();
        await unlink(probe).catch(() => {});
      }
      const fs = await statfs(root);
      return { engine: 'local', freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize };
    } catch (error) {
      throw new FileForgeError(ErrorCode.STORAGE_UNAVAILABLE, `[fileforge:storage] ${root} is not writable`, {
        cause: error,
      });
    }
  }

  async function sweep(opts: BlobSweepOptions = {}): Promise<number> {
    const grace = Math.max(sweepGraceMs, opts.olderThanMs ?? 0);
    await ensureDirs();
    let removed = 0;
    for (const name of await readdir(tempDir)) {
      const path = join(tempDir, name);
      const s = await stat(path).catch(() => undefined);
      if (!s || now() - s.mtimeMs < grace) continue;
      await rm(path, { force: true, recursive: true });
      removed++;
    }
    return removed;
  }

  async function space() {
    const fs = await statfs(root);
    return { freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize };
  }

  // Every blob under the root (the temp area and names no put could make are skipped).
  async function* list(): AsyncIterable<BlobListEntry> {
    await ensureDirs();
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const key = relative(root, join(entry.parentPath, entry.name)).split(sep).join('/');
      if (key.startsWith(`${TEMP_DIR}/`) || !isKey(key)) continue;
      const s = await stat(join(root, key)).catch(() => undefined);
      if (s) yield { key, size: s.size, modifiedAt: s.mtimeMs };
    }
  }

  // Stored blobs are read-only (0400): a header patch makes one writable for the moment it takes.
  async function patch(key: string, offset: number, bytes: Uint8Array): Promise<void> {
    const path = resolveKey(root, key);
    const { size } = await stat(path);
    if (offset < 0 || offset + bytes.length > size) {
      throw new FileForgeError(ErrorCode.INTERNAL, `[fileforge:storage] Patch outside blob ${key}`);
    }
    await chmod(path, PRIVATE_FILE_MODE);
    try {
      const handle = await open(path, 'r+');
      try {
        await handle.write(bytes, 0, bytes.length, offset);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } finally {
      await chmod(path, BLOB_FILE_MODE);
    }
  }

  return {
    put,
    get,
    stat: statBlob,
    delete: remove,
    check,
    sweep,
    space,
    list,
    stagingDir: () => join(root, STAGING_DIR),
    adopt,
    localPath: (key) => resolveKey(root, key),
    withLocalFile: (key, work) => work(resolveKey(root, key)),
    patch,
  };
}
