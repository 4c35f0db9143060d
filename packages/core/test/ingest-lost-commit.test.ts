/**
 * An upload whose commit landed but whose answer was lost (a statement timeout on a slow
 * COMMIT, a connection dropped after it was sent): the record exists, so its blob must too.
 * Before, ingest deleted the blob on any commit error, leaving a listed file that could never
 * be downloaded or processed.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  type Catalog,
  createForge,
  ErrorCode,
  FileForgeError,
  type Forge,
  openCatalog,
} from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';

let dir: string | undefined;
let forge: Forge | undefined;
afterEach(async () => {
  await forge?.close();
  forge = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

type Fault = 'lose-answer' | 'refuse' | null;

/** The SQLite catalog, with the next file insert's transaction failing as `fault` says. */
async function faultyCatalog(path: string) {
  const real = await openCatalog(`sqlite:${path}`);
  let fault: Fault = null;
  let unreachable = false;
  const inserting = (result: unknown) =>
    typeof result === 'object' && result !== null && 'sha256' in result && 'blobKey' in result;
  const catalog: Catalog = {
    ...real,
    files: {
      ...real.files,
      get: (...args) =>
        unreachable ? Promise.reject(new Error('connection refused')) : real.files.get(...args),
    },
    async transaction(fn) {
      let refused = false;
      const result = await real.transaction(async (tx) => {
        const value = await fn(tx);
        if (fault === 'refuse' && inserting(value)) {
          refused = true;
          throw new FileForgeError(ErrorCode.CATALOG_UNAVAILABLE, 'the commit failed');
        }
        return value;
      });
      if (!refused && fault === 'lose-answer' && inserting(result)) {
        fault = null;
        throw new FileForgeError(ErrorCode.CATALOG_UNAVAILABLE, 'Query read timeout');
      }
      return result;
    },
  };
  return {
    catalog,
    fail(next: Fault, catalogUnreachable = false) {
      fault = next;
      unreachable = catalogUnreachable;
    },
  };
}

const blobsIn = async (root: string) =>
  (await readdir(root, { recursive: true, withFileTypes: true })).filter(
    (e) => e.isFile() && !e.parentPath.includes('.tmp'),
  ).length;

describe('ingest when the catalog fails to answer a commit', () => {
  it('a commit that landed keeps its blob: the upload succeeds and the file downloads and processes', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fileforge-lost-commit-'));
    const faulty = await faultyCatalog(join(dir, 'fileforge.db'));
    forge = await createForge({ dataDir: dir, catalog: faulty.catalog });
    faulty.fail('lose-answer');

    const record = await forge.ingest(Readable.from([Buffer.from('hello, lost answer\n')]), {
      name: 'a.txt',
    });
    const stored = await forge.files.get(record.id);
    expect(stored?.sha256).toBe(record.sha256);
    const chunks: Buffer[] = [];
    for await (const chunk of (await forge.files.open(record.id)).stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('hello, lost answer\n');
    await forge.queue.onIdle();
    expect((await forge.files.get(record.id))?.status).toBe('processed');
  });

  it('a commit that failed removes its blob; with the catalog unreachable, once it answers again', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fileforge-lost-commit-'));
    const faulty = await faultyCatalog(join(dir, 'fileforge.db'));
    forge = await createForge({ dataDir: dir, catalog: faulty.catalog });
    const uploads = forge.options.uploadFolder;

    faulty.fail('refuse');
    await expect(
      forge.ingest(Readable.from([Buffer.from('refused\n')]), { name: 'b.txt' }),
    ).rejects.toMatchObject({
      code: ErrorCode.CATALOG_UNAVAILABLE,
    });
    expect(await blobsIn(uploads)).toBe(0);

    // Whether it landed is unknown: its blob is not deleted while the catalog cannot say.
    faulty.fail('refuse', true);
    await expect(
      forge.ingest(Readable.from([Buffer.from('unknown\n')]), { name: 'c.txt' }),
    ).rejects.toMatchObject({
      code: ErrorCode.CATALOG_UNAVAILABLE,
    });
    expect(await blobsIn(uploads)).toBe(1);
    // Once the catalog answers that nothing references it, it goes.
    faulty.fail(null);
    await expect.poll(() => blobsIn(uploads), { timeout: 15_000 }).toBe(0);
  });
});
