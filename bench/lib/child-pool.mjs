/**
 * What the thumbnails children share, in plain JavaScript (they run on bare `node`): the
 * list of generated images and the promise pool, so both sides walk the same files with
 * the same concurrency.
 *
 * @module
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The generated JPEGs in `dir`, in name order, with their total size in bytes.
 *
 * @param {string} dir
 * @returns {{ paths: string[], bytes: number }}
 */
export function imagesIn(dir) {
  const paths = readdirSync(dir)
    .filter((name) => name.endsWith('.jpg'))
    .sort()
    .map((name) => join(dir, name));
  if (paths.length === 0) throw new Error(`[bench:child] No .jpg files in ${dir}`);
  return { paths, bytes: paths.reduce((sum, path) => sum + statSync(path).size, 0) };
}

/**
 * Calls `work` on every item with at most `concurrency` calls pending at once, and
 * rejects with the first failure.
 *
 * @template T
 * @param {readonly T[]} items
 * @param {number} concurrency
 * @param {(item: T, index: number) => Promise<void>} work
 * @returns {Promise<void>}
 */
export async function mapPool(items, concurrency, work) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(/** @type {T} */ (items[index]), index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

/**
 * Times `makeThumbnail` over every image, `concurrency` at a time, and reports the run to
 * the parent in the shape both thumbnail children share.
 *
 * @param {{ paths: string[], bytes: number }} images
 * @param {number} concurrency
 * @param {(path: string) => Promise<Uint8Array>} makeThumbnail
 * @param {{ width?: number, height?: number, format?: string }} first what the first thumbnail looked like
 * @param {(report: Record<string, unknown>) => void} report
 * @param {() => number} peakRss
 */
export async function timeThumbnails(images, concurrency, makeThumbnail, first, report, peakRss) {
  const startRssBytes = process.memoryUsage().rss;
  let outputBytes = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await mapPool(images.paths, concurrency, async (path) => {
    // Not `outputBytes += await …`: that reads the total before the await and loses the
    // other worker's additions, making the total depend on timing.
    const thumbnail = await makeThumbnail(path);
    outputBytes += thumbnail.length;
  });
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  report({
    files: images.paths.length,
    bytes: images.bytes,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssBytes: peakRss(),
    startRssBytes,
    outputBytes,
    first: { width: first.width, height: first.height, format: first.format },
  });
}
