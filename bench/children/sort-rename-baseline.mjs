/**
 * Child: the raw loop the folder sorter's apply is compared with — for each planned move,
 * create its destination folder (once per folder) and `await fs.promises.rename()`, one
 * file after the other. No journal, no conflict check, nothing fsynced.
 * Usage (through runChild): sort-rename-baseline.mjs <dir> <pairsPath>
 */
import { readFileSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ownPeakRss, reportToParent } from '../lib/child-report.mjs';

const [dir, pairsPath] = process.argv.slice(2);
if (!dir || !pairsPath) throw new Error('usage: sort-rename-baseline.mjs <dir> <pairsPath>');
/** @type {Array<[string, string]>} */
const pairs = JSON.parse(readFileSync(pairsPath, 'utf8'));
const startRssBytes = process.memoryUsage().rss;

const start = performance.now();
const made = new Set();
for (const [from, to] of pairs) {
  const target = join(dir, to);
  const folder = dirname(target);
  if (!made.has(folder)) {
    await mkdir(folder, { recursive: true });
    made.add(folder);
  }
  await rename(join(dir, from), target);
}
const ms = performance.now() - start;

reportToParent({ bytes: 0, files: pairs.length, ms, peakRssBytes: ownPeakRss(), startRssBytes });
