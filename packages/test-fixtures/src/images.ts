import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** One EXIF/TIFF directory entry: a tag, a TIFF type and its raw values. */
export interface TiffEntry {
  tag: number;
  /** 2 ASCII, 3 SHORT, 4 LONG, 5 RATIONAL, 1 BYTE. */
  type: 1 | 2 | 3 | 4 | 5;
  /** A string for ASCII, numbers for SHORT/LONG/BYTE, [numerator, denominator] pairs for RATIONAL. */
  value: string | number[] | [number, number][];
}

const SIZE = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8 } as const;

/**
 * A tiny EXIF writer for tests: IFD0 plus optional Exif and GPS directories, little- or
 * big-endian, returned with the `Exif\0\0` prefix as sharp's `metadata().exif` gives it.
 */
export function exifBlock(
  dirs: { ifd0?: TiffEntry[]; exif?: TiffEntry[]; gps?: TiffEntry[] },
  littleEndian = true,
): Buffer {
  const out = Buffer.alloc(4096);
  const view = new DataView(out.buffer, out.byteOffset + 6);
  out.write('Exif\0\0', 0, 'latin1');
  out.write(littleEndian ? 'II' : 'MM', 6, 'latin1');
  view.setUint16(2, 42, littleEndian);
  view.setUint32(4, 8, littleEndian);
  let next = 8;
  const writeDir = (entries: TiffEntry[]): number => {
    const at = next;
    view.setUint16(at, entries.length, littleEndian);
    let data = at + 2 + entries.length * 12 + 4;
    entries.forEach((e, i) => {
      const base = at + 2 + i * 12;
      const bytes =
        e.type === 2
          ? Buffer.from(`${e.value as string}\0`, 'latin1')
          : Buffer.alloc((e.value as unknown[]).length * SIZE[e.type]);
      const bv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
      if (e.type !== 2) {
        (e.value as (number | [number, number])[]).forEach((v, j) => {
          if (e.type === 1) bv.setUint8(j, v as number);
          if (e.type === 3) bv.setUint16(j * 2, v as number, littleEndian);
          if (e.type === 4) bv.setUint32(j * 4, v as number, littleEndian);
          if (e.type === 5) {
            const [n, d] = v as [number, number];
            bv.setUint32(j * 8, n, littleEndian);
            bv.setUint32(j * 8 + 4, d, littleEndian);
          }
        });
      }
      view.setUint16(base, e.tag, littleEndian);
      view.setUint16(base + 2, e.type, littleEndian);
      view.setUint32(base + 4, e.type === 2 ? bytes.length : (e.value as unknown[]).length, littleEndian);
      if (bytes.length <= 4) bytes.copy(out, 6 + base + 8);
      else {
        view.setUint32(base + 8, data, littleEndian);
        bytes.copy(out, 6 + data);
        data += bytes.length + (bytes.length % 2);
      }
    });
    next = data;
    return at;
  };
  const ifd0 = [...(dirs.ifd0 ?? [])];
  // Pointers are patched after the sub-directories are written.
  if (dirs.exif) ifd0.push({ tag: 0x8769, type: 4, value: [0] });
  if (dirs.gps) ifd0.push({ tag: 0x8825, type: 4, value: [0] });
  const ifd0At = writeDir(ifd0);
  const patch = (tag: number, offset: number) => {
    const count = view.getUint16(ifd0At, littleEndian);
    for (let i = 0; i < count; i++) {
      const base = ifd0At + 2 + i * 12;
      if (view.getUint16(base, littleEndian) === tag) view.setUint32(base + 8, offset, littleEndian);
    }
  };
  if (dirs.exif) patch(0x8769, writeDir(dirs.exif));
  if (dirs.gps) patch(0x8825, writeDir(dirs.gps));
  return out.subarray(0, 6 + next);
}

/** Degrees, minutes, seconds of a decimal coordinate as EXIF rationals (seconds to 1/10000). */
export function dms(decimal: number): [number, number][] {
  const abs = Math.abs(decimal);
  const d = Math.floor(abs);
  const m = Math.floor((abs - d) * 60);
  const s = Math.round(((abs - d) * 60 - m) * 60 * 10_000);
  return [
    [d, 1],
    [m, 1],
    [s, 10_000],
  ];
}

/** Puts an EXIF block (with its `Exif\0\0` prefix) into a JPEG as an APP1 segment after SOI. */
export function withApp1(jpeg: Buffer, exif: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt16BE(0xffe1, 0);
  length.writeUInt16BE(exif.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), length, exif, jpeg.subarray(2)]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function ihdr(width: number, height: number, bitDepth: number, colourType: number): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data[8] = bitDepth;
  data[9] = colourType;
  return pngChunk('IHDR', data);
}

/**
 * A PNG that is only a header: IHDR claiming `width`×`height` (valid CRC), then IEND —
 * with `idat`, an IDAT holding an empty zlib stream in between, so the header reads cleanly.
 */
export function headerOnlyPng(width = 65_535, height = 65_535, idat = false): Buffer {
  return Buffer.concat([
    PNG_SIGNATURE,
    ihdr(width, height, 8, 2),
    ...(idat ? [pngChunk('IDAT', deflateSync(Buffer.alloc(0)))] : []),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A valid PNG of `width`×`height` black pixels in 1-bit greyscale: deflated zero rows make a
 * 10000×10000 image about 12 KB (the classic pixel flood).
 */
export function pixelFloodPng(width = 10_000, height = 10_000): Buffer {
  const row = 1 + Math.ceil(width / 8);
  return Buffer.concat([
    PNG_SIGNATURE,
    ihdr(width, height, 1, 0),
    pngChunk('IDAT', deflateSync(Buffer.alloc(row * height), { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A real PNG (sharp's encoding of a noisy 640×480 picture) whose header is intact but whose
 * pixel data is not: 64 bytes in the middle of the IDAT stream are flipped and the chunk's
 * CRC is recomputed, so every chunk still checks out and the header reads cleanly; only
 * inflating the pixels fails.
 */
export async function corruptBodyPng(): Promise<Buffer> {
  const noise = { type: 'gaussian', mean: 128, sigma: 40 } as const;
  const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#000', noise } })
    .png()
    .toBuffer();
  const idat: { at: number; length: number }[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push({ at, length });
    at += 12 + length;
  }
  const chunk = idat[Math.floor(idat.length / 2)];
  if (!chunk || chunk.length < 128) throw new Error('corruptBodyPng(): no IDAT chunk to corrupt');
  const bad = Buffer.from(png);
  const data = chunk.at + 8;
  for (let i = 0; i < 64; i++) bad[data + (chunk.length >> 1) + i]! ^= 0x5a;
  bad.writeUInt32BE(crc32(bad.subarray(chunk.at + 4, data + chunk.length)), data + chunk.length);
  return bad;
}

/** A photo-like JPEG (noise, so truncating it cuts real entropy-coded data). */
export function noisyJpeg(width = 640, height = 480): Promise<Buffer> {
  const noise = { type: 'gaussian', mean: 128, sigma: 40 } as const;
  return sharp({ create: { width, height, channels: 3, background: '#000', noise } })
    .jpeg()
    .toBuffer();
}

/** A solid-colour image in the given format. */
export function solid(
  width: number,
  height: number,
  format: 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif',
  background = '#d03020',
): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background } })
    .toFormat(format)
    .toBuffer();
}

/** Reads an encoded image's header with sharp (for asserting on derivatives and outputs). */
export function inspect(data: Buffer) {
  return sharp(data).metadata();
}
