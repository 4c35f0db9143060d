import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DerivativeCatalog } from '../catalog/catalog.js';
import type { ForgeContext } from '../forge/context.js';
import type { DerivativeRecord, FileRecord } from '../model/index.js';
import type { BlobStore } from '../storage/blob-store.js';
import { createLocalBlobStore } from '../storage/local.js';
import { storeDerivative } from './derivatives.js';

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
    expect(repeated.blobKey).toBe(first.blobKey);
    expect(await keys()).toEqual([first.blobKey]);
    expect(await read(blobs, first.blobKey)).toBe('v1 again');
    const second = await storeDerivative(ctx, record, thumbnail('v2'), 'job-2');
    expect(second.blobKey).not.toBe(first.blobKey);
    expect(await keys()).toEqual([second.blobKey]);
    const oneOff = await storeDerivative(ctx, record, thumbnail('v3'));
    expect(await keys()).toEqual([oneOff.blobKey]);
    expect(rows.get('thumbnail-256.webp')?.blobKey).toBe(oneOff.blobKey);
  });
});
