/**
 * Child: full image processing through a forge — `createForge()` from the built
 * `@fileforge/core` with only `createImageProcessor()` (default options: header and pixel
 * caps, metadata, EXIF, dominant colour, perceptual hash, one 256 px WebP thumbnail). Every
 * generated JPEG is ingested in turn (`forge.ingest(createReadStream(path))`: detect, hash,
 * store with fsync, record), while up to `maxWorkers` processing jobs run alongside. Timed
 * from the first ingest until `forge.queue.onIdle()`, so it covers storing and processing
 * every file. Afterwards every record must be `processed` with its thumbnail attached. One
 * untimed `thumbnail()` of the first photo first loads sharp (FileForge loads it lazily) and
 * warms libvips, as the baseline children do. Reports a digest of every output (thumbnail
 * bytes, dominant colour, dHash) for the suite to compare with the baseline's.
 * Usage (through runChild): image-processing.mjs <imageDir> <dataDir> <maxWorkers>
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createForge } from '@fileforge/core';
import { createImageProcessor, thumbnail } from '@fileforge/processors/image';
import { imagesIn } from '../lib/child-pool.mjs';
import { ownPeakRss, reportToParent } from '../lib/child-report.mjs';
import { outputsDigest } from '../lib/outputs-digest.mjs';

const [dir, dataDir, maxWorkers] = process.argv.slice(2);
if (!dir || !dataDir || !maxWorkers)
  throw new Error('usage: image-processing.mjs <imageDir> <dataDir> <maxWorkers>');
const { paths, bytes } = imagesIn(dir);
await thumbnail(/** @type {string} */ (paths[0]), { size: 256 });

const forge = await createForge({
  dataDir,
  processors: [createImageProcessor()],
  maxWorkers: Number(maxWorkers),
});
const startRssBytes = process.memoryUsage().rss;
const cpuStart = process.cpuUsage();
const start = performance.now();
const ids = [];
for (const path of paths) {
  ids.push((await forge.ingest(createReadStream(path), { name: basename(path) })).id);
}
await forge.queue.onIdle();
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);

const problems = [];
const thumbnails = new Set();
/** @type {{ name: string, thumbnail: string, dominantColour: string, phash: string }[]} */
const outputs = [];
for (const id of ids) {
  const record = await forge.files.get(id);
  if (record?.status !== 'processed') {
    problems.push(`${record?.name ?? id}: ${record?.status ?? 'missing'} ${JSON.stringify(record?.error)}`);
    continue;
  }
  const derivatives = await forge.files.derivatives(id);
  for (const d of derivatives) thumbnails.add(`${d.name} ${d.width}×${d.height}`);
  if (derivatives.length === 0) problems.push(`${record.name}: no derivatives`);
  const image = /** @type {{ dominantColour: string, phash: string }} */ (record.metadata.image);
  outputs.push({
    name: record.name,
    thumbnail: derivatives[0]?.sha256 ?? '',
    dominantColour: image.dominantColour,
    phash: image.phash,
  });
}
await forge.close();
if (problems.length > 0) throw new Error(`[bench:child] Not processed: ${problems.slice(0, 5).join('; ')}`);

reportToParent({
  files: ids.length,
  bytes,
  ms,
  cpuMs: (cpu.user + cpu.system) / 1000,
  peakRssBytes: ownPeakRss(),
  startRssBytes,
  derivatives: [...thumbnails],
  outputs: outputsDigest(outputs),
});
