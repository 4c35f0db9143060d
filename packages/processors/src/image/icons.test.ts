import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ingestProcessed, useForge } from '../../test/forge.js';
import type { ImageMetadata } from './metadata.js';
import { createImageProcessor } from './processor.js';

const png = (size: number, colour = '#d04020') =>
  sharp({ create: { width: size, height: size, channels: 4, background: colour } })
    .png()
    .toBuffer();

/** A 24-bit Windows bitmap picture (BITMAPINFOHEADER, bottom-up rows, AND mask: left half transparent). */
function dib24(size: number): Buffer {
  const stride = Math.ceil((size * 24) / 32) * 4;
  const maskStride = Math.ceil(size / 32) * 4;
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8);
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(24, 14);
  const pixels = Buffer.alloc(stride * size, 0x80);
  const mask = Buffer.alloc(maskStride * size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size / 2; x++) mask[y * maskStride + (x >> 3)]! |= 0x80 >> (x & 7);
  return Buffer.concat([header, pixels, mask]);
}

/** An ICO file of `pictures` (each PNG or DIB bytes, with its side). */
function ico(pictures: [Buffer, number][]): Buffer {
  const head = Buffer.alloc(6 + 16 * pictures.length);
  head.writeUInt16LE(1, 2);
  head.writeUInt16LE(pictures.length, 4);
  let offset = head.length;
  pictures.forEach(([data, side], i) => {
    const at = 6 + i * 16;
    head[at] = side >= 256 ? 0 : side;
    head[at + 1] = side >= 256 ? 0 : side;
    head.writeUInt16LE(1, at + 4);
    head.writeUInt16LE(32, at + 6);
    head.writeUInt32LE(data.length, at + 8);
    head.writeUInt32LE(offset, at + 12);
    offset += data.length;
  });
  return Buffer.concat([head, ...pictures.map(([data]) => data)]);
}

function icns(chunks: [string, Buffer][]): Buffer {
  const body = chunks.map(([type, data]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + body.reduce((n, b) => n + b.length, 0), 4);
  return Buffer.concat([head, ...body]);
}

/** `data` (a PNG) with an `acTL` chunk announcing `frames` frames inserted after IHDR. */
function withAnimationControl(data: Buffer, frames: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeUInt32BE(frames, 0);
  const type = Buffer.from('acTL', 'latin1');
  const chunk = Buffer.alloc(12 + body.length);
  chunk.writeUInt32BE(body.length, 0);
  type.copy(chunk, 4);
  body.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(Buffer.concat([type, body])), 8 + body.length);
  const ihdrEnd = 8 + 25;
  return Buffer.concat([data.subarray(0, ihdrEnd), chunk, data.subarray(ihdrEnd)]);
}

describe('image processor on icons, APNG and SVG sizes (issue 9)', () => {
  const forge = useForge(() => ({ processors: [createImageProcessor()] }));
  const thumbnails = async (id: string) =>
    (await forge().files.derivatives(id)).map((d) => [d.name, d.width]);

  it('describes an ICO by its largest picture and thumbnails it', async () => {
    const file = ico([
      [dib24(16), 16],
      [await png(48), 48],
    ]);
    const record = await ingestProcessed(forge(), file, { name: 'favicon.ico' });
    expect(record).toMatchObject({ status: 'processed', mime: 'image/x-icon' });
    expect(record.metadata.image).toMatchObject({ format: 'ico', icons: 2, width: 48, height: 48 });
    expect(await thumbnails(record.id)).toEqual([['thumbnail-256.webp', 48]]);
  });

  it('reads an ICO of bitmap pictures, with the AND mask as transparency', async () => {
    const record = await ingestProcessed(forge(), ico([[dib24(32), 32]]), { name: 'old.ico' });
    expect(record.status).toBe('processed');
    expect(record.metadata.image).toMatchObject({ format: 'ico', icons: 1, width: 32, hasAlpha: true });
    expect(await thumbnails(record.id)).toEqual([['thumbnail-256.webp', 32]]);
  });

  it('describes an ICNS by its largest PNG picture', async () => {
    const file = icns([
      ['ic07', await png(128)],
      ['ic04', Buffer.from('not a png')],
    ]);
    const record = await ingestProcessed(forge(), file, { name: 'App.icns' });
    expect(record).toMatchObject({ status: 'processed', mime: 'image/icns' });
    expect(record.metadata.image).toMatchObject({ format: 'icns', icons: 2, width: 128 });
    expect(await thumbnails(record.id)).toEqual([['thumbnail-256.webp', 128]]);
  });

  it('records an icon file without a readable picture as not extracted', async () => {
    const record = await ingestProcessed(forge(), icns([['it32', Buffer.alloc(64, 1)]]), { name: 'x.icns' });
    expect(record.status).toBe('processed');
    expect(record.metadata.image).toMatchObject({ format: 'icns', extracted: false });
  });

  it('marks an APNG animated, with its frame count', async () => {
    const record = await ingestProcessed(forge(), withAnimationControl(await png(20), 3), {
      name: 'spin.png',
    });
    expect(record).toMatchObject({ status: 'processed', mime: 'image/apng' });
    expect(record.metadata.image).toMatchObject({ animated: true, pages: 3 });
  });

  it('sizes an SVG in physical units at 96 DPI, like browsers', async () => {
    const svg = (w: string, h: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%"/></svg>`;
    const inches = await ingestProcessed(forge(), svg('1in', '2.54cm'), { name: 'inch.svg' });
    expect(inches).toMatchObject({ status: 'processed', mime: 'image/svg+xml', error: null });
    expect(inches.metadata.image as ImageMetadata).toMatchObject({ format: 'svg', width: 96, height: 96 });
    // Physical units grow with the square of libvips' density: the preview still fits 1024 px.
    const previews = (await forge().files.derivatives(inches.id)).filter((d) => d.name === 'preview.png');
    expect(previews.map((d) => [d.width, d.height])).toEqual([[1024, 1024]]);
    const pixels = await ingestProcessed(forge(), svg('100', '50px'), { name: 'px.svg' });
    expect(pixels.metadata.image as ImageMetadata).toMatchObject({ width: 100, height: 50 });
  });
});
