/**
 * A backup while files are deleted: the catalog is copied first and the blobs read after, so
 * a delete in between would leave the archive a catalog row whose bytes it lacks. The backup
 * holds the forge's blob deletes until it has read them.
 */
import { Readable } from 'node:stream';
import type { BlobStore, Forge } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { manifestKeys, signingKeyOf } from '../src/backup/manifest-signature.js';
import { createBackup } from '../src/backup/snapshot.js';
import { makeTempDir, startTestServer, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

const signingKey = signingKeyOf(manifestKeys({ secretKey: 'backup-race-secret-key-0123456789abcdef' }));

/** The forge's store, deleting `victim` the first time the backup asks for a blob's size. */
function deletingOnFirstRead(forge: Forge, victim: string): BlobStore {
  let deleted = false;
  return new Proxy(forge.blobs, {
    get(target, property) {
      if (property === 'stat') {
        return async (key: string) => {
          if (!deleted) {
            deleted = true;
            await forge.files.delete(victim);
          }
          return target.stat(key);
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function twoFiles(forge: Forge) {
  const keep = await forge.ingest(Readable.from([Buffer.from('kept\n')]), { name: 'keep.txt' });
  const gone = await forge.ingest(Readable.from([Buffer.from('deleted during the backup\n')]), {
    name: 'gone.txt',
  });
  return { keep, gone };
}

/** A backup during which `gone.txt` is deleted right after the catalog copy; with the forge's hold or without. */
async function backupWhileDeleting(hold: boolean) {
  const { forge, dataDir } = await startTestServer({ dataDir: await makeTempDir() });
  const { gone } = await twoFiles(forge);
  const blobKey = (await forge.catalog.files.get('default', gone.id))!.blobKey;
  const result = await createBackup({
    databaseUrl: forge.options.databaseUrl,
    blobs: deletingOnFirstRead(forge, gone.id),
    ...(hold ? { holdDeletes: () => forge.holdBlobDeletes() } : {}),
    outputDir: `${dataDir}/backups`,
    signingKey,
  });
  return { forge, gone, blobKey, result };
}

describe('a backup while files are deleted', () => {
  it('archives a file deleted after the catalog copy whole, and removes its blob once done', async () => {
    const { forge, gone, blobKey, result } = await backupWhileDeleting(true);
    expect(result.missing).toEqual([]);
    expect(await forge.files.get(gone.id)).toBeNull();
    expect(await forge.blobs.stat(blobKey)).toBeNull(); // released: the delete went through
  });

  it('without the hold, the same race leaves the deleted file listed as missing', async () => {
    const { blobKey, result } = await backupWhileDeleting(false);
    expect(result.missing).toEqual([blobKey]);
  });
});
