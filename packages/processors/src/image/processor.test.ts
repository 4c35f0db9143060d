import { buffer } from 'node:stream/consumers';
import type { Forge } from '@fileforge/core';
import { inspect, solid } from '@fileforge/test-fixtures/images';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ingestProcessed, useForge } from '../../test/forge.js';
import type { ImageMetadata, UndecodedImageMetadata } from './metadata.js';
import { createImageProcessor } from './processor.js';

function photo(exif: Record<string, Record<string, string>>, width = 640, height = 480) {
  return sharp({ create: { width, height, channels: 3, background: '#2050c0' } })
    .jpeg()
    .withExif(exif)
    .toBuffer();
}

const PHOTO_EXIF = {
  IFD0: { Make: 'FileForge', Model: 'TestCam' },
  IFD2: { DateTimeOriginal: '2024:05:01 10:20:30' },
};

async function derivativeBytes(forge: Forge, id: string, name: string) {
  const { stream } = await forge.files.openDerivative(id, name);
  return buffer(stream);
}

describe('image processor', () => {
  describe('with default options', () => {
    const forge = useForge(() => ({ processors: [createImageProcessor()] }));

    it('records a JPEG photo and attaches a metadata-free WebP thumbnail', async () => {
      const record = await ingestProcessed(forge(), await photo(PHOTO_EXIF), { name: 'holiday.jpg' });
      expect(record.status).toBe('processed');
      const image = record.metadata.image as ImageMetadata;
      expect(image).toMatchObject({
        extracted: true,
        format: 'jpeg',
        width: 640,
        height: 480,
        space: 'srgb',
        channels: 3,
        hasAlpha: false,
        animated: false,
        exif: {
          Make: 'FileForge',
          Model: 'TestCam',
          DateTimeOriginal: '2024:05:01 10:20:30',
          takenAt: '2024-05-01T10:20:30',
        },
      });
      expect(image.dominantColour).toMatch(/^#[0-9a-f]{6}$/);
      expect(image.phash).toMatch(/^[0-9a-f]{16}$/);

      const derivatives = await forge().files.derivatives(record.id);
      expect(derivatives).toEqual([
        expect.objectContaining({
          name: 'thumbnail-256.webp',
          kind: 'thumbnail',
          mime: 'image/webp',
          width: 256,
          height: 192,
        }),
      ]);
      const thumb = await inspect(await derivativeBytes(forge(), record.id, 'thumbnail-256.webp'));
      expect(thumb).toMatchObject({ format: 'webp', width: 256, height: 192 });
      expect(thumb.exif).toBeUndefined();
    });

    it('reports the dominant colour of the pixels', async () => {
      const record = await ingestProcessed(forge(), await solid(300, 200, 'png', '#d03020'), {
        name: 'red.png',
      });
      const image = record.metadata.image as ImageMetadata;
      // The 4096-bin histogram reports the centre of the bin the colour falls into.
      const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(image.dominantColour.slice(i, i + 2), 16));
      expect(Math.abs(r! - 0xd0)).toBeLessThanOrEqual(16);
      expect(Math.abs(g! - 0x30)).toBeLessThanOrEqual(16);
      expect(Math.abs(b! - 0x20)).toBeLessThanOrEqual(16);
    });

    it('converts GPS coordinates to decimal degrees', async () => {
      const jpeg = await photo({
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '48/1 51/1 2952/100',
          GPSLongitudeRef: 'W',
          GPSLongitude: '2/1 17/1 4008/100',
        },
      });
      const record = await ingestProcessed(forge(), jpeg, { name: 'gps.jpg' });
      const { exif } = record.metadata.image as ImageMetadata;
      expect(exif?.GPSLatitude).toBeCloseTo(48 + 51 / 60 + 29.52 / 3600, 4);
      expect(exif?.GPSLongitude).toBeCloseTo(-(2 + 17 / 60 + 40.08 / 3600), 4);
      const thumb = await inspect(await derivativeBytes(forge(), record.id, 'thumbnail-256.webp'));
      expect(thumb.exif).toBeUndefined();
    });

    it('reports and applies the EXIF orientation', async () => {
      const rotated = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#000' } })
        .jpeg()
        .withMetadata({ orientation: 6 })
        .toBuffer();
      const record = await ingestProcessed(forge(), rotated, { name: 'portrait.jpg' });
      expect(record.metadata.image).toMatchObject({ orientation: 6, width: 480, height: 640 });
      const [thumb] = await forge().files.derivatives(record.id);
      expect(thumb).toMatchObject({ width: 192, height: 256 });
    });

    it('never enlarges a small image and keeps its alpha channel', async () => {
      const icon = await sharp({ create: { width: 32, height: 16, channels: 4, background: '#ff000080' } })
        .png()
        .toBuffer();
      const record = await ingestProcessed(forge(), icon, { name: 'icon.png' });
      expect(record.metadata.image).toMatchObject({ width: 32, height: 16, hasAlpha: true, channels: 4 });
      const [thumb] = await forge().files.derivatives(record.id);
      expect(thumb).toMatchObject({ width: 32, height: 16 });
    });

    it('handles every raster format it claims', async () => {
      for (const format of ['png', 'webp', 'gif', 'tiff', 'avif'] as const) {
        const record = await ingestProcessed(forge(), await solid(120, 90, format), { name: `x.${format}` });
        expect(record.status, format).toBe('processed');
        expect(record.metadata.image, format).toMatchObject({ width: 120, height: 90 });
        const [thumb] = await forge().files.derivatives(record.id);
        expect(thumb, format).toMatchObject({ name: 'thumbnail-256.webp', width: 120, height: 90 });
      }
    });

    it('describes an animation and thumbnails its first frame', async () => {
      // Three 40×30 frames of different greys (identical frames would be merged by the encoder).
      const pixels = Buffer.alloc(40 * 90 * 3);
      for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(i / (40 * 30 * 3)) * 100;
      const frames = await sharp(pixels, { raw: { width: 40, height: 90, channels: 3, pageHeight: 30 } })
        .gif({ delay: [100, 100, 100] })
        .toBuffer();
      const record = await ingestProcessed(forge(), frames, { name: 'anim.gif' });
      expect(record.metadata.image).toMatchObject({
        format: 'gif',
        width: 40,
        height: 30,
        pages: 3,
        animated: true,
      });
      const [thumb] = await forge().files.derivatives(record.id);
      expect(thumb).toMatchObject({ width: 40, height: 30 });
    });

    it('records HEIC without decoding it', async () => {
      // An ISO-BMFF "ftyp heic" box is enough for detection; the processor reads no further.
      const ftyp = Buffer.alloc(32);
      ftyp.writeUInt32BE(24, 0);
      ftyp.write('ftypheic', 4, 'latin1');
      ftyp.write('mif1heic', 16, 'latin1');
      const record = await ingestProcessed(forge(), ftyp, { name: 'IMG_0001.HEIC' });
      expect(record.mime).toBe('image/heic');
      expect(record.status).toBe('processed');
      expect(record.metadata.image).toEqual({
        format: 'heic',
        extracted: false,
        reason: 'HEIC is not decoded',
      } satisfies UndecodedImageMetadata);
      expect(await forge().files.derivatives(record.id)).toEqual([]);
    });

    it('does not run on files that are not images, whatever their name', async () => {
      const record = await ingestProcessed(forge(), 'just text', { name: 'fake.png' });
      expect(record.metadata.image).toBeUndefined();
    });

    it('replaces its derivatives when the file is processed again', async () => {
      const record = await ingestProcessed(forge(), await photo(PHOTO_EXIF), { name: 'again.jpg' });
      const [before] = await forge().files.derivatives(record.id);
      await forge().files.reprocess(record.id);
      await forge().queue.onIdle();
      const after = await forge().files.derivatives(record.id);
      expect(after).toHaveLength(1);
      expect(after[0]).toMatchObject({ name: 'thumbnail-256.webp', sha256: before?.sha256 });
      expect(after[0]?.blobKey).not.toBe(before?.blobKey);
    });
  });

  describe('with keepMetadata and several thumbnails', () => {
    const forge = useForge(() => ({
      processors: [
        createImageProcessor({
          keepMetadata: true,
          thumbnails: [
            { size: 128, format: 'jpeg', quality: 70 },
            { size: 320, format: 'png' },
          ],
        }),
      ],
    }));

    it('keeps the EXIF in every thumbnail', async () => {
      const record = await ingestProcessed(forge(), await photo(PHOTO_EXIF), { name: 'keep.jpg' });
      const derivatives = await forge().files.derivatives(record.id);
      expect(derivatives.map((d) => [d.name, d.mime, d.width, d.height]).sort()).toEqual([
        ['thumbnail-128.jpg', 'image/jpeg', 128, 96],
        ['thumbnail-320.png', 'image/png', 320, 240],
      ]);
      for (const d of derivatives) {
        const { exif } = await inspect(await derivativeBytes(forge(), record.id, d.name));
        expect(exif, d.name).toBeDefined();
        expect(exif?.toString('latin1')).toContain('TestCam');
      }
    });
  });

  describe('support descriptor', () => {
    it('names formats, extracts, derivatives and refusal reasons', () => {
      const { support } = createImageProcessor({ maxPixels: 1_000_000 });
      expect(support?.formats).toContain('SVG');
      expect(support?.derivatives).toEqual(
        expect.arrayContaining([expect.stringContaining('thumbnail-256.webp')]),
      );
      const limits = support?.limits?.join('\n') ?? '';
      for (const reason of [
        'image_too_many_pixels',
        'image_corrupt',
        'svg_dtd',
        'svg_encoding',
        'input_too_large',
      ]) {
        expect(limits).toContain(reason);
      }
      expect(limits).toContain('1000000');
    });
  });
});
