import { mkdir, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { childScript, runChild } from '../lib/child.js';
import { fitCount, generateImages, type ImageSet } from '../lib/images.js';
import { alternate, type Sample } from '../lib/samples.js';
import type { Suite } from '../lib/suite.js';

/** Longest edge of the thumbnails, on both sides (and the image processor's default). */
const SIZE = 256;

/** What a thumbnails child reports: a sample, the bytes it wrote and the first thumbnail's shape. */
type ThumbnailSample = Sample & {
  files: number;
  outputBytes: number;
  first: { width: number; height: number; format: string };
};

/**
 * What the full-processing children report: a sample, each distinct derivative made, and a
 * digest of every photo's outputs (thumbnail bytes, dominant colour, dHash).
 */
type ProcessingSample = Sample & { files: number; derivatives: string[]; outputs: string };

/** The thumbnail every generated image must give: fit inside SIZE×SIZE, never enlarged. */
function expectedThumbnail(images: ImageSet): { width: number; height: number } {
  const scale = Math.min(1, SIZE / Math.max(images.width, images.height));
  return { width: Math.round(images.width * scale), height: Math.round(images.height * scale) };
}

const asSample = (s: Sample & { files: number }): Sample => ({
  bytes: s.bytes,
  files: s.files,
  ms: s.ms,
  peakRssBytes: s.peakRssBytes,
  ...(s.startRssBytes === undefined ? {} : { startRssBytes: s.startRssBytes }),
  ...(s.cpuMs === undefined ? {} : { cpuMs: s.cpuMs }),
});

/**
 * Checks a thumbnails run: every image done, the first thumbnail of the expected size, and the
 * same total output as every earlier run of either side (`seen`), since both sides run the
 * same libvips operations with the same encoder settings. A difference would mean they no
 * longer do the same work.
 */
function checkedThumbnails(
  sample: ThumbnailSample,
  images: ImageSet,
  seen: { outputBytes?: number },
): Sample {
  const want = expectedThumbnail(images);
  const { width, height, format } = sample.first;
  if (sample.files !== images.count) throw new Error(`made ${sample.files} thumbnails of ${images.count}`);
  if (width !== want.width || height !== want.height || format !== 'webp') {
    throw new Error(
      `thumbnail is a ${width}×${height} ${format}; expected a ${want.width}×${want.height} webp`,
    );
  }
  if (!(sample.outputBytes > 0)) throw new Error('thumbnails are empty');
  seen.outputBytes ??= sample.outputBytes;
  if (sample.outputBytes !== seen.outputBytes) {
    throw new Error(
      `thumbnails total ${sample.outputBytes} bytes, an earlier run's ${seen.outputBytes}: the sides no longer make the same images`,
    );
  }
  return asSample(sample);
}

/**
 * Checks a full-processing run (FileForge or the single-decode baseline): every photo done,
 * only the expected thumbnail, and outputs identical to every earlier run of either side
 * (`seen`): the same thumbnail bytes, dominant colours and dHashes.
 */
function checkedProcessing(sample: ProcessingSample, images: ImageSet, seen: { outputs?: string }): Sample {
  const { width, height } = expectedThumbnail(images);
  const want = `thumbnail-${SIZE}.webp ${width}×${height}`;
  if (sample.files !== images.count) throw new Error(`processed ${sample.files} files of ${images.count}`);
  if (sample.derivatives.length !== 1 || sample.derivatives[0] !== want) {
    throw new Error(`derivatives ${JSON.stringify(sample.derivatives)}; expected only ${want}`);
  }
  seen.outputs ??= sample.outputs;
  if (sample.outputs !== seen.outputs) {
    throw new Error('full processing and the single-decode baseline made different outputs');
  }
  return asSample(sample);
}

/**
 * Thumbnails of `--count` generated 12 MP JPEGs, `availableParallelism()` at a time on both
 * sides, each run a fresh child on bare `node`: FileForge's `thumbnail()` operation (with its
 * safety checks) against a raw sharp loop. A second pair runs the whole image processor
 * through a forge (ingest, metadata, analysis, thumbnail, stored derivative) against a
 * hand-written single-decode sharp pipeline that makes the same outputs and fsyncs each of
 * them; both must produce identical thumbnails, colours and hashes.
 */
export const thumbnailsSuite: Suite = {
  name: 'thumbnails',
  summary:
    `thumbnail(path, { size: ${SIZE}, format: 'webp' }) vs sharp(path).rotate().resize(${SIZE}, ${SIZE}, inside).webp(), ` +
    'N at a time; plus full image processing through a forge vs a hand-written single-decode pipeline',
  unit: 'images/s',
  targets: {
    minRatio: 0.85,
    pairs: [{ subject: 'full processing', baseline: 'single-decode baseline', minRatio: 0.85 }],
  },
  async run({ dir, count: requested, runs, log }) {
    const plan = await fitCount(dir, requested);
    if (plan.note) log(`  NOTE: ${plan.note}`);
    const imageDir = join(dir, 'images');
    await mkdir(imageDir);
    log(`  generating ${plan.count} JPEGs of 4000×3000 (12 MP) in ${imageDir}`);
    const images = await generateImages(imageDir, plan.count, log);
    const concurrency = availableParallelism();
    log(`  concurrency ${concurrency} (thumbnails at once; maxWorkers for full processing)`);
    const args = [imageDir, String(SIZE), String(concurrency)];
    const seen: { outputBytes?: number } = {};
    const seenOutputs: { outputs?: string } = {};
    const measured = await alternate(
      runs,
      {
        async fileforge() {
          const script = childScript('thumbnails-fileforge.mjs');
          return checkedThumbnails(await runChild<ThumbnailSample>(script, args), images, seen);
        },
        async baseline() {
          const script = childScript('thumbnails-baseline.mjs');
          return checkedThumbnails(await runChild<ThumbnailSample>(script, args), images, seen);
        },
        async 'full processing'(round) {
          const dataDir = join(dir, `forge-${round}`);
          try {
            const script = childScript('image-processing.mjs');
            const sample = await runChild<ProcessingSample>(script, [imageDir, dataDir, String(concurrency)]);
            return checkedProcessing(sample, images, seenOutputs);
          } finally {
            await rm(dataDir, { recursive: true, force: true });
          }
        },
        async 'single-decode baseline'(round) {
          const outDir = join(dir, `single-decode-${round}`);
          try {
            const script = childScript('image-processing-baseline.mjs');
            const sample = await runChild<ProcessingSample>(script, [imageDir, outDir, String(concurrency)]);
            return checkedProcessing(sample, images, seenOutputs);
          } finally {
            await rm(outDir, { recursive: true, force: true });
          }
        },
      },
      log,
      'images/s',
    );
    const {
      fileforge,
      baseline,
      'full processing': processing,
      'single-decode baseline': singleDecode,
    } = measured;
    const { dir: _removed, ...generated } = images;
    return {
      input: {
        label: `${images.count} × 12 MP JPEG`,
        images: { ...generated, thumbnailSize: SIZE, concurrency, thumbnailBytes: seen.outputBytes },
      },
      runs: {
        fileforge,
        baseline,
        extra: { 'full processing': processing, 'single-decode baseline': singleDecode },
      },
    };
  },
};
