/**
 * Child: the full-processing baseline — a hand-written sharp pipeline that makes the same
 * outputs as FileForge's image processing, each photo decoded once, `concurrency` photos at a
 * time. Per photo: read it (streamed through SHA-256 into a stored copy, fsynced), read its
 * header, decode it once (auto-oriented, shrunk on load to the 256 px thumbnail), encode the
 * WebP thumbnail from those pixels, take the dominant colour and the dHash from the same
 * pixels, and write the thumbnail and a JSON record, each fsynced. No checks, no catalog, no
 * queue: the least work the job needs. Reports a digest of every output so the suite can check
 * that both sides made the same thumbnails, colours and hashes.
 * Usage (through runChild): image-processing-baseline.mjs <imageDir> <outDir> <concurrency>
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { imagesIn, mapPool } from '../lib/child-pool.mjs';
import { ownPeakRss, reportToParent } from '../lib/child-report.mjs';
import { outputsDigest } from '../lib/outputs-digest.mjs';

const [dir, outDir, concurrency] = process.argv.slice(2);
if (!dir || !outDir || !concurrency)
  throw new Error('usage: image-processing-baseline.mjs <imageDir> <outDir> <concurrency>');
const { paths, bytes } = imagesIn(dir);
const SIZE = 256;

/** @param {number} n */
const hex = (n) =>
  Math.max(0, Math.min(255, Math.round(n)))
    .toString(16)
    .padStart(2, '0');

/** dHash of 9×8 grey pixels, row by row, as 16 hex digits (as FileForge computes it). */
function dHash(/** @type {Buffer} */ grey) {
  let hash = 0n;
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) hash = (hash << 1n) | (grey[y * 9 + x + 1] > grey[y * 9 + x] ? 1n : 0n);
  }
  return hash.toString(16).padStart(16, '0');
}

/**
 * @param {string} path
 * @param {number} index
 * @returns {Promise<{ derivative: string, name: string, thumbnail: string, dominantColour: string, phash: string }>}
 */
async function processPhoto(path, index) {
  const stored = join(outDir, `${index}.blob`);
  const sha256 = createHash('sha256');
  await pipeline(
    createReadStream(path),
    async function* (/** @type {AsyncIterable<Buffer>} */ source) {
      for await (const chunk of source) {
        sha256.update(chunk);
        yield chunk;
      }
    },
    createWriteStream(stored, { flush: true }),
  );
  const header = await sharp(stored).metadata();
  const { data, info } = await sharp(stored)
    .rotate()
    .resize(SIZE, SIZE, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const { data: thumbnail, info: thumb } = await sharp(data, raw)
    .webp()
    .toBuffer({ resolveWithObject: true });
  const flat = await sharp(data, raw)
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const flatRaw = { raw: { width: flat.info.width, height: flat.info.height, channels: flat.info.channels } };
  const { dominant } = await sharp(flat.data, flatRaw).stats();
  const grey = await sharp(flat.data, flatRaw)
    .greyscale()
    .resize(9, 8, { fit: 'fill' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  const record = {
    name: basename(path),
    sha256: sha256.digest('hex'),
    format: header.format,
    width: header.width,
    height: header.height,
    dominantColour: `#${hex(dominant.r)}${hex(dominant.g)}${hex(dominant.b)}`,
    phash: dHash(grey),
  };
  await writeFile(join(outDir, `${index}.thumbnail-${SIZE}.webp`), thumbnail, { flush: true });
  await writeFile(join(outDir, `${index}.json`), JSON.stringify(record), { flush: true });
  return {
    derivative: `thumbnail-${SIZE}.webp ${thumb.width}×${thumb.height}`,
    name: record.name,
    thumbnail: createHash('sha256').update(thumbnail).digest('hex'),
    dominantColour: record.dominantColour,
    phash: record.phash,
  };
}

await mkdir(outDir, { recursive: true });
// Loads sharp and warms libvips on one photo, untimed, as the other children do.
await sharp(paths[0]).resize(SIZE).webp().toBuffer();

const startRssBytes = process.memoryUsage().rss;
const cpuStart = process.cpuUsage();
const start = performance.now();
/** @type {Awaited<ReturnType<typeof processPhoto>>[]} */
const outputs = [];
await mapPool(paths, Number(concurrency), async (path, index) => {
  outputs.push(await processPhoto(path, index));
});
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);

reportToParent({
  files: paths.length,
  bytes,
  ms,
  cpuMs: (cpu.user + cpu.system) / 1000,
  peakRssBytes: ownPeakRss(),
  startRssBytes,
  derivatives: [...new Set(outputs.map((o) => o.derivative))],
  outputs: outputsDigest(outputs),
});
