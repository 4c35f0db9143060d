/**
 * Encryption at rest for any {@link BlobStore}.
 *
 * How this works: each put draws a fresh 256-bit data key and a 7-byte nonce prefix, wraps the
 * data key under the key ring's current master key (AES-256-GCM, the key id recorded beside
 * it), and streams the content through AES-256-GCM in fixed-size segments (64 KiB) whose
 * nonces are the prefix, a segment counter and a final-segment flag (the STREAM construction of
 * age and Tink); the layout is described in `segments.ts`. Size and SHA-256 are measured on the
 * plaintext before encryption, so dedupe and the catalog see the content, not the ciphertext.
 * Reads decrypt segment by segment and release a segment's bytes only once its tag verified:
 * truncation, reordering, a dropped last segment or a flipped bit fail the stream with
 * `BLOB_INTEGRITY_FAILED` before any byte of the damaged segment. A range read fetches and
 * decrypts only the segments the range touches. Tools that must seek get a private decrypted
 * temp copy ({@link BlobStore.withLocalFile}); the ciphertext path is never handed out.
 * {@link EncryptedBlobStore.rewrap} moves a blob's data key under the current master key by
 * rewriting one 92-byte header slot at a time, never the content.
 *
 * @module
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { ErrorCode, FileForgeError } from '../errors/index.js';
import { ByteMeter } from '../stream/meter.js';
import type {
  BlobGetOptions,
  BlobPutOptions,
  BlobStore,
  BlobSweepOptions,
  WithLocalFileOptions,
} from './blob-store.js';
import type { KeyRing } from './key-ring.js';
import { holdSource } from './put-source.js';
import {
  type BlobHeader,
  DEFAULT_SEGMENT_SIZE,
  encodeSlot,
  fixedHeader,
  HEADER_SIZE,
  NONCE_PREFIX_BYTES,
  parseHeader,
  plaintextSize,
  SegmentDecryptor,
  SegmentEncryptor,
  segmentCount,
  slotOffset,
  TAG_SIZE,
  unwrapKey,
  wrapKey,
} from './segments.js';
import { withTempCopy } from './temp-copy.js';

/** Options for {@link createEncryptedBlobStore}. */
export interface EncryptedBlobStoreOptions {
  /** The store that holds the ciphertext (local disk, S3, …). */
  inner: BlobStore;
  /** Master keys: the current one wraps new data keys; the others are accepted for reading. */
  keyRing: KeyRing;
  /**
   * Private directory for decrypted temp copies (created 0700; files 0600), on local disk and
   * under the data directory. `createForge` uses `<dataDir>/tmp/decrypted`.
   */
  tempDir: string;
  /** Plaintext bytes per segment; larger means fewer tags but more bytes decrypted per range. @default 65536 */
  segmentSize?: number;
  /** Temp copies younger than this survive {@link BlobStore.sweep} (another process may use them). @default 0 */
  sweepGraceMs?: number;
  /** Random source (data keys, nonces). @default crypto.randomBytes */
  randomBytes?: (size: number) => Buffer;
  /** Clock for the sweep. @default Date.now */
  now?: () => number;
}

/** What {@link EncryptedBlobStore.rewrap} did to one blob. */
export type RewrapResult = 'rewrapped' | 'current';

/** A {@link BlobStore} that encrypts at rest, plus key rotation. */
export interface EncryptedBlobStore extends BlobStore {
  readonly keyRing: KeyRing;
  /**
   * Re-wraps the blob's data key under the current master key and clears the old wrap,
   * rewriting only header slots: `'current'` when it already was (idempotent, so an
   * interrupted rotation is simply run again). Needs `patch` on the inner store.
   */
  rewrap(key: string): Promise<RewrapResult>;
}

const keyUnavailable = (key: string, ids: string[]) =>
  new FileForgeError(
    ErrorCode.KEY_UNAVAILABLE,
    `[fileforge:encryption] Blob ${key} is encrypted under key id ${ids.map((i) => JSON.stringify(i)).join(' or ')}, which is not configured: add that key to ENCRYPTION_KEYS_OLD`,
    { details: { key, keyId: ids[0], keyIds: ids } },
  );

const unreadableWrap = (key: string) =>
  new FileForgeError(
    ErrorCode.BLOB_INTEGRITY_FAILED,
    `[fileforge:encryption] Blob ${key}: its data key does not verify under the configured key (tampered header, or a different key with the same id)`,
    { details: { key } },
  );

/**
 * Wraps a {@link BlobStore} so everything it stores is encrypted (AES-256-GCM, chunked, with
 * per-blob data keys). Sizes and SHA-256 reported are the plaintext's.
 *
 * @example
 * ```ts
 * const blobs = createEncryptedBlobStore({
 *   inner: createLocalBlobStore({ root: './data/uploads' }),
 *   keyRing: createKeyRing({ keys: [process.env.ENCRYPTION_KEY!] }),
 *   tempDir: './data/tmp/decrypted',
 * });
 * ```
 */
export function createEncryptedBlobStore(options: EncryptedBlobStoreOptions): EncryptedBlobStore {
  const { inner, keyRing, tempDir } = options ?? ({} as EncryptedBlobStoreOptions);
  if (!inner || !keyRing || !tempDir) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:encryption] createEncryptedBlobStore needs "inner", "keyRing" and "tempDir"',
    );
  }
  const segmentSize = options.segmentSize ?? DEFAULT_SEGMENT_SIZE;
  if (!Number.isInteger(segmentSize) || segmentSize < 1024 || segmentSize > 16 * 1024 * 1024) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      '[fileforge:encryption] "segmentSize" must be 1 KiB to 16 MiB',
    );
  }
  const random = options.randomBytes ?? nodeRandomBytes;
  const now = options.now ?? Date.now;
  const sweepGraceMs = options.sweepGraceMs ?? 0;

  async function readHeader(key: string): Promise<BlobHeader> {
    const stream = await inner.get(key, { start: 0, end: HEADER_SIZE - 1 });
    const bytes = Buffer.concat(await stream.toArray());
    return parseHeader(key, bytes);
  }

  /** The data key, from the first slot whose key is configured and whose wrap verifies. */
  function unlock(key: string, header: BlobHeader): Buffer {
    const ids = header.slots.flatMap((s) => (s ? [s.keyId] : []));
    let known = false;
    for (const slot of header.slots) {
      const master = slot && keyRing.get(slot.keyId);
      if (!slot || !master) continue;
      known = true;
      const dataKey = unwrapKey(header.fixed, master, slot);
      if (dataKey) return dataKey;
    }
    if (!known) throw keyUnavailable(key, ids);
    throw unreadableWrap(key);
  }

  async function put(key: string, source: Readable | AsyncIterable<Uint8Array>, opts: BlobPutOptions = {}) {
    const dataKey = random(32);
    const fixed = fixedHeader(segmentSize, random(NONCE_PREFIX_BYTES));
    const slot = wrapKey(fixed, keyRing.current, dataKey, random(12));
    const header: BlobHeader = { fixed, segmentSize, noncePrefix: fixed.subarray(12, 19), slots: [slot] };
    const headerBytes = Buffer.concat([fixed, encodeSlot(slot), encodeSlot(undefined)]);
    const meter = new ByteMeter({
      ...(opts.maxBytes === undefined ? {} : { maxBytes: opts.maxBytes }),
      ...(opts.head ? { head: opts.head } : {}),
    });
    // Errors of the source or the meter (FILE_TOO_LARGE, a refused head) reach the inner put
    // through the encryptor, which pipeline destroys with them.
    const encrypted = pipeline(source, meter, new SegmentEncryptor(header, headerBytes, dataKey), () => {});
    try {
      await inner.put(key, encrypted, opts.signal ? { signal: opts.signal } : {});
    } catch (error) {
      encrypted.destroy();
      holdSource(source).release(); // at once: the pipeline would only get to it on a later tick
      throw error;
    }
    return { key, size: meter.bytes, sha256: meter.sha256 };
  }

  async function get(key: string, opts: BlobGetOptions = {}): Promise<Readable> {
    const header = await readHeader(key);
    const dataKey = unlock(key, header);
    const signal = opts.signal ? { signal: opts.signal } : {};
    if (opts.start === undefined && opts.end === undefined) {
      const body = await inner.get(key, { start: HEADER_SIZE, ...signal });
      return pipeline(body, new SegmentDecryptor({ key, header, dataKey }), () => {});
    }
    const stored = await inner.stat(key);
    if (!stored) throw new FileForgeError(ErrorCode.NOT_FOUND, `[fileforge:storage] Blob ${key} not found`);
    const size = plaintextSize(stored.size, header.segmentSize);
    if (size === null) throw badSize(key);
    const start = opts.start ?? 0;
    const end = Math.min(opts.end ?? size - 1, size - 1);
    if (start > end) return Readable.from([]);
    const seg = header.segmentSize;
    const first = Math.floor(start / seg);
    const last = Math.floor(end / seg);
    const full = seg + TAG_SIZE;
    const body = await inner.get(key, {
      start: HEADER_SIZE + first * full,
      end: Math.min(HEADER_SIZE + (last + 1) * full, stored.size) - 1,
      ...signal,
    });
    const decryptor = new SegmentDecryptor({
      key,
      header,
      dataKey,
      firstIndex: first,
      finalIndex: segmentCount(size, seg) - 1,
      expectedSegments: last - first + 1,
      skip: start - first * seg,
      length: end - start + 1,
    });
    return pipeline(body, decryptor, () => {});
  }

  async function statBlob(key: string) {
    const stored = await inner.stat(key);
    if (!stored) return null;
    const header = await readHeader(key);
    const size = plaintextSize(stored.size, header.segmentSize);
    if (size === null) throw badSize(key);
    return { size };
  }

  function withLocalFile<T>(
    key: string,
    work: (path: string) => Promise<T>,
    opts: WithLocalFileOptions = {},
  ): Promise<T> {
    return withTempCopy(tempDir, 'f-', get, key, work, opts);
  }

  async function sweep(opts: BlobSweepOptions = {}): Promise<number> {
    const grace = Math.max(sweepGraceMs, opts.olderThanMs ?? 0);
    let removed = await inner.sweep(opts);
    const names = await readdir(tempDir).catch(() => [] as string[]);
    for (const name of names) {
      const path = join(tempDir, name);
      const s = await stat(path).catch(() => undefined);
      if (!s || now() - s.mtimeMs < grace) continue;
      await rm(path, { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  async function rewrap(key: string): Promise<RewrapResult> {
    if (!inner.patch) {
      throw new FileForgeError(
        ErrorCode.INVALID_CONFIG,
        '[fileforge:encryption] This blob store cannot rewrite blob headers in place, so keys cannot be rotated on it',
      );
    }
    const header = await readHeader(key);
    const current = keyRing.current;
    let readable: { index: number; dataKey: Buffer } | undefined;
    for (const [index, slot] of header.slots.entries()) {
      const master = slot && keyRing.get(slot.keyId);
      const dataKey = slot && master ? unwrapKey(header.fixed, master, slot) : null;
      if (!dataKey) continue;
      if (slot!.keyId === current.id) {
        // Already current: clear any stale wrap left by a rotation interrupted after its first write.
        const stale = header.slots.flatMap((s, i) => (s && i !== index ? [i] : []));
        for (const i of stale) await inner.patch(key, slotOffset(i), encodeSlot(undefined));
        return stale.length > 0 ? 'rewrapped' : 'current';
      }
      readable ??= { index, dataKey };
    }
    if (!readable) unlock(key, header); // throws the precise error
    const { index, dataKey } = readable!;
    const target = index === 0 ? 1 : 0;
    // Write the new wrap into the other slot first, then clear the old one: a crash between the
    // two leaves both valid, and the next run finishes the job.
    await inner.patch(
      key,
      slotOffset(target),
      encodeSlot(wrapKey(header.fixed, current, dataKey, random(12))),
    );
    await inner.patch(key, slotOffset(index), encodeSlot(undefined));
    return 'rewrapped';
  }

  return {
    keyRing,
    put,
    get,
    stat: statBlob,
    delete: (key) => inner.delete(key),
    check: () => inner.check(),
    sweep,
    withLocalFile,
    rewrap,
    ...(inner.list ? { list: () => inner.list!() } : {}),
    ...(inner.space ? { space: () => inner.space!() } : {}),
  };
}

function badSize(key: string): FileForgeError {
  return new FileForgeError(
    ErrorCode.BLOB_INTEGRITY_FAILED,
    `[fileforge:encryption] Blob ${key} has a size no complete encrypted blob has (truncated?)`,
    { details: { key } },
  );
}
