import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FileForgeError } from '@fileforge/core';
import { inspect, noisyJpeg, pixelFloodPng, solid } from '@fileforge/test-fixtures/images';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convert, resize, thumbnail } from './operations.js';

async function failure(promise: Promise<unknown>): Promise<FileForgeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!FileForgeError.is(error)) throw new Error(`expected a FileForgeError, got ${String(error)}`);
  return error;
}

describe('image operations', () => {
  let dir: string;
  let photoPath: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fileforge-image-ops-'));
    photoPath = join(dir, 'photo.jpg');
    await writeFile(
      photoPath,
      await sharp({ create: { width: 800, height: 600, channels: 3, background: '#123456' } })
        .jpeg()
        .withExif({ IFD0: { Make: 'FileForge', Model: 'TestCam' } })
        .toBuffer(),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  describe('resize', () => {
    it('resizes a file to a width, keeping the aspect ratio and the format', async () => {
      const { data, info } = await resize(photoPath, { width: 400 });
      expect(info).toEqual({ format: 'jpeg', width: 400, height: 300, size: data.length });
      const meta = await inspect(data);
      expect(meta).toMatchObject({ format: 'jpeg', width: 400, height: 300 });
      expect(meta.exif).toBeUndefined();
    });

    it('fills an exact box when asked and writes another format', async () => {
      const { info } = await resize(await solid(300, 100, 'png'), {
        width: 50,
        height: 50,
        fit: 'cover',
        format: 'webp',
      });
      expect(info).toMatchObject({ format: 'webp', width: 50, height: 50 });
    });

    it('does not enlarge unless told to', async () => {
      const small = await solid(40, 20, 'png');
      expect((await resize(small, { width: 400 })).info).toMatchObject({ width: 40, height: 20 });
      const larger = await resize(small, { width: 400, withoutEnlargement: false });
      expect(larger.info).toMatchObject({ width: 400, height: 200 });
    });

    it('keeps EXIF only with keepMetadata', async () => {
      const { data } = await resize(photoPath, { width: 100, keepMetadata: true });
      expect((await inspect(data)).exif?.toString('latin1')).toContain('TestCam');
    });

    it('renders SVG sharply at the requested size', async () => {
      const svg = Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="#f00"/></svg>',
      );
      const { info } = await resize(svg, { width: 800, withoutEnlargement: false });
      expect(info).toMatchObject({ format: 'png', width: 800, height: 400 });
    });

    it('refuses a call without width or height, and bad values', async () => {
      expect((await failure(resize(photoPath, {}))).code).toBe('VALIDATION_FAILED');
      expect((await failure(resize(photoPath, { width: 0 }))).code).toBe('VALIDATION_FAILED');
      expect((await failure(resize(photoPath, { width: 10, fit: 'squash' as never }))).code).toBe(
        'VALIDATION_FAILED',
      );
      expect((await failure(resize(42 as never, { width: 10 }))).code).toBe('VALIDATION_FAILED');
    });
  });

  describe('convert', () => {
    it('re-encodes a stream in another format at the same size', async () => {
      const { data, info } = await convert(Readable.from([await solid(120, 80, 'png')]), { format: 'avif' });
      expect(info).toMatchObject({ format: 'avif', width: 120, height: 80 });
      expect((await inspect(data)).format).toBe('heif');
    });

    it('refuses an unknown format', async () => {
      expect((await failure(convert(photoPath, { format: 'bmp' as never }))).code).toBe('VALIDATION_FAILED');
    });
  });

  describe('thumbnail', () => {
    it('fits inside the size as WebP by default', async () => {
      const { data, info } = await thumbnail(photoPath, { size: 256 });
      expect(info).toMatchObject({ format: 'webp', width: 256, height: 192 });
      expect((await inspect(data)).exif).toBeUndefined();
    });

    it('writes JPEG with transparency flattened onto white', async () => {
      const transparent = await sharp({
        create: { width: 10, height: 10, channels: 4, background: '#00000000' },
      })
        .png()
        .toBuffer();
      const { data } = await thumbnail(transparent, { size: 10, format: 'jpeg' });
      const { dominant } = await sharp(data).stats();
      expect(dominant.r).toBeGreaterThan(240);
    });
  });

  describe('on untrusted input', () => {
    it('rejects an image over the pixel cap from its header', async () => {
      const error = await failure(thumbnail(pixelFloodPng(10_000, 10_000), { size: 64 }));
      expect(error.code).toBe('CONTENT_REJECTED');
      expect(error.details).toMatchObject({ reason: 'image_too_many_pixels', width: 10_000, height: 10_000 });
      const small = await failure(resize(await solid(101, 100, 'png'), { width: 10, maxPixels: 10_000 }));
      expect(small.details).toMatchObject({ reason: 'image_too_many_pixels', limit: 10_000 });
    });

    it('refuses a resize whose output would exceed the pixel cap', async () => {
      const strip = await solid(1, 4000, 'png');
      const error = await failure(resize(strip, { width: 4000, withoutEnlargement: false }));
      expect(error.details).toMatchObject({
        reason: 'image_too_many_pixels',
        output: true,
        width: 4000,
        height: 16_000_000,
      });
      expect((await resize(strip, { width: 4000 })).info).toMatchObject({ width: 1, height: 4000 });
    });

    it('rejects a truncated image as corrupt', async () => {
      const jpeg = await noisyJpeg();
      const error = await failure(convert(jpeg.subarray(0, jpeg.length >> 1), { format: 'png' }));
      expect(error.details).toMatchObject({ reason: 'image_corrupt' });
    });

    it('applies the SVG checks to paths, buffers and streams alike', async () => {
      const xxe =
        '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg" width="9" height="9">&x;</svg>';
      const path = join(dir, 'xxe.svg');
      await writeFile(path, xxe);
      for (const input of [path, Buffer.from(xxe), Readable.from([Buffer.from(xxe)])]) {
        expect((await failure(thumbnail(input, { size: 8 }))).details).toMatchObject({ reason: 'svg_dtd' });
      }
      const utf16 = Buffer.from(`\ufeff${xxe}`, 'utf16le');
      expect((await failure(thumbnail(utf16, { size: 8 }))).details).toMatchObject({
        reason: 'image_corrupt',
      });
      const utf16NoBom = Buffer.from(xxe, 'utf16le');
      expect((await failure(thumbnail(utf16NoBom, { size: 8 }))).details).toMatchObject({
        reason: 'svg_encoding',
      });
    });

    it('reads SVG from a path into memory, so the path loader stays blocked', async () => {
      const path = join(dir, 'ok.svg');
      await writeFile(path, '<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20"></svg>');
      expect((await thumbnail(path, { size: 15 })).info).toMatchObject({ width: 15, height: 10 });
      await expect(sharp(path).metadata()).rejects.toThrow(/unsupported image format/);
    });

    it('refuses gzip-compressed input and streams over maxInputBytes', async () => {
      const { gzipSync } = await import('node:zlib');
      const svgz = gzipSync('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>');
      expect((await failure(thumbnail(svgz, { size: 8 }))).details).toMatchObject({
        reason: 'image_corrupt',
      });
      const stream = Readable.from([await solid(50, 50, 'png')]);
      const error = await failure(thumbnail(stream, { size: 8, maxInputBytes: 64 }));
      expect(error.details).toMatchObject({ reason: 'input_too_large', limit: 64 });
    });

    it('stops when the signal is aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(thumbnail(photoPath, { size: 8 }, { signal: controller.signal })).rejects.toThrow();
    });
  });
});
