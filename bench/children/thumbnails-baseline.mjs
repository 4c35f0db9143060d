/**
 * Child: the thumbnail baseline — a raw sharp loop with sharp's defaults and no checks:
 * `sharp(path).rotate().resize(size, size, { fit: 'inside', withoutEnlargement: true })
 * .webp().toBuffer()` over every generated JPEG, `concurrency` at a time, like the FileForge
 * child. One untimed call on the first image warms libvips, as on the FileForge side.
 * Usage (through runChild): thumbnails-baseline.mjs <imageDir> <size> <concurrency>
 */
import sharp from 'sharp';
import { imagesIn, mapPool } from '../lib/child-pool.mjs';
import { ownPeakRss, reportToParent } from '../lib/child-report.mjs';

const [dir, size, concurrency] = process.argv.slice(2);
if (!dir || !size || !concurrency)
  throw new Error('usage: thumbnails-baseline.mjs <imageDir> <size> <concurrency>');
const { paths, bytes } = imagesIn(dir);
const side = Number(size);
/** @param {string} path */
const makeThumbnail = (path) =>
  sharp(path).rotate().resize(side, side, { fit: 'inside', withoutEnlargement: true }).webp().toBuffer();

const first = await makeThumbnail(/** @type {string} */ (paths[0]));
const startRssBytes = process.memoryUsage().rss;
let outputBytes = 0;
const cpuStart = process.cpuUsage();
const start = performance.now();
await mapPool(paths, Number(concurrency), async (path) => {
  const data = await makeThumbnail(path);
  outputBytes += data.length;
});
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);

const info = await sharp(first).metadata();
reportToParent({
  files: paths.length,
  bytes,
  ms,
  cpuMs: (cpu.user + cpu.system) / 1000,
  peakRssBytes: ownPeakRss(),
  startRssBytes,
  outputBytes,
  first: { width: info.width, height: info.height, format: info.format },
});
