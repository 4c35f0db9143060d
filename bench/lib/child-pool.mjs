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
