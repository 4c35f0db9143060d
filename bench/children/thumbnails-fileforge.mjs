/**
 * Child: FileForge's `thumbnail()` operation from the built `@fileforge/processors/image`,
 * with its safety checks (input sniffing, header read and pixel caps before decoding,
 * `failOn: 'warning'`, `limitInputPixels`), over every generated JPEG, `concurrency` at a
 * time. One untimed call on the first image first loads sharp (FileForge loads it lazily)
 * and warms libvips, as the baseline child does.
 * Usage (through runChild): thumbnails-fileforge.mjs <imageDir> <size> <concurrency>
 */
import { thumbnail } from '@fileforge/processors/image';
import { imagesIn, timeThumbnails } from '../lib/child-pool.mjs';
import { ownPeakRss, reportToParent } from '../lib/child-report.mjs';

const [dir, size, concurrency] = process.argv.slice(2);
if (!dir || !size || !concurrency)
  throw new Error('usage: thumbnails-fileforge.mjs <imageDir> <size> <concurrency>');
const { paths, bytes } = imagesIn(dir);
const options = { size: Number(size), format: /** @type {const} */ ('webp') };

const first = await thumbnail(/** @type {string} */ (paths[0]), options);
/** @param {string} path */
const makeThumbnail = async (path) => (await thumbnail(path, options)).data;
await timeThumbnails(
  { paths, bytes },
  Number(concurrency),
  makeThumbnail,
  first.info,
  reportToParent,
  ownPeakRss,
);
