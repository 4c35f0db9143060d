import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { DerivativeCatalog } from '../catalog/catalog.js';
import type { ForgeContext } from '../forge/context.js';
import type { DerivativeRecord, FileRecord } from '../model/index.js';
import type { BlobStore } from '../storage/blob-store.js';
import { createLocalBlobStore } from '../storage/local.js';
import { discardDerivatives, storeDerivative } from './derivatives.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const record = { id: 'file-1', tenant: 'default' } as FileRecord;
const thumbnail = (text: string) => ({
  name: 'thumbnail-256.webp',
  kind: 'thumbnail',
  mime: 'image/webp',
  content: Buffer.from(text),
});

/** Derivative rows in memory; `hang` makes `put` never settle, as in a process killed there. */
function memoryDerivatives(rows: Map<string, DerivativeRecord>, hang = false): DerivativeCatalog {
  return {
    put: async (d) => {
      if (hang) return new Promise<void>(() => {});
      rows.set(d.name, d);
    },
    get: async (_fileId, name) => rows.get(name) ?? null,
    list: async () => [...rows.values()],
    remove: async (_fileId, name) => {
      rows.delete(name);
    },
  };
}

const contextOf = (blobs: BlobStore, derivatives: DerivativeCatalog) =>
  ({ blobs, catalog: { derivatives }, options: { now: Date.now } }) as unknown as ForgeContext;

async function setup() {
  const root = await mkdtemp(join(tmpdir(), 'ff-derivatives-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const blobs = createLocalBlobStore({ root });
  const keys = async () => {
    const all: string[] = [];
    for await (const entry of blobs.list?.() ?? []) all.push(entry.key);
    return all;
  };
  return { blobs, keys, rows: new Map<string, DerivativeRecord>() };
}

async function read(blobs: BlobStore, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await blobs.get(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe('storeDerivative', () => {
  it('leaves one blob when a pass runs again after dying between storing and recording it (issue 13)', async () => {
    const { blobs, keys, rows } = await setup();
    // The first try stores its blob, then its process dies before the row is written.
    void storeDerivative(
      contextOf(blobs, memoryDerivatives(rows, true)),
      record,
      thumbnail('first'),
      'job-1',
    );
    await expect.poll(keys).toHaveLength(1);
    // The same job, run again by another worker.
    const stored = await storeDerivative(
      contextOf(blobs, memoryDerivatives(rows)),
      record,
      thumbnail('again'),
      'job-1',
    );
    expect(await keys()).toEqual([stored.blobKey]);
    expect(rows.get('thumbnail-256.webp')?.blobKey).toBe(stored.blobKey);
    expect(await read(blobs, stored.blobKey)).toBe('again');
  });

  it('replaces the blob of an earlier pass (reprocessing) and of a repeated one', async () => {
    const { blobs, keys, rows } = await setup();
    const ctx = contextOf(blobs, memoryDerivatives(rows));
    const first = await storeDerivative(ctx, record, thumbnail('v1'), 'job-1');
    const repeated = await storeDerivative(ctx, record, thumbnail('v1 again'), 'job-1');
    // Written beside the recorded blob, which went once the record moved over.
    expect(repeated.blobKey).not.toBe(first.blobKey);
    expect(await keys()).toEqual([repeated.blobKey]);
    expect(await read(blobs, repeated.blobKey)).toBe('v1 again');
    const thrice = await storeDerivative(ctx, record, thumbnail('v1 thrice'), 'job-1');
    expect(thrice.blobKey).toBe(first.blobKey);
    expect(await keys()).toEqual([first.blobKey]);
    const second = await storeDerivative(ctx, record, thumbnail('v2'), 'job-2');
    expect(second.blobKey).not.toBe(first.blobKey);
    expect(await keys()).toEqual([second.blobKey]);
    const oneOff = await storeDerivative(ctx, record, thumbnail('v3'));
    expect(await keys()).toEqual([oneOff.blobKey]);
    expect(rows.get('thumbnail-256.webp')?.blobKey).toBe(oneOff.blobKey);
  });

  it('keeps the recorded derivative whole when a repeated pass fails writing its blob (a full disk)', async () => {
    const { blobs, keys, rows } = await setup();
    const ctx = contextOf(blobs, memoryDerivatives(rows));
    const first = await storeDerivative(ctx, record, thumbnail('v1'), 'job-1');
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
      },
    });
    await expect(
      storeDerivative(ctx, record, { ...thumbnail(''), content: failing }, 'job-1'),
    ).rejects.toThrow();
    expect(rows.get('thumbnail-256.webp')?.blobKey).toBe(first.blobKey);
    expect(await read(blobs, first.blobKey)).toBe('v1');
    expect(await keys()).toEqual([first.blobKey]);
  });

  it('keeps a derivative whose record committed although its answer was lost', async () => {
    const { blobs, rows } = await setup();
    const lossy = memoryDerivatives(rows);
    const ctx = contextOf(blobs, {
      ...lossy,
      put: async (d) => {
        await lossy.put(d);
        throw new Error('connection lost after COMMIT');
      },
    });
    const stored = await storeDerivative(ctx, record, thumbnail('v1'), 'job-1');
    expect(rows.get('thumbnail-256.webp')?.blobKey).toBe(stored.blobKey);
    expect(await read(blobs, stored.blobKey)).toBe('v1');
  });

  it('deletes the blob of a refused record, and keeps it while the catalog cannot say', async () => {
    const { blobs, keys, rows } = await setup();
    const refusing = { ...memoryDerivatives(rows), put: () => Promise.reject(new Error('refused')) };
    await expect(
      storeDerivative(contextOf(blobs, refusing), record, thumbnail('v1'), 'job-1'),
    ).rejects.toThrow('refused');
    expect(await keys()).toEqual([]);
    // The catalog goes away during the write: whether the record committed is unknown.
    let down = false;
    const ctx = contextOf(blobs, {
      ...memoryDerivatives(rows),
      get: async (_fileId, name) => {
        if (down) throw new Error('catalog unreachable');
        return rows.get(name) ?? null;
      },
      put: async () => {
        down = true;
        throw new Error('catalog unreachable');
      },
    });
    await expect(storeDerivative(ctx, record, thumbnail('v2'), 'job-2')).rejects.toThrow('unreachable');
    // It may have committed: the orphan sweep removes the blob once nothing points at it.
    expect(await keys()).toHaveLength(1);
  });
});

describe('discardDerivatives', () => {
  it('keeps the blob of a derivative whose record could not be removed', async () => {
    const { blobs, keys, rows } = await setup();
    const ctx = contextOf(blobs, memoryDerivatives(rows));
    const kept = await storeDerivative(ctx, record, thumbnail('v1'), 'job-1');
    const stuck = contextOf(blobs, {
      ...memoryDerivatives(rows),
      remove: () => Promise.reject(new Error('catalog unreachable')),
    });
    await discardDerivatives(stuck, record, [kept]);
    expect(rows.get('thumbnail-256.webp')?.blobKey).toBe(kept.blobKey);
    expect(await read(blobs, kept.blobKey)).toBe('v1');
    await discardDerivatives(ctx, record, [kept]);
    expect(rows.size).toBe(0);
    expect(await keys()).toEqual([]);
  });
});
