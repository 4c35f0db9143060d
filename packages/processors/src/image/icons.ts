/**
 * Windows icons (`.ico`) and Apple icon files (`.icns`) hold several pictures of one icon at
 * different sizes. libvips reads neither container, so the largest picture is taken out of
 * it here and the image processor describes and thumbnails that picture like any other
 * (`format: 'ico' | 'icns'`, `icons`: how many pictures the file holds). ICO pictures are PNG
 * or an uncompressed Windows bitmap (DIB, 1–32 bits per pixel with an AND mask), which is
 * turned into an RGBA PNG here; ICNS pictures are PNG in every modern size (older RLE and
 * JPEG 2000 ones are skipped). Every offset and size is checked against the file.
 */
import type { SharpConstructor } from 'sharp';

/** The picture chosen from an icon file. */
export interface IconPicture {
  format: 'ico' | 'icns';
  /** How many pictures the file lists. */
  icons: number;
  /** The largest picture, as PNG bytes (to go through the image reader and its limits). */
  png: Buffer;
}

/** Detected types of icon files. */
export const ICON_TYPES: readonly string[] = ['image/x-icon', 'image/vnd.microsoft.icon', 'image/icns'];

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const isPng = (data: Buffer) => data.length > 24 && data.subarray(0, 8).equals(PNG_SIGNATURE);
const pngArea = (data: Buffer) => data.readUInt32BE(16) * data.readUInt32BE(20);
/** Largest bitmap (DIB) side decoded here; ICO bitmaps are at most 256 px. */
const MAX_DIB_SIDE = 1024;

/** An uncompressed DIB (BITMAPINFOHEADER, then palette, XOR pixels, AND mask) → RGBA pixels. */
function dibToRgba(dib: Buffer): { data: Buffer; width: number; height: number } | undefined {
  if (dib.length < 40) return undefined;
  const headerSize = dib.readUInt32LE(0);
  const width = dib.readInt32LE(4);
  const height = Math.abs(dib.readInt32LE(8)) / 2; // XOR and AND halves
  const bits = dib.readUInt16LE(14);
  const compression = dib.readUInt32LE(16);
  if (
    width <= 0 ||
    width > MAX_DIB_SIDE ||
    !Number.isInteger(height) ||
    height <= 0 ||
    height > MAX_DIB_SIDE
  ) {
    return undefined;
  }
  if (![1, 4, 8, 24, 32].includes(bits) || !(compression === 0 || (compression === 3 && bits === 32))) {
    return undefined;
  }
  const colours = bits <= 8 ? dib.readUInt32LE(32) || 1 << bits : 0;
  const paletteAt = headerSize + (compression === 3 ? 12 : 0);
  const pixelsAt = paletteAt + colours * 4;
  const stride = Math.ceil((width * bits) / 32) * 4;
  const maskAt = pixelsAt + stride * height;
  const maskStride = Math.ceil(width / 32) * 4;
  if (maskAt > dib.length) return undefined;
  const hasMask = maskAt + maskStride * height <= dib.length;
  const out = Buffer.alloc(width * height * 4);
  let anyAlpha = false;
  for (let y = 0; y < height; y++) {
    const row = pixelsAt + (height - 1 - y) * stride; // bottom-up
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      if (bits >= 24) {
        const p = row + x * (bits / 8);
        out[o] = dib[p + 2] ?? 0;
        out[o + 1] = dib[p + 1] ?? 0;
        out[o + 2] = dib[p] ?? 0;
        out[o + 3] = bits === 32 ? (dib[p + 3] ?? 0) : 255;
        if (bits === 32 && out[o + 3] !== 0) anyAlpha = true;
      } else {
        const bit = x * bits;
        const byte = dib[row + (bit >> 3)] ?? 0;
        const index = (byte >> (8 - bits - (bit & 7))) & ((1 << bits) - 1);
        const entry = paletteAt + index * 4;
        out[o] = dib[entry + 2] ?? 0;
        out[o + 1] = dib[entry + 1] ?? 0;
        out[o + 2] = dib[entry] ?? 0;
        out[o + 3] = 255;
      }
    }
  }
  // Without an alpha channel of its own, the AND mask says which pixels are transparent.
  if (!anyAlpha && hasMask) {
    for (let y = 0; y < height; y++) {
      const row = maskAt + (height - 1 - y) * maskStride;
      for (let x = 0; x < width; x++) {
        const transparent = ((dib[row + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1;
        out[(y * width + x) * 4 + 3] = transparent ? 0 : 255;
      }
    }
  }
  return { data: out, width, height };
}

/** The pictures of an ICO directory: `[bytes, area]`, bounds checked. */
function icoPictures(file: Buffer): Buffer[] {
  if (file.length < 6 || file.readUInt16LE(0) !== 0 || file.readUInt16LE(2) !== 1) return [];
  const count = file.readUInt16LE(4);
  const pictures: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const at = 6 + i * 16;
    if (at + 16 > file.length) break;
    const size = file.readUInt32LE(at + 8);
    const offset = file.readUInt32LE(at + 12);
    if (size > 0 && offset + size <= file.length) pictures.push(file.subarray(offset, offset + size));
  }
  return pictures;
}

/** The PNG pictures of an ICNS file (big-endian chunks of type, length, data). */
function icnsPictures(file: Buffer): Buffer[] {
  if (file.length < 8 || file.toString('latin1', 0, 4) !== 'icns') return [];
  const end = Math.min(file.length, file.readUInt32BE(4));
  const pictures: Buffer[] = [];
  for (let at = 8; at + 8 <= end; ) {
    const length = file.readUInt32BE(at + 4);
    if (length < 8 || at + length > end) break;
    pictures.push(file.subarray(at + 8, at + length));
    at += length;
  }
  return pictures;
}

/**
 * Finds the largest picture of an ICO or ICNS file and returns it as PNG bytes, or
 * `undefined` when the file holds none FileForge can read. `sharp` encodes a bitmap picture
 * as PNG (pixels decoded here, at most 1024×1024).
 */
export async function largestIcon(
  file: Buffer,
  mime: string,
  sharp: SharpConstructor,
): Promise<IconPicture | undefined> {
  const format = mime === 'image/icns' ? 'icns' : 'ico';
  const pictures = format === 'icns' ? icnsPictures(file) : icoPictures(file);
  let best: { area: number; png?: Buffer; dib?: Buffer } | undefined;
  for (const picture of pictures) {
    if (isPng(picture)) {
      const area = pngArea(picture);
      if (!best || area > best.area) best = { area, png: picture };
    } else if (format === 'ico' && picture.length >= 40) {
      const area = Math.abs(picture.readInt32LE(4) * (picture.readInt32LE(8) / 2));
      if (!best || area > best.area) best = { area, dib: picture };
    }
  }
  if (best?.png) return { format, icons: pictures.length, png: best.png };
  const pixels = best?.dib ? dibToRgba(best.dib) : undefined;
  if (!pixels) return undefined;
  const raw = { raw: { width: pixels.width, height: pixels.height, channels: 4 as const } };
  return { format, icons: pictures.length, png: await sharp(pixels.data, raw).png().toBuffer() };
}
