/**
 * The tus data store of FileForge's resumable uploads: @tus/file-store's `FileStore` staging
 * each upload as one file in a directory on the blob store's filesystem, plus what tus
 * itself does not do:
 *
 * - **checksum** (tus checksum extension, `sha256` only): the chunk is hashed as it is
 *   written; on a mismatch the file is truncated back to the offset the chunk started at
 *   and the request answers 460, so the upload is exactly as before.
 * - **hashing as the bytes arrive**: a running SHA-256 per upload is extended by every chunk
 *   (on a copy, committed only when the chunk is kept), so completion needs no read pass.
 *   The hash state lives in memory; after a restart (or a chunk that could not be accounted
 *   for) it is gone, and completion hashes the staged file in one read instead.
 * - **state on disk** ({@link UploadStateStore}): tenant, owner and the future file id beside
 *   the tus fields, written atomically, so an upload resumes after a restart.
 * - **background flush**: each kept chunk starts an fdatasync, so the fsync that completion
 *   owes (a blob is durable before its record) does not wait for a whole file's writeback.
 * - **expiry sweep** that also removes completed uploads' state and stray files.
 *
 * @module
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createId, ErrorCode, FileForgeError, toFileForgeError } from '@fileforge/core';
import { FileStore } from '@tus/file-store';
import { ERRORS, Upload } from '@tus/server';
import { tusRequest } from './context.js';
import { StagedWriter } from './staged-writer.js';
import { type StoredUpload, UPLOAD_ID, type UploadFacts, UploadStateStore } from './state.js';

/** errnos of a disk that refused a write, as opposed to a body that broke off. */
const STORAGE_ERRNOS: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO', 'EMFILE', 'ENFILE']);

/** Options for {@link StagingStore}. */
export interface StagingStoreOptions {
  directory: string;
  /** Unfinished uploads older than this answer 410 and are swept. */
  expiryMs: number;
  /** @default Date.now */
  now?: () => number;
}

/** See the module comment. */
export class StagingStore extends FileStore {
  readonly states: UploadStateStore;
  readonly #hashes = new Map<string, { offset: number; hash: Hash }>();
  readonly #flushing = new Map<string, Promise<void>>();
  readonly #now: () => number;

  constructor(options: StagingStoreOptions) {
    const states = new UploadStateStore(options.directory);
    super({
      directory: options.directory,
      configstore: states as unknown as ConstructorParameters<typeof FileStore>[0]['configstore'],
      expirationPeriodInMilliseconds: options.expiryMs,
    });
    this.states = states;
    this.#now = options.now ?? Date.now;
    this.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration', 'checksum'];
  }

  /** Path of an upload's staged bytes. */
  stagedPath(id: string): string {
    return join(this.directory, id);
  }

  override async create(upload: Upload): Promise<Upload> {
    const context = tusRequest.getStore();
    if (!context) throw new FileForgeError(ErrorCode.INTERNAL, '[fileforge:uploads] No request context');
    const path = this.stagedPath(upload.id);
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    await writeFile(path, '', { flag: 'wx', mode: 0o600 });
    upload.creation_date = new Date(this.#now()).toISOString();
    const facts: UploadFacts = { ...context.owner, fileId: createId(), completed: false };
    await this.states.set(upload.id, { ...(upload as StoredUpload), fileforge: facts });
    upload.storage = { type: 'file', path };
    this.#hashes.set(upload.id, { offset: 0, hash: createHash('sha256') });
    return upload;
  }

  /**
   * Writes a PATCH body to the staged file at `offset` (through {@link StagedWriter}, in place
   * of FileStore's stream chain), hashing it as it goes. Bytes that reached the file before the
   * body ended or broke off are kept, as with FileStore: the next HEAD reports them.
   */
  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    const expected = tusRequest.getStore()?.checksum;
    const running = this.#hashes.get(id);
    const whole = running && running.offset === offset ? running.hash.copy() : undefined;
    const chunk = expected ? createHash('sha256') : undefined;
    const sink = new StagedWriter(this.stagedPath(id), offset, [whole, chunk]);
    try {
      await pipeline(readable, sink);
    } catch {
      // A write in flight when the body broke off still lands: wait for it (the sink closes
      // after it), so the offset the next HEAD reports does not grow afterwards.
      if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()));
      this.#hashes.delete(id);
      // The disk refused the write (full, read-only, failing): say so — 507 for a full disk —
      // rather than a retryable 503. The bytes written so far stay and count either way.
      const refused = (sink.errored as NodeJS.ErrnoException | null)?.code;
      if (refused && STORAGE_ERRNOS.has(refused)) throw toFileForgeError(sink.errored);
      throw ERRORS.FILE_WRITE_ERROR; // what FileStore answers for a body that broke off
    }
    const newOffset = offset + sink.written;
    if (chunk && expected && !chunk.digest().equals(expected)) {
      await truncate(this.stagedPath(id), offset);
      throw new FileForgeError(
        ErrorCode.CHECKSUM_MISMATCH,
        'The chunk does not match its Upload-Checksum; nothing of it was kept',
        { details: { offset } },
      );
    }
    if (whole) this.#hashes.set(id, { offset: newOffset, hash: whole });
    else this.#hashes.delete(id);
    this.#flushSoon(id);
    return newOffset;
  }

  /**
   * Starts writing the staged bytes to disk in the background (one flush per upload at a
   * time). Completion must fsync the file before it becomes a blob; flushing while the next
   * chunks arrive leaves that fsync little to do instead of a whole file's writeback at the end.
   */
  #flushSoon(id: string): void {
    if (this.#flushing.has(id)) return;
    const path = this.stagedPath(id);
    const flushing = (async () => {
      const handle = await open(path, 'r');
      try {
        await handle.datasync();
      } finally {
        await handle.close();
      }
    })()
      .catch(() => {})
      .finally(() => this.#flushing.delete(id));
    this.#flushing.set(id, flushing);
  }

  /** The SHA-256 of the whole upload when it was hashed while it arrived; `undefined` otherwise. */
  takeSha256(id: string, size: number): string | undefined {
    const running = this.#hashes.get(id);
    this.#hashes.delete(id);
    return running && running.offset === size ? running.hash.digest('hex') : undefined;
  }

  /**
   * Removes the staged bytes of a completed upload, then records it complete: a crash in
   * between leaves it not yet complete, and the next completion removes them (they may be the
   * file's blob's other link, keeping a deleted file's bytes on disk until the expiry).
   */
  async markCompleted(id: string): Promise<void> {
    this.#hashes.delete(id);
    await rm(this.stagedPath(id), { force: true });
    const stored = await this.states.get(id);
    if (stored?.fileforge && !stored.fileforge.completed)
      await this.states.set(id, { ...stored, fileforge: { ...stored.fileforge, completed: true } });
  }

  /**
   * The upload as tus sees it. A completed upload's staged bytes are gone (see
   * {@link markCompleted}): it is answered whole from its state, so that the creating POST of a
   * creation-with-upload, which reads it once more after completing it, answers 201 and not
   * 410 (`FILE_NO_LONGER_EXISTS`) for a file that was stored.
   */
  override async getUpload(id: string): Promise<Upload> {
    try {
      return await super.getUpload(id);
    } catch (error) {
      if (error !== ERRORS.FILE_NO_LONGER_EXISTS) throw error;
      const stored = await this.states.get(id);
      if (!stored?.fileforge?.completed || stored.size === undefined) throw error;
      return new Upload({
        id,
        size: stored.size,
        offset: stored.size,
        ...(stored.metadata ? { metadata: stored.metadata } : {}),
        ...(stored.creation_date ? { creation_date: stored.creation_date } : {}),
      });
    }
  }

  override async remove(id: string): Promise<void> {
    this.#hashes.delete(id);
    if (!(await this.states.get(id))) throw new FileForgeError(ErrorCode.NOT_FOUND, 'Upload not found');
    await rm(this.stagedPath(id), { force: true });
    await this.states.delete(id);
  }

  override async deleteExpired(): Promise<number> {
    return this.sweep();
  }

  /**
   * Removes uploads created more than the expiry ago (unfinished ones with their staged bytes;
   * completed ones' leftover state) and staged files without state older than that. Returns
   * how many unfinished uploads were removed.
   */
  async sweep(): Promise<number> {
    const expiry = this.getExpiration();
    const now = this.#now();
    let removed = 0;
    const known = new Set<string>();
    if (!existsSync(this.directory)) return 0;
    for (const id of await this.states.list()) {
      known.add(id);
      const stored = await this.states.get(id);
      const created = stored?.creation_date ? Date.parse(stored.creation_date) : Number.NaN;
      if (stored && !(now - created > expiry)) continue;
      this.#hashes.delete(id);
      await rm(this.stagedPath(id), { force: true });
      await this.states.delete(id);
      if (!stored?.fileforge?.completed) removed++;
    }
    for (const name of await readdir(this.directory)) {
      if (known.has(name) || (!UPLOAD_ID.test(name) && !name.endsWith('.tmp'))) continue;
      const path = join(this.directory, name);
      const s = await stat(path).catch(() => undefined);
      if (s && now - s.mtimeMs > expiry) await rm(path, { force: true });
    }
    return removed;
  }
}

// FileStore makes its directory (mode 0777) from its constructor; ours is made 0700 with the
// first upload, so a server that never sees one leaves no trace in the upload folder.
Object.defineProperty(StagingStore.prototype, 'checkOrCreateDirectory', { value: () => {} });
