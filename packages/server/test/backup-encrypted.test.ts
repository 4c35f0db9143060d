import { createHash, randomBytes } from 'node:crypto';
import { open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createForge, type Forge } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnCli } from './support/child.js';
import { makeTempDir, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

const KEY = `k1:${randomBytes(32).toString('base64')}`;
const MARKER = 'PLAINTEXT-MARKER-7f3a';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function cli(args: string[], env: Record<string, string>) {
  const child = spawnCli(args, { LOG_LEVEL: 'warn', ...env });
  const code = await child.exited;
  return { code, ...child.output() };
}

async function served(forge: Forge): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const record of (await forge.files.list({ limit: 100 })).items) {
    const { stream } = await forge.files.open(record.id);
    hashes[record.id] = sha256(Buffer.concat(await stream.toArray()));
  }
  return hashes;
}

/** Every regular file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

// Issue 12: backup and restore open the blob store as the server does, encrypted at rest.
describe('fileforge backup and restore with ENCRYPTION_KEY', () => {
  it('backs up encrypted blobs, and a wiped data directory restored from the archive serves every file with its SHA-256, its blobs still ciphertext', {
    timeout: 120_000,
  }, async () => {
    const dataDir = await makeTempDir();
    const out = await makeTempDir('fileforge-backups-');
    const contents = [
      Buffer.from(`${MARKER}\n`.repeat(5_000)),
      Buffer.concat([Buffer.from(MARKER), randomBytes(200_000)]),
      Buffer.from(`${MARKER} small`),
    ];
    let forge = await createForge({ dataDir, encryption: { keys: [KEY] } });
    const expected: Record<string, string> = {};
    for (const [i, bytes] of contents.entries()) {
      const record = await forge.ingest(Readable.from([bytes]), { name: `f${i}.txt` });
      expected[record.id] = sha256(bytes);
    }
    await forge.close();

    const env = { DATA_DIR: dataDir, ENCRYPTION_KEY: KEY };
    const backup = await cli(['backup', '--output', out, '--json'], env);
    expect(backup.code, backup.stderr).toBe(0);
    const result = JSON.parse(backup.stdout) as { path: string; missing: string[]; damaged: string[] };
    expect(result.missing).toEqual([]);
    expect(result.damaged).toEqual([]);

    await rm(dataDir, { recursive: true, force: true });
    const restore = await cli(['restore', result.path], env);
    expect(restore.code, restore.stderr).toBe(0);

    const blobs = await filesUnder(join(dataDir, 'uploads'));
    expect(blobs.length).toBeGreaterThanOrEqual(contents.length);
    for (const path of blobs) expect((await readFile(path)).includes(MARKER), path).toBe(false);

    forge = await createForge({ dataDir, encryption: { keys: [KEY] } });
    try {
      expect(await served(forge)).toEqual(expected);
    } finally {
      await forge.close();
    }
  });

  it('backs up around an encrypted blob that fails its authentication: the other files are in the archive, that one is reported unreadable and restored as missing', {
    timeout: 120_000,
  }, async () => {
    const dataDir = await makeTempDir();
    const out = await makeTempDir('fileforge-backups-');
    let forge = await createForge({ dataDir, encryption: { keys: [KEY] } });
    const good = Buffer.from(`${MARKER} intact\n`.repeat(1_000));
    const kept = await forge.ingest(Readable.from([good]), { name: 'kept.txt' });
    const hurt = await forge.ingest(Readable.from([randomBytes(150_000)]), { name: 'hurt.bin' });
    const headless = await forge.ingest(Readable.from([randomBytes(5_000)]), { name: 'headless.bin' });
    await forge.close();
    // Another blob whose encryption header is overwritten: even its size cannot be read.
    const headHandle = await open(join(dataDir, 'uploads', headless.blobKey), 'r+');
    try {
      await headHandle.write(Buffer.alloc(8, 0x41), 0, 8, 0);
    } finally {
      await headHandle.close();
    }
    // One flipped byte in the blob's second segment: its tag no longer checks.
    const blobPath = join(dataDir, 'uploads', hurt.blobKey);
    const handle = await open(blobPath, 'r+');
    try {
      const at = 204 + 70_000;
      const byte = Buffer.alloc(1);
      await handle.read(byte, 0, 1, at);
      byte[0] = (byte[0] ?? 0) ^ 0xff;
      await handle.write(byte, 0, 1, at);
    } finally {
      await handle.close();
    }

    const env = { DATA_DIR: dataDir, ENCRYPTION_KEY: KEY };
    const backup = await cli(['backup', '--output', out], env);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stderr).toContain(`warning: blob ${hurt.blobKey} could not be read`);
    const json = await cli(['backup', '--output', out, '--json'], env);
    const result = JSON.parse(json.stdout) as { path: string; unreadable: string[]; damaged: string[] };
    expect([...result.unreadable].sort()).toEqual([hurt.blobKey, headless.blobKey].sort());
    expect(result.damaged).toEqual([]);

    await rm(dataDir, { recursive: true, force: true });
    const restore = await cli(['restore', result.path], env);
    expect(restore.code, restore.stderr).toBe(0);
    forge = await createForge({ dataDir, encryption: { keys: [KEY] } });
    try {
      const { stream } = await forge.files.open(kept.id);
      expect(sha256(Buffer.concat(await stream.toArray()))).toBe(sha256(good));
      // No zeros passed off as the file: it has no content after the restore.
      await expect(forge.blobs.stat(hurt.blobKey)).resolves.toBeNull();
      await expect(forge.files.open(hurt.id)).rejects.toBeTruthy();
    } finally {
      await forge.close();
    }
  });
});
