import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createForge, type Forge, type ForgeOptions } from '@fileforge/core';
import { type S3Emulator, startS3Emulator } from '@fileforge/test-fixtures/s3';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createImageProcessor } from '../src/image/processor.js';
import type { MediaMetadata } from '../src/media/probe.js';
import { createMediaProcessor } from '../src/media/processor.js';
import { hasBinary } from './binaries.js';
import { ingestProcessed } from './forge.js';
import { testVideo, topLevelBoxes } from './media-fixtures.js';

let s3: S3Emulator;
let raw: S3Client;
let dir: string;
const forges: Forge[] = [];
beforeAll(async () => {
  s3 = await startS3Emulator();
  raw = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: { ...s3.credentials },
    forcePathStyle: true,
  });
  dir = await mkdtemp(join(tmpdir(), 'fileforge-s3-forge-'));
});
afterEach(async () => {
  for (const forge of forges.splice(0)) await forge.close();
});
afterAll(async () => {
  raw?.destroy();
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A forge (SQLite catalog) whose blobs live in the emulator under their own prefix. */
async function s3Forge(options: ForgeOptions): Promise<{ forge: Forge; prefix: string }> {
  const prefix = `${randomUUID()}/`;
  const forge = await createForge({
    dataDir: join(dir, prefix),
    s3: { bucket: s3.bucket, endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials, prefix },
    ...options,
  });
  forges.push(forge);
  return { forge, prefix };
}

/** Keys of every object under `prefix` (without it). */
async function objectsUnder(prefix: string): Promise<string[]> {
  const page = await raw.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
  return (page.Contents ?? []).map((o) => o.Key!.slice(prefix.length)).sort();
}

/** Every file under `path`, recursively (none when it does not exist). */
async function filesUnder(path: string): Promise<string[]> {
  const entries = await readdir(path, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

// Issue 13: a forge configured for S3-compatible storage ingests, processes, serves and deletes
// exactly as on local disk; the blobs are objects in the bucket.
describe('a forge on S3-compatible storage', { timeout: 60_000 }, () => {
  it('ingests an image, derives its thumbnail, serves bytes and ranges, sorts in the catalog, deletes every object', async () => {
    const { forge, prefix } = await s3Forge({ processors: [createImageProcessor()] });
    await forge.sorter.rules.put('default', {
      id: 'pictures',
      category: 'pictures',
      conditions: [{ field: 'name', op: 'glob', value: '*.png' }],
      destination: 'pictures/{name}{ext}',
    });
    const png = await sharp({
      create: { width: 640, height: 480, channels: 3, background: { r: 200, g: 30, b: 90 } },
    })
      .png()
      .toBuffer();
    const record = await ingestProcessed(forge, png, { name: 'sunset.png' });
    expect(record).toMatchObject({ status: 'processed', mime: 'image/png', path: 'pictures/sunset.png' });
    const derivatives = await forge.files.derivatives(record.id);
    expect(derivatives.map((d) => d.name)).toContain('thumbnail-256.webp');

    // The original and the thumbnail are objects in the bucket, nothing else is (no marker).
    const objects = await objectsUnder(prefix);
    expect(objects).toContain(record.blobKey);
    expect(objects.length).toBe(1 + derivatives.length);
    const stored = await raw.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: `${prefix}${record.blobKey}` }),
    );
    expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(png)).toBe(true);

    // Served back: whole, a range, the thumbnail.
    const whole = await forge.files.open(record.id);
    expect(Buffer.concat(await whole.stream.toArray()).equals(png)).toBe(true);
    const range = await forge.files.open(record.id, { start: 1, end: 3 });
    expect(await text(range.stream)).toBe('PNG');
    const thumb = await forge.files.openDerivative(record.id, 'thumbnail-256.webp');
    const thumbMeta = await sharp(Buffer.concat(await thumb.stream.toArray())).metadata();
    expect(thumbMeta.format).toBe('webp');
    expect(Math.max(thumbMeta.width ?? 0, thumbMeta.height ?? 0)).toBe(256);

    // The sorted tree is a catalog tree on S3: listed by the API, nothing materialised on disk.
    expect((await forge.sorter.folders('default', 'pictures')).files.map((f) => f.id)).toEqual([record.id]);
    expect(await filesUnder(forge.options.sortedFolder)).toEqual([]);

    await forge.files.delete(record.id);
    expect(await objectsUnder(prefix)).toEqual([]);
  });

  it('keeps blobs encrypted at rest in the bucket, and serves them decrypted', async () => {
    const { forge, prefix } = await s3Forge({ processors: [], encryption: { keys: [randomBytes(32)] } });
    const content = `confidential minutes ${'x'.repeat(200_000)}\n`;
    const record = await ingestProcessed(forge, content, { name: 'minutes.txt' });
    const stored = await raw.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: `${prefix}${record.blobKey}` }),
    );
    const ciphertext = Buffer.from(await stored.Body!.transformToByteArray());
    expect(ciphertext.includes(Buffer.from('confidential'))).toBe(false);
    expect(await text((await forge.files.open(record.id)).stream)).toBe(content);
    expect(await text((await forge.files.open(record.id, { start: 13, end: 20 })).stream)).toBe('minutes ');
  });

  describe.skipIf(!(hasBinary('ffmpeg') && hasBinary('ffprobe')))('ffmpeg (needs ffmpeg)', () => {
    let mp4: Buffer;
    beforeAll(async () => {
      const path = await testVideo(dir, { seconds: 3, size: '320x240', rate: 10, name: 'moov-at-end.mp4' });
      const boxes = await topLevelBoxes(path);
      expect(boxes.indexOf('moov')).toBeGreaterThan(boxes.indexOf('mdat'));
      mp4 = await readFile(path);
    }, 120_000);

    it('probes an MP4 whose index is at its end from a private temp copy, removed afterwards', async () => {
      const { forge } = await s3Forge({ processors: [createMediaProcessor()] });
      const paths: string[] = [];
      const blobs = forge.blobs as { withLocalFile: NonNullable<Forge['blobs']['withLocalFile']> };
      const original = blobs.withLocalFile.bind(forge.blobs);
      blobs.withLocalFile = (key, work, options) =>
        original(
          key,
          (path) => {
            paths.push(path);
            return work(path);
          },
          options,
        );
      const record = await ingestProcessed(forge, mp4, { name: 'clip.mp4' });
      expect(record.status).toBe('processed');
      expect(record.metadata.media as MediaMetadata).toMatchObject({
        format: 'mp4',
        video: { codec: 'h264' },
      });
      expect((await forge.files.derivatives(record.id)).map((d) => d.name)).toEqual(['poster.jpg']);
      // Tools read temp copies under UPLOAD_FOLDER/.tmp, all gone once processing is done.
      expect(paths.length).toBeGreaterThan(0);
      const temp = join(forge.options.uploadFolder, '.tmp');
      for (const path of paths) expect(path.startsWith(temp)).toBe(true);
      expect(await filesUnder(forge.options.uploadFolder)).toEqual([]);
    });
  });
});
