import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createForge } from './create-forge.js';
import type { Forge } from './forge.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let forge: Forge | undefined;
let dir: string | undefined;
afterEach(async () => {
  await forge?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  forge = dir = undefined;
});

async function stage(f: Forge, root: string, bytes: Buffer): Promise<string> {
  const staging = f.blobs.stagingDir?.() ?? join(root, 'staging');
  await mkdir(staging, { recursive: true });
  const path = join(staging, 'upload');
  await writeFile(path, bytes);
  return path;
}

describe('forge.ingest() of a staged file', () => {
  it('links the staged file into the local store (same inode, no copy) with detection and the record', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fileforge-staged-'));
    forge = await createForge({ dataDir: dir });
    const bytes = Buffer.from('%PDF-1.4\n% staged\n');
    const path = await stage(forge, dir, bytes);
    const record = await forge.ingest({ stagedPath: path }, { name: 'doc.txt' });
    expect(record.sha256).toBe(sha256(bytes));
    expect(record.size).toBe(bytes.length);
    expect(record.mime).toBe('application/pdf');
    expect(record.typeMismatch).toBe(true);
    const blob = forge.blobs.localPath!(record.blobKey);
    expect((await stat(blob)).ino).toBe((await stat(path)).ino);
  });

  it('trusts a SHA-256 the caller computed while the bytes arrived (no read pass)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fileforge-staged-'));
    forge = await createForge({ dataDir: dir });
    const bytes = randomBytes(1000);
    const path = await stage(forge, dir, bytes);
    const record = await forge.ingest({ stagedPath: path, sha256: sha256(bytes) }, { name: 'x.bin' });
    expect(record.sha256).toBe(sha256(bytes));
  });

  it('applies the size cap and the allow-list before anything is stored', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fileforge-staged-'));
    forge = await createForge({ dataDir: dir, maxFileSize: 10, allowedTypes: ['image/*'] });
    const big = await stage(forge, dir, randomBytes(11));
    await expect(forge.ingest({ stagedPath: big }, { name: 'big.bin' })).rejects.toMatchObject({
      code: 'FILE_TOO_LARGE',
    });
    const text = await stage(forge, dir, Buffer.from('plain'));
    await expect(forge.ingest({ stagedPath: text }, { name: 'a.txt' })).rejects.toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
    expect((await forge.files.list({})).items).toHaveLength(0);
  });

  it('streams the staged file through an encrypting store instead of linking it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fileforge-staged-'));
    forge = await createForge({ dataDir: dir, encryption: { keys: [randomBytes(32)] } });
    expect(forge.blobs.adopt).toBeUndefined();
    const bytes = Buffer.from('secret staged content '.repeat(100));
    const path = await stage(forge, dir, bytes);
    const record = await forge.ingest({ stagedPath: path }, { name: 's.txt' });
    expect(record.sha256).toBe(sha256(bytes));
    const back = Buffer.concat(await (await forge.files.open(record.id)).stream.toArray());
    expect(back.equals(bytes)).toBe(true);
  });
});
