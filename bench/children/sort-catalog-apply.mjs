/**
 * Child: the forge's sorter (`forge.sorter.apply`) from the built `@fileforge/core` — the
 * catalog-backed sorted tree: every file's path updated in the catalog and its hard link
 * under the sorted folder moved, one journaled run. The files are ingested first, untimed.
 * Usage (through runChild): sort-catalog-apply.mjs <dataDir> <inputDir> <rulesPath>
 */
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createForge, parseRules } from '@fileforge/core';
import { ownPeakRss, reportToParent } from '../lib/child-report.mjs';

const [dataDir, inputDir, rulesPath] = process.argv.slice(2);
if (!dataDir || !inputDir || !rulesPath)
  throw new Error('usage: sort-catalog-apply.mjs <dataDir> <inputDir> <rulesPath>');
const rules = parseRules(readFileSync(rulesPath, 'utf8'));
const forge = await createForge({ dataDir });
try {
  const names = readdirSync(inputDir);
  for (let i = 0; i < names.length; i += 64) {
    await Promise.all(
      names.slice(i, i + 64).map((name) => forge.ingest(createReadStream(join(inputDir, name)), { name })),
    );
  }
  await forge.queue.onIdle();
  const startRssBytes = process.memoryUsage().rss;
  const start = performance.now();
  const run = await forge.sorter.apply({ rules });
  const ms = performance.now() - start;
  const moved = run.moves?.length ?? run.moved ?? 0;
  reportToParent({ bytes: 0, files: moved, ms, peakRssBytes: ownPeakRss(), startRssBytes });
} finally {
  await forge.close();
}
