/**
 * Child: the forge's sorter (`forge.sorter.apply`) from the built `@fileforge/core` — the
 * catalog-backed sorted tree: every file's path updated in the catalog with its `file.sorted`
 * event, a journal row per move, a hard link under the sorted folder. Two modes:
 * `ingest` stores every file of `inputDir` in a forge at `dataDir`, its text files' text
 * extracted (untimed, done once, the forge then copied per run); `apply` times one
 * `forge.sorter.apply` over that forge.
 * Usage (through runChild): sort-catalog-apply.mjs ingest <dataDir> <inputDir>
 *                           sort-catalog-apply.mjs apply <dataDir> <rulesPath>
 */
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createForge, parseRules } from '@fileforge/core';
import { createTextProcessor } from '@fileforge/processors';
import { ownPeakRss, reportToParent } from '../lib/child-report.mjs';

const [mode, dataDir, input] = process.argv.slice(2);
if ((mode !== 'ingest' && mode !== 'apply') || !dataDir || !input)
  throw new Error('usage: sort-catalog-apply.mjs ingest <dataDir> <inputDir> | apply <dataDir> <rulesPath>');
// Ingest extracts the text files' text (the text rule reads it), so the same files move as
// in the folder runs; apply needs no processor.
const forge = await createForge({
  dataDir,
  ...(mode === 'ingest' ? { processors: [createTextProcessor()] } : {}),
});
try {
  if (mode === 'ingest') {
    const names = readdirSync(input);
    const start = performance.now();
    for (let i = 0; i < names.length; i += 64) {
      await Promise.all(
        names.slice(i, i + 64).map((name) => forge.ingest(createReadStream(join(input, name)), { name })),
      );
    }
    await forge.queue.onIdle();
    const ms = performance.now() - start;
    reportToParent({ bytes: 0, files: names.length, ms, peakRssBytes: ownPeakRss() });
  } else {
    const rules = parseRules(readFileSync(input, 'utf8'));
    const startRssBytes = process.memoryUsage().rss;
    const start = performance.now();
    const run = await forge.sorter.apply({ rules });
    const ms = performance.now() - start;
    const moved = run.moves?.filter((m) => m.state === 'moved').length ?? run.moved ?? 0;
    reportToParent({ bytes: 0, files: moved, ms, peakRssBytes: ownPeakRss(), startRssBytes });
  }
} finally {
  await forge.close();
}
