import { createHash, randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createForge, type Forge } from '@fileforge/core';
import { createS3RestoreArea } from '@fileforge/core/storage/s3';
import { type S3Emulator, startS3Emulator } from '@fileforge/test-fixtures/s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readEntries, writeEntries } from './support/backup-archive.js';
import { spawnCli } from './support/child.js';
import { emulatorClient } from './support/s3.js';
import { makeTempDir, stopTestServers } from './support/server.js';

const KEY = `k1:${randomBytes(32).toString('base64')}`;
const SECRET = 'backup-s3-test-secret-0123456789abcdef';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let s3: S3Emulator;
let raw: S3Client;
beforeAll(async () => {
  s3 = await startS3Emulator({ bucket: 'fileforge-restore' });
  raw = emulatorClient(s3);
});
afterEach(stopTestServers);
afterAll(async () => {
  raw?.destroy();
  await s3?.close();
});

const location = () => ({
  bucket: s3.bucket,
  endpoint: s3.endpoint,
  region: s3.region,
  credentials: s3.credentials,
});
const openForge = (dataDir: string) => createForge({ dataDir, s3: location(), encryption: { keys: [KEY] } });

async function cli(args: string[], dataDir: string) {
  const child = spawnCli(args, {
    ...s3.env,
    DATA_DIR: dataDir,
    ENCRYPTION_KEY: KEY,
    SECRET_KEY: SECRET,
    LOG_LEVEL: 'warn',
  });
  const code = await child.exited;
  return { code, ...child.output() };
}

async function object(key: string): Promise<Buffer | null> {
  try {
    const got = await raw.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    return Buffer.from(await got.Body!.transformToByteArray());
  } catch {
    return null;
  }
}

async function keysUnder(prefix: string): Promise<string[]> {
  const page = await raw.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
  return (page.Contents ?? []).map((o) => o.Key!);
}

async function served(forge: Forge, id: string): Promise<string> {
  const { stream } = await forge.files.open(id);
  return sha256(Buffer.concat(await stream.toArray()));
}

// A restore with blobs in a bucket: nothing of the archive reaches the live bucket before the
// archive is verified, and what it staged is gone afterwards either way.
describe('fileforge restore with blobs in S3-compatible storage', () => {
  it('never writes a tampered archive into the live bucket, and restores a good one (encrypted at rest) into a wiped data directory', {
    timeout: 180_000,
  }, async () => {
    const dataDir = await makeTempDir();
    const out = await makeTempDir('fileforge-backups-');
    const contents = [Buffer.from('first file\n'.repeat(2_000)), randomBytes(90_000)];
    let forge = await openForge(dataDir);
    const records = [];
    for (const [i, bytes] of contents.entries())
      records.push(await forge.ingest(Readable.from([bytes]), { name: `f${i}.bin` }));
    await forge.close();
    const [first, second] = records as [(typeof records)[0], (typeof records)[0]];
    const liveBefore = await object(first.blobKey);
    expect(liveBefore).not.toBeNull();

    const backup = await cli(['backup', '--output', out, '--json'], dataDir);
    expect(backup.code, backup.stderr).toBe(0);
    const { path } = JSON.parse(backup.stdout) as { path: string };

    // The first file's entry replaced by other bytes: refused, and its live object untouched.
    const entries = await readEntries(path);
    const tampered = join(out, 'tampered.tar.gz');
    await writeEntries(
      tampered,
      entries.map((e) =>
        e.header.name === `blobs/${first.blobKey}`
          ? { ...e, body: Buffer.from('not what was backed up'), header: { ...e.header, size: 22 } }
          : e,
      ),
    );
    const refused = await cli(['restore', tampered, '--json'], dataDir);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'BACKUP_INVALID' } });
    expect(await object(first.blobKey)).toEqual(liveBefore);
    expect(await keysUnder('.fileforge/restore/')).toEqual([]);

    // A lost object and a lost data directory: the archive brings both back.
    await raw.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: second.blobKey }));
    await rm(dataDir, { recursive: true, force: true });
    const restored = await cli(['restore', path], dataDir);
    expect(restored.code, restored.stderr).toBe(0);
    expect(await keysUnder('.fileforge/restore/')).toEqual([]);
    expect((await object(second.blobKey))?.includes(Buffer.from('first file'))).toBe(false);
    forge = await openForge(dataDir);
    try {
      expect(await served(forge, first.id)).toBe(sha256(contents[0]!));
      expect(await served(forge, second.id)).toBe(sha256(contents[1]!));
    } finally {
      await forge.close();
    }
  });

  it('the restore area copies staged blobs over live ones, server side or streamed past the copy limit, and clears what is left', async () => {
    const prefix = `area-${randomBytes(4).toString('hex')}/`;
    const put = (key: string, body: string) =>
      raw.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));
    for (const maxCopyBytes of [undefined, 4]) {
      const area = createS3RestoreArea(
        { ...location(), prefix },
        maxCopyBytes === undefined ? {} : { maxCopyBytes },
      );
      const staging = `${prefix}.fileforge/restore/`;
      try {
        expect(area.staging.prefix).toBe(staging);
        await put(`${prefix}aa/blob-1`, 'old bytes');
        await put(`${staging}aa/blob-1`, 'restored bytes');
        await put(`${staging}aa/blob-2`, 'left over');
        await area.promote('aa/blob-1');
        expect((await object(`${prefix}aa/blob-1`))?.toString()).toBe('restored bytes');
        expect(await object(`${staging}aa/blob-1`)).toBeNull();
        await expect(area.promote('aa/blob-9')).rejects.toMatchObject({ code: 'NOT_FOUND' });
        expect(await area.clear()).toBe(1);
        expect(await keysUnder(staging)).toEqual([]);
      } finally {
        area.close();
      }
    }
  });
});
