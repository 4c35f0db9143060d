import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { warmRead } from './data.js';
import { formatMiB, freeBytes, MiB } from './disk.js';

/** Generated photos: 12 megapixels, the size of a common phone camera's. */
export const IMAGE_WIDTH = 4000;
export const IMAGE_HEIGHT = 3000;
const QUALITY = 85;
/** Grain strength: about 4 MiB a file at quality 85, a typical 12 MP phone JPEG. */
const SIGMA = 30;
/** Upper bound of one file on disk, for the free-space check. */
const MAX_IMAGE_BYTES = 8 * MiB;

/** mulberry32: a small seeded PRNG, so image `n` has the same shapes in every bench run. */
function random(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A "scene": a diagonal gradient under 24 translucent ellipses, different for every index. */
function scene(index: number): Buffer {
  const next = random(index + 1);
  const int = (min: number, max: number) => Math.floor(min + next() * (max - min));
  const colour = () => `rgb(${int(0, 256)},${int(0, 256)},${int(0, 256)})`;
  const ellipses = Array.from(
    { length: 24 },
    () =>
      `<ellipse cx="${int(0, IMAGE_WIDTH)}" cy="${int(0, IMAGE_HEIGHT)}" rx="${int(100, 1000)}" ` +
      `ry="${int(100, 800)}" fill="${colour()}" fill-opacity="${(0.4 + next() * 0.5).toFixed(2)}"/>`,
  );
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${IMAGE_WIDTH}" height="${IMAGE_HEIGHT}">` +
      `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${colour()}"/>` +
      `<stop offset="1" stop-color="${colour()}"/></linearGradient></defs>` +
      `<rect width="${IMAGE_WIDTH}" height="${IMAGE_HEIGHT}" fill="url(#g)"/>${ellipses.join('')}</svg>`,
  );
}

/** The JPEGs a suite generated, all in one directory. */
export interface ImageSet {
  dir: string;
  count: number;
  width: number;
  height: number;
  quality: number;
  /** Total size on disk. */
  bytes: number;
}

/**
 * The number of images to generate: `requested`, halved until the images plus `copies` - 1
 * stored copies of them fit in the free space of `dir` (never below 4, or the request if
 * that is smaller), with a note when it had to shrink.
 */
export async function fitCount(
  dir: string,
  requested: number,
  copies = 2,
): Promise<{ count: number; note?: string }> {
  const free = await freeBytes(dir);
  const need = (n: number) => n * MAX_IMAGE_BYTES * copies;
  const floor = Math.min(requested, 4);
  let count = requested;
  while (need(count) > free && count > floor) count = Math.max(floor, Math.floor(count / 2));
  if (need(count) > free) {
    throw new Error(
      `[bench:disk] ${formatMiB(free)} free in ${dir} is not enough for ${count} images; free some space or set TMPDIR`,
    );
  }
  return count === requested
    ? { count }
    : {
        count,
        note: `only ${formatMiB(free)} free in ${dir}: generating ${count} images instead of ${requested}`,
      };
}

/**
 * Writes `count` 4000×3000 JPEGs (quality 85). Each is a scene of its own (shapes and
 * colours, so thumbnails have something to show) with Gaussian grain overlaid at full size,
 * so the files are as large as detailed photos and as costly to decode, not flat test cards.
 * Files are fsynced (their writeback cannot disturb the first timed run) and read once, so
 * every run starts from a warm page cache.
 */
export async function generateImages(dir: string, count: number, log: (line: string) => void) {
  const started = performance.now();
  let next = 0;
  let bytes = 0;
  const write = async (index: number) => {
    const path = join(dir, `photo-${String(index).padStart(5, '0')}.jpg`);
    const grain = { type: 'gaussian' as const, mean: 128, sigma: SIGMA };
    const info = await sharp(scene(index))
      .composite([
        {
          input: {
            create: {
              width: IMAGE_WIDTH,
              height: IMAGE_HEIGHT,
              channels: 3,
              background: '#808080',
              noise: grain,
            },
          },
          blend: 'overlay',
        },
      ])
      .jpeg({ quality: QUALITY })
      .toFile(path);
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await warmRead(path);
    bytes += info.size;
  };
  const worker = async () => {
    while (next < count) await write(next++);
  };
  await Promise.all(Array.from({ length: Math.min(count, availableParallelism()) }, worker));
  log(
    `  generated ${count} JPEGs (${formatMiB(bytes)}) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const set: ImageSet = { dir, count, width: IMAGE_WIDTH, height: IMAGE_HEIGHT, quality: QUALITY, bytes };
  return set;
}
