import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlobStore } from '../storage/blob-store.js';

/** Creates a fresh, empty store for one test, and how to dispose of it. */
export type BlobStoreFactory = () => Promise<{ store: BlobStore; teardown(): Promise<void> }>;

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function* chunks(data: Buffer, size: number, failAfter?: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) {
    if (failAfter !== undefined && i >= failAfter) throw new Error('source failed');
    yield data.subarray(i, i + size);
  }
}

const collect = async (stream: Readable) => Buffer.concat(await stream.toArray());

/**
 * The conformance suite every {@link BlobStore} implementation runs unchanged.
 *
 * @example
 * ```ts
 * describeBlobStore('local', async () => ({ store: createLocalBlobStore({ root }), teardown: () => rm(root) }));
 * ```
 */
export function describeBlobStore(name: string, factory: BlobStoreFactory): void {
  describe(`BlobStore conformance: ${name}`, () => {
    let store: BlobStore;
    let teardown: () => Promise<void>;
    beforeEach(async () => {
      ({ store, teardown } = await factory());
    });
    afterEach(async () => teardown());

    it('stores a streamed blob and reports its size and SHA-256', async () => {
      const data = randomBytes(3 * 1024 * 1024 + 17);
      const result = await store.put('t/one', chunks(data, 64 * 1024));
      expect(result).toEqual({ key: 't/one', size: data.length, sha256: sha256(data) });
      expect(sha256(await collect(await store.get('t/one')))).toBe(sha256(data));
      expect(await store.stat('t/one')).toEqual({ size: data.length });
    });

    it('stores an empty blob', async () => {
      const result = await store.put('t/empty', Readable.from([]));
      expect(result.size).toBe(0);
      expect(result.sha256).toBe(sha256(Buffer.alloc(0)));
      expect((await collect(await store.get('t/empty'))).length).toBe(0);
    });

    it('reads an inclusive byte range', async () => {
      await store.put('t/range', Readable.from([Buffer.from('0123456789')]));
      expect(await text(await store.get('t/range', { start: 2, end: 5 }))).toBe('2345');
    });

    it('refuses a blob over maxBytes inside the stream and leaves nothing behind', async () => {
      const data = randomBytes(1024 * 1024 + 1);
      await expect(
        store.put('t/big', chunks(data, 16 * 1024), { maxBytes: 1024 * 1024 }),
      ).rejects.toMatchObject({
        code: 'FILE_TOO_LARGE',
      });
      expect(await store.stat('t/big')).toBeNull();
      expect(await store.sweep()).toBe(0);
    });

    it('accepts a blob of exactly maxBytes', async () => {
      const data = randomBytes(4096);
      await expect(store.put('t/exact', Readable.from([data]), { maxBytes: 4096 })).resolves.toMatchObject({
        size: 4096,
      });
    });

    it('leaves nothing behind when the source fails midway', async () => {
      const data = randomBytes(512 * 1024);
      await expect(store.put('t/broken', chunks(data, 16 * 1024, 256 * 1024))).rejects.toThrow();
      expect(await store.stat('t/broken')).toBeNull();
      expect(await store.sweep()).toBe(0);
    });

    it('leaves nothing behind when the put is aborted', async () => {
      const controller = new AbortController();
      async function* slow() {
        yield Buffer.alloc(1024);
        controller.abort();
        await new Promise((r) => setTimeout(r, 10));
        yield Buffer.alloc(1024);
      }
      await expect(store.put('t/aborted', slow(), { signal: controller.signal })).rejects.toThrow();
      expect(await store.stat('t/aborted')).toBeNull();
      expect(await store.sweep()).toBe(0);
    });

    it('shows the leading bytes to a head inspector, and a refusal stores nothing', async () => {
      const data = randomBytes(200 * 1024);
      let seen: Buffer | undefined;
      await store.put('t/head', chunks(data, 16 * 1024), {
        head: {
          bytes: 1000,
          inspect: (h) => {
            seen = h;
          },
        },
      });
      expect(seen).toEqual(data.subarray(0, 1000));
      const short = Buffer.from('tiny');
      await store.put('t/short', Readable.from([short]), {
        head: {
          bytes: 1000,
          inspect: (h) => {
            seen = h;
          },
        },
      });
      expect(seen).toEqual(short);
      const refuse = () => {
        throw new Error('not this type');
      };
      await expect(
        store.put('t/refused', chunks(data, 16 * 1024), { head: { bytes: 1000, inspect: refuse } }),
      ).rejects.toThrow('not this type');
      expect(await store.stat('t/refused')).toBeNull();
      expect(await store.sweep()).toBe(0);
    });

    it('reports a source that fails before it is read (a file that cannot be opened) as the put error', async () => {
      // The stream's open fails while the store still prepares (directories, an existence
      // check): the process must not die of an unheard 'error', and nothing is stored.
      const missing = createReadStream(join(tmpdir(), `fileforge-missing-${randomBytes(6).toString('hex')}`));
      await expect(store.put('t/unreadable', missing)).rejects.toMatchObject({ code: expect.any(String) });
      expect(await store.stat('t/unreadable')).toBeNull();
      expect(await store.sweep()).toBe(0);
    });

    it('releases the source of a put it refuses before reading (a bad key)', async () => {
      const source = new Readable({ read() {} });
      await expect(store.put('../outside', source)).rejects.toMatchObject({ code: expect.any(String) });
      expect(source.destroyed).toBe(true);
    });

    it('never overwrites an existing blob', async () => {
      await store.put('t/once', Readable.from([Buffer.from('first')]));
      await expect(store.put('t/once', Readable.from([Buffer.from('second')]))).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      expect(await text(await store.get('t/once'))).toBe('first');
    });

    it('answers NOT_FOUND for a missing blob and null from stat', async () => {
      await expect(store.get('t/missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await store.stat('t/missing')).toBeNull();
    });

    it('deletes idempotently', async () => {
      await store.put('t/del', Readable.from([Buffer.from('x')]));
      await store.delete('t/del');
      await store.delete('t/del');
      expect(await store.stat('t/del')).toBeNull();
    });

    it.each(['../escape', 't/../../escape', '/abs', 't/%2e%2e', 'T/Upper', 't//x', 't/a\u0000b', ''])(
      'refuses the key %j',
      async (key) => {
        // Keys are generated, never user input: a bad one is answered like a missing blob.
        await expect(store.put(key, Readable.from([Buffer.from('x')]))).rejects.toMatchObject({
          code: 'NOT_FOUND',
        });
        await expect(store.get(key)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      },
    );

    it('adopts a staged file without copying it, never over an existing blob (where it can adopt)', async () => {
      if (!store.adopt || !store.stagingDir) return;
      const dir = store.stagingDir();
      await mkdir(dir, { recursive: true });
      const data = randomBytes(256 * 1024 + 3);
      const staged = join(dir, 'conformance-staged');
      await writeFile(staged, data);
      const result = await store.adopt('t/adopted', staged, { size: data.length, sha256: sha256(data) });
      expect(result).toEqual({ key: 't/adopted', size: data.length, sha256: sha256(data) });
      await rm(staged);
      expect(sha256(await collect(await store.get('t/adopted')))).toBe(sha256(data));
      // The staging directory holds no blob: listing and sweeping leave it alone.
      if (store.list) for await (const entry of store.list()) expect(entry.key).not.toContain('conformance');
      await writeFile(staged, Buffer.from('other'));
      await expect(
        store.adopt('t/adopted', staged, { size: 5, sha256: sha256(Buffer.from('other')) }),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      expect(sha256(await collect(await store.get('t/adopted')))).toBe(sha256(data));
      await rm(staged);
    });

    it('reports itself healthy', async () => {
      await expect(store.check()).resolves.toBeDefined();
    });
  });
}
