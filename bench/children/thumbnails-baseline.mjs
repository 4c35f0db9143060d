/**
 * Child: the thumbnail baseline — a raw sharp loop with sharp's defaults and no checks:
 * `sharp(path).rotate().resize(size, size, { fit: 'inside', withoutEnlargement: true })
 * .webp().toBuffer()` over every generated JPEG, `concurrency` at a time, like the FileForge
 * child. One untimed call on the first image warms libvips, as on the FileForge side.
 * Usage (through runChild): thumbnails-baseline.mjs <imageDir> <size> <concurrency>
 */
import sharp from 'sharp';
import { imagesIn, timeThumbnails } from '../lib/child-pool.mjs';
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
const info = await sharp(first).metadata();
await timeThumbnails({ paths, bytes }, Number(concurrency), makeThumbnail, info, reportToParent, ownPeakRss);
