import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createRng } from '@fileforge/test-fixtures/random';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlobStore } from './blob-store.js';
import { createEncryptedBlobStore } from './encrypted.js';
import { createKeyRing } from './key-ring.js';
import { createLocalBlobStore } from './local.js';
import { HEADER_SIZE, parseHeader, TAG_SIZE } from './segments.js';

const SEG = 64 * 1024;
const FULL = SEG + TAG_SIZE;
const keyA = { id: 'a', key: randomBytes(32) };
const keyB = { id: 'b', key: randomBytes(32) };
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Reads a stream, keeping what it emitted before it failed. */
async function drain(stream: Readable): Promise<{ bytes: Buffer; error: unknown }> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { bytes: Buffer.concat(chunks), error: undefined };
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
}

/** Content whose every segment is distinguishable: segment i is filled with byte i+1. */
const segmented = (segments: number, tail = 100) =>
  Buffer.concat([
    ...Array.from({ length: segments }, (_, i) => Buffer.alloc(SEG, i + 1)),
    Buffer.alloc(tail, 0xee),
  ]);

describe('EncryptedBlobStore', () => {
  let dir: string;
  let inner: BlobStore;
  let path: (key: string) => string;
  let store: ReturnType<typeof createEncryptedBlobStore>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fileforge-enc-'));
    const local = createLocalBlobStore({ root: join(dir, 'blobs') });
    inner = local;
    path = (key) => local.localPath!(key);
    store = createEncryptedBlobStore({
      inner,
      keyRing: createKeyRing({ keys: [keyA] }),
      tempDir: join(dir, 'tmp'),
    });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** Rewrites the stored (ciphertext) file; blobs are 0400. */
  async function tamper(key: string, edit: (raw: Buffer) => Buffer): Promise<void> {
    const raw = await readFile(path(key));
    await rm(path(key));
    await writeFile(path(key), edit(raw), { mode: 0o400 });
  }

  it('stores no plaintext on disk and reports the plaintext size and SHA-256', async () => {
    const pattern = randomBytes(1024);
    const data = Buffer.concat(Array.from({ length: 300 }, () => pattern));
    const put = await store.put('t/secret', Readable.from([data]));
    expect(put).toEqual({ key: 't/secret', size: data.length, sha256: sha256(data) });
    const raw = await readFile(path('t/secret'));
    expect(raw.includes(pattern)).toBe(false);
    expect(raw.includes(pattern.subarray(0, 64))).toBe(false);
    expect(await store.stat('t/secret')).toEqual({ size: data.length });
    expect(sha256((await drain(await store.get('t/secret'))).bytes)).toBe(sha256(data));
  });

  it('encrypts the same content twice to different bytes and wrapped keys (fresh data key per blob)', async () => {
    const data = randomBytes(5000);
    await store.put('t/one', Readable.from([data]));
    await store.put('t/two', Readable.from([data]));
    const [one, two] = [await readFile(path('t/one')), await readFile(path('t/two'))];
    expect(one.subarray(20, HEADER_SIZE).equals(two.subarray(20, HEADER_SIZE))).toBe(false);
    expect(one.subarray(HEADER_SIZE).equals(two.subarray(HEADER_SIZE))).toBe(false);
  });

  it('fails before segment 3’s plaintext when one byte of segment 3 is flipped', async () => {
    const data = segmented(5);
    await store.put('t/flip', Readable.from([data]));
    // Segment 3 is the fourth (index 3); its plaintext starts at 3 × 64 KiB.
    await tamper('t/flip', (raw) => {
      raw[HEADER_SIZE + 3 * FULL + 10]! ^= 0x01;
      return raw;
    });
    const { bytes, error } = await drain(await store.get('t/flip'));
    expect(error).toMatchObject({ code: 'BLOB_INTEGRITY_FAILED' });
    expect(bytes.length).toBeLessThanOrEqual(3 * SEG);
    expect(bytes.equals(data.subarray(0, bytes.length))).toBe(true);
    expect(bytes.includes(Buffer.alloc(16, 4))).toBe(false);
  });

  it('refuses a blob whose last segment was dropped', async () => {
    const data = segmented(3);
    await store.put('t/drop', Readable.from([data]));
    await tamper('t/drop', (raw) => raw.subarray(0, HEADER_SIZE + 3 * FULL));
    const { error } = await drain(await store.get('t/drop'));
    expect(error).toMatchObject({ code: 'BLOB_INTEGRITY_FAILED' });
    // A range that ends at what now looks like the end reads the old segment 2 as final: refused.
    const tail = await drain(await store.get('t/drop', { start: 3 * SEG - 10, end: 3 * SEG + 99 }));
    expect(tail.error).toMatchObject({ code: 'BLOB_INTEGRITY_FAILED' });
    expect(tail.bytes.length).toBe(0);
  });

  it('refuses a blob cut inside a segment, and an exact multiple of the segment size that lost its tail', async () => {
    const data = segmented(2, 0);
    await store.put('t/cut', Readable.from([data]));
    await tamper('t/cut', (raw) => raw.subarray(0, raw.length - 5));
    const { bytes, error } = await drain(await store.get('t/cut'));
    expect(error).toMatchObject({ code: 'BLOB_INTEGRITY_FAILED' });
    expect(bytes.length).toBe(SEG);
    // Cut to a length no blob can have (a last segment shorter than its tag): refused by stat too.
    await tamper('t/cut', (raw) => raw.subarray(0, HEADER_SIZE + FULL + 7));
    await expect(store.stat('t/cut')).rejects.toMatchObject({ code: 'BLOB_INTEGRITY_FAILED' });
    await expect(store.get('t/cut', { start: 0, end: 1 })).rejects.toMatchObject({
      code: 'BLOB_INTEGRITY_FAILED',
    });
  });

  it('refuses a blob whose segments were swapped', async () => {
    const data = segmented(4);
    await store.put('t/swap', Readable.from([data]));
    await tamper('t/swap', (raw) => {
      const s1 = Buffer.from(raw.subarray(HEADER_SIZE + FULL, HEADER_SIZE + 2 * FULL));
      const s2 = Buffer.from(raw.subarray(HEADER_SIZE + 2 * FULL, HEADER_SIZE + 3 * FULL));
      s2.copy(raw, HEADER_SIZE + FULL);
      s1.copy(raw, HEADER_SIZE + 2 * FULL);
      return raw;
    });
    const { bytes, error } = await drain(await store.get('t/swap'));
    expect(error).toMatchObject({ code: 'BLOB_INTEGRITY_FAILED' });
    expect(bytes.length).toBeLessThanOrEqual(SEG);
  });

  it('refuses a segment moved in from another blob and a tampered fixed header', async () => {
    const data = segmented(2);
    await store.put('t/x', Readable.from([data]));
    await store.put('t/y', Readable.from([data]));
    const other = await readFile(path('t/y'));
    await tamper('t/x', (raw) => {
      other.copy(raw, HEADER_SIZE, HEADER_SIZE, HEADER_SIZE + FULL);
      return raw;
    });
    expect((await drain(await store.get('t/x'))).error).toMatchObject({ code: 'BLOB_INTEGRITY_FAILED' });
    await tamper('t/y', (raw) => {
      raw[15]! ^= 1; // nonce prefix: bound into every segment and the key wrap
      return raw;
    });
    await expect(store.get('t/y')).rejects.toMatchObject({ code: 'BLOB_INTEGRITY_FAILED' });
  });

  it('reads a range from the middle of a large blob by fetching and decrypting only its segments', async () => {
    const data = randomBytes(40 * SEG + 123);
    await store.put('t/big', Readable.from([data]));
    const ranges: Array<{ start?: number; end?: number }> = [];
    let fetched = 0;
    const spied: BlobStore = {
      ...inner,
      async get(key, opts) {
        ranges.push({
          ...(opts?.start === undefined ? {} : { start: opts.start }),
          ...(opts?.end === undefined ? {} : { end: opts.end }),
        });
        const stream = await inner.get(key, opts);
        stream.on('data', (c: Buffer) => {
          fetched += c.length;
        });
        return stream;
      },
    };
    const decrypted: number[] = [];
    const reader = createEncryptedBlobStore({
      inner: spied,
      keyRing: createKeyRing({ keys: [keyA] }),
      tempDir: join(dir, 'tmp'),
    });
    const start = 20 * SEG + 500;
    const end = 21 * SEG + 99; // spans segments 20 and 21
    const { bytes, error } = await drain(await reader.get('t/big', { start, end }));
    expect(error).toBeUndefined();
    expect(bytes.equals(data.subarray(start, end + 1))).toBe(true);
    // The header, then exactly segments 20..21.
    expect(ranges).toEqual([
      { start: 0, end: HEADER_SIZE - 1 },
      { start: HEADER_SIZE + 20 * FULL, end: HEADER_SIZE + 22 * FULL - 1 },
    ]);
    expect(fetched).toBe(HEADER_SIZE + 2 * FULL);
    decrypted.push(fetched);
    // The last bytes, through the final segment; a range past the end is clamped.
    const tail = await drain(await reader.get('t/big', { start: data.length - 10, end: data.length + 50 }));
    expect(tail.bytes.equals(data.subarray(data.length - 10))).toBe(true);
  });

  it('reads ranges of an empty blob and of a blob of exactly one segment', async () => {
    await store.put('t/empty', Readable.from([]));
    expect(await store.stat('t/empty')).toEqual({ size: 0 });
    expect((await drain(await store.get('t/empty'))).bytes.length).toBe(0);
    const one = randomBytes(SEG);
    await store.put('t/seg', Readable.from([one]));
    expect(await store.stat('t/seg')).toEqual({ size: SEG });
    expect((await drain(await store.get('t/seg', { start: SEG - 3, end: SEG - 1 }))).bytes).toEqual(
      one.subarray(SEG - 3),
    );
  });

  it('gives tools a private decrypted temp file and removes it afterwards', async () => {
    const data = randomBytes(3 * SEG + 7);
    await store.put('t/tool', Readable.from([data]));
    let seen = '';
    const result = await store.withLocalFile!('t/tool', async (p) => {
      seen = p;
      expect(p.startsWith(join(dir, 'tmp'))).toBe(true);
      expect((await stat(p)).mode & 0o777).toBe(0o600);
      expect((await stat(join(p, '..'))).mode & 0o777).toBe(0o700);
      return sha256(await readFile(p));
    });
    expect(result).toBe(sha256(data));
    await expect(stat(seen)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(store.localPath).toBeUndefined();
  });

  it('sweeps decrypted temp copies a crash left behind', async () => {
    await store.put('t/left', Readable.from([Buffer.from('x')]));
    await store.withLocalFile!('t/left', async (p) => {
      await writeFile(join(p, '..', 'stray'), 'x');
      // Simulate the crash: copy the directory's content somewhere the finally cannot reach.
      await writeFile(join(dir, 'tmp', 'leftover'), 'plaintext');
    });
    expect(await store.sweep()).toBe(1);
  });

  it('reads an old-key blob after rotation, re-wraps it, and then reads it without the old key', async () => {
    const data = randomBytes(2 * SEG + 9);
    await store.put('t/old', Readable.from([data]));
    const before = await readFile(path('t/old'));
    const rotated = createEncryptedBlobStore({
      inner,
      keyRing: createKeyRing({ keys: [keyB, keyA] }),
      tempDir: join(dir, 'tmp'),
    });
    expect(sha256((await drain(await rotated.get('t/old'))).bytes)).toBe(sha256(data));
    expect(await rotated.rewrap('t/old')).toBe('rewrapped');
    expect(await rotated.rewrap('t/old')).toBe('current');
    const after = await readFile(path('t/old'));
    expect(after.subarray(HEADER_SIZE).equals(before.subarray(HEADER_SIZE))).toBe(true); // content untouched
    const slots = parseHeader('t/old', after).slots;
    expect(slots.map((slot) => slot?.keyId)).toEqual(expect.arrayContaining(['b', undefined])); // old wrap cleared
    expect((await stat(path('t/old'))).mode & 0o777).toBe(0o400);
    const newOnly = createEncryptedBlobStore({
      inner,
      keyRing: createKeyRing({ keys: [keyB] }),
      tempDir: join(dir, 'tmp'),
    });
    expect(sha256((await drain(await newOnly.get('t/old'))).bytes)).toBe(sha256(data));
    await expect(store.get('t/old')).rejects.toMatchObject({
      code: 'KEY_UNAVAILABLE',
      details: { keyId: 'b' },
      message: expect.stringContaining('ENCRYPTION_KEYS_OLD'),
    });
  });

  it('gives a clean KEY_UNAVAILABLE for a blob under a key that is not configured', async () => {
    await store.put('t/k', Readable.from([Buffer.from('hello')]));
    const other = createEncryptedBlobStore({
      inner,
      keyRing: createKeyRing({ keys: [keyB] }),
      tempDir: join(dir, 'tmp'),
    });
    await expect(other.get('t/k')).rejects.toMatchObject({
      code: 'KEY_UNAVAILABLE',
      details: { keyId: 'a' },
    });
    await expect(other.rewrap('t/k')).rejects.toMatchObject({ code: 'KEY_UNAVAILABLE' });
    // The same id with different key bytes is not "unavailable": it is a wrap that does not verify.
    const impostor = createEncryptedBlobStore({
      inner,
      keyRing: createKeyRing({ keys: [{ id: 'a', key: randomBytes(32) }] }),
      tempDir: join(dir, 'tmp'),
    });
    await expect(impostor.get('t/k')).rejects.toMatchObject({ code: 'BLOB_INTEGRITY_FAILED' });
  });

  it('refuses a plaintext blob stored before encryption was enabled instead of serving it', async () => {
    await inner.put('t/plain', Readable.from([Buffer.from('not encrypted')]));
    await expect(store.get('t/plain')).rejects.toMatchObject({ code: 'BLOB_INTEGRITY_FAILED' });
  });

  it('refuses a blob with any of its bytes flipped or cut off, header padding and empty key slot included, handing out only checked segments (seeded fuzz)', async () => {
    const data = segmented(3, 1000);
    await store.put('t/fuzz', Readable.from([data]));
    const stored = await readFile(path('t/fuzz'));
    let refused = 0;
    for (let seed = 1; seed <= 80; seed++) {
      const r = createRng(seed);
      let raw = Buffer.from(stored);
      if (seed % 5 === 0) raw = raw.subarray(0, r.int(0, raw.length - 1));
      else
        for (let i = r.int(1, 3); i > 0; i--) {
          // A third of the flips in the header: its fixed part, the key slots, the padding.
          const at = r.chance(0.3) ? r.int(0, HEADER_SIZE - 1) : r.int(0, raw.length - 1);
          raw[at] = (raw[at]! ^ r.int(1, 255)) & 0xff;
        }
      await tamper('t/fuzz', () => raw);
      const where = `seed ${seed}`;
      let got: { bytes: Buffer; error: unknown };
      try {
        got = await drain(await store.get('t/fuzz'));
      } catch (error) {
        got = { bytes: Buffer.alloc(0), error };
      }
      // Refused, and what came out before is the stored content's beginning, in whole segments.
      expect(got.error, where).toMatchObject({ code: 'BLOB_INTEGRITY_FAILED' });
      expect(got.bytes.length % SEG, where).toBe(0);
      expect(got.bytes.equals(data.subarray(0, got.bytes.length)), where).toBe(true);
      refused++;
    }
    expect(refused).toBe(80);
  });

  it('never repeats a (key, nonce) pair across many segments', async () => {
    // Nonce = per-blob prefix ‖ counter: within a blob the counter never repeats; across blobs
    // the data key differs. Check the counters of one blob of 1,000 segments.
    const data = Buffer.alloc(1000 * 1024);
    const small = createEncryptedBlobStore({
      inner,
      keyRing: createKeyRing({ keys: [keyA] }),
      tempDir: join(dir, 'tmp'),
      segmentSize: 1024,
    });
    await small.put('t/many', Readable.from([data]));
    const raw = await readFile(path('t/many'));
    const tags = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const at = HEADER_SIZE + i * (1024 + TAG_SIZE);
      tags.add(raw.subarray(at, at + 1024 + TAG_SIZE).toString('hex'));
    }
    // Identical plaintext segments encrypt to 1,000 different segments: the nonces all differ.
    expect(tags.size).toBe(1000);
    expect((await drain(await small.get('t/many'))).bytes.equals(data)).toBe(true);
  });
});
