import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  createForge,
  type EncryptedBlobStore,
  type Forge,
  type ForgeLogger,
  forgeOptionsFromConfig,
  type KeyRing,
  loadConfig,
  rotateKeys,
} from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';

const keyA = { id: 'a', key: randomBytes(32) };
const keyB = { id: 'b', key: randomBytes(32) };
const dirs: string[] = [];
const forges: Forge[] = [];

afterEach(async () => {
  for (const forge of forges.splice(0)) await forge.close().catch(() => {});
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function newDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fileforge-enc-forge-'));
  dirs.push(dir);
  return dir;
}

async function open(dataDir: string, options: Parameters<typeof createForge>[0] = {}): Promise<Forge> {
  const forge = await createForge({ dataDir, ...options });
  forges.push(forge);
  return forge;
}

async function rawBlobs(forge: Forge): Promise<Buffer[]> {
  const entries = await readdir(forge.options.uploadFolder, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((e) => e.isFile() && !e.parentPath.includes('.tmp'))
      .map((e) => readFile(join(e.parentPath, e.name))),
  );
}

const read = async (forge: Forge, id: string, range: { start?: number; end?: number } = {}) =>
  Buffer.concat(await (await forge.files.open(id, range)).stream.toArray());

describe('encryption at rest through the forge (issue 12)', () => {
  it('stores no plaintext, serves the original and ranges, and dedupes by the plaintext SHA-256', async () => {
    const forge = await open(await newDir(), { encryption: { keys: [keyA] } });
    const pattern = randomBytes(1024);
    const content = Buffer.concat([Buffer.from('%PDF-1.4\n'), ...Array.from({ length: 200 }, () => pattern)]);
    const first = await forge.ingest(Readable.from([content]), { name: 'a.bin' });
    const second = await forge.ingest(Readable.from([content]), { name: 'b.bin' });
    await forge.queue.onIdle();
    expect(first.size).toBe(content.length);
    expect(second.duplicateOf).toBe(first.id);
    expect(second.blobKey).toBe(first.blobKey); // stored once
    for (const raw of await rawBlobs(forge)) expect(raw.includes(pattern)).toBe(false);
    expect((await read(forge, first.id)).equals(content)).toBe(true);
    const [start, end] = [100_000, 150_000];
    expect((await read(forge, first.id, { start, end })).equals(content.subarray(start, end + 1))).toBe(true);
  });

  it('never materialises the sorted tree, and says so in the log', async () => {
    const lines: string[] = [];
    const logger: ForgeLogger = {
      debug() {},
      info: (_o, msg) => lines.push(String(msg)),
      warn: (_o, msg) => lines.push(String(msg)),
      error() {},
    };
    const forge = await open(await newDir(), { encryption: { keys: [keyA] }, materialize: true, logger });
    expect(forge.options.materialize).toBe(false);
    expect(forge.blobs.localPath).toBeUndefined();
    expect(lines.some((l) => l.includes('never materialised'))).toBe(true);
    await forge.sorter.rules.put('default', {
      id: 'notes',
      category: 'notes',
      conditions: [{ field: 'name', op: 'glob', value: '*.txt' }],
      destination: 'notes/{name}{ext}',
    });
    const file = await forge.ingest(Readable.from([Buffer.from('agenda and minutes\n')]), { name: 'm.txt' });
    await forge.queue.onIdle();
    expect((await forge.files.get(file.id))?.path).toBe('notes/m.txt');
    expect(existsSync(join(forge.options.sortedFolder, 'default', 'notes', 'm.txt'))).toBe(false);
  });

  it('reads old-key files after the key changes, keys rotate re-wraps them, and the old key can then go', async () => {
    const dataDir = await newDir();
    let forge = await open(dataDir, { encryption: { keys: [keyA] } });
    const content = randomBytes(200_000);
    const { id } = await forge.ingest(Readable.from([content]), { name: 'old.bin' });
    await forge.queue.onIdle();
    await forge.close();

    forge = await open(dataDir, { encryption: { keys: [keyB, keyA] } });
    expect((await read(forge, id)).equals(content)).toBe(true);
    const report = await rotateKeys(forge.blobs as EncryptedBlobStore);
    expect(report).toMatchObject({ rewrapped: report.total, failed: [] });
    expect(report.total).toBeGreaterThan(0);
    expect(await rotateKeys(forge.blobs as EncryptedBlobStore)).toMatchObject({
      rewrapped: 0,
      current: report.total,
    });
    await forge.close();

    forge = await open(dataDir, { encryption: { keys: [keyB] } });
    expect((await read(forge, id)).equals(content)).toBe(true);
    await forge.close();

    forge = await open(dataDir, { encryption: { keys: [{ id: 'c', key: randomBytes(32) }] } });
    await expect(forge.files.open(id)).rejects.toMatchObject({
      code: 'KEY_UNAVAILABLE',
      details: { keyId: 'b' },
    });
  });

  it('sweeps decrypted temp copies a crash left under the data directory at start-up', async () => {
    const dataDir = await newDir();
    const leftover = join(dataDir, 'tmp', 'decrypted', 'f-crashed');
    await mkdir(leftover, { recursive: true });
    await writeFile(join(leftover, 'content'), 'plaintext a crash left');
    await open(dataDir, { encryption: { keys: [keyA] } });
    expect(existsSync(leftover)).toBe(false);
  });

  it('reads ENCRYPTION_KEY (a Fernet-style key) and ENCRYPTION_KEYS_OLD from the environment, never echoing a bad key', () => {
    const fernet = `${randomBytes(32).toString('base64url')}=`;
    const old = `2025:${randomBytes(32).toString('base64')}`;
    const options = forgeOptionsFromConfig(loadConfig({ ENCRYPTION_KEY: fernet, ENCRYPTION_KEYS_OLD: old }));
    const ring = options.encryption as KeyRing;
    expect(ring.ids).toEqual([ring.current.id, '2025']);
    expect(JSON.stringify(options)).not.toContain(fernet.slice(0, 20));
    expect(forgeOptionsFromConfig(loadConfig({})).encryption).toBeUndefined();
    const bad = randomBytes(16).toString('base64');
    expect(() => loadConfig({ ENCRYPTION_KEY: bad })).toThrow(/ENCRYPTION_KEY: expected a 32-byte key/);
    try {
      loadConfig({ ENCRYPTION_KEY: bad });
    } catch (error) {
      expect((error as Error).message).not.toContain(bad);
    }
  });
});
