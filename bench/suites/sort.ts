import { cp, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseRules, planFolder, scanFolder } from '@fileforge/core';
import { childScript, runChild } from '../lib/child.js';
import { alternate, type Sample } from '../lib/samples.js';
import type { Suite } from '../lib/suite.js';

/** Files generated for every run. */
const FILES = 10_000;
/** Simulate must reach this many files a second (scan excluded). */
const SIMULATE_TARGET = 5_000;
/** Moves in flight at once in FileForge's apply (its default). */
const CONCURRENCY = 8;
/** The catalog-backed sorter's row, held to the same ratio against the raw loop. */
const CATALOG = 'forge.sorter.apply (catalog)';

const RULES = `
- id: invoices
  category: invoices
  conditions:
    - { field: mime, op: in, value: [application/pdf] }
    - { field: name, op: glob, value: "*invoice*" }
    - { field: size, op: lte, value: "10 MiB" }
  destination: "invoices/{created:YYYY}/{created:MM}/{name}{ext}"
- id: minutes
  category: minutes
  conditions:
    - { field: text, algorithm: any, value: 'minutes "action items"' }
  destination: "minutes/{created:YYYY}/{name}{ext}"
- id: images
  conditions: [{ field: mime, op: glob, value: "image/*" }]
  destination: "images/{created:YYYY-MM}/{name}{ext}"
- id: large
  conditions: [{ field: size, op: gt, value: "1 MiB" }]
  destination: "large/{name}{ext}"
`;

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082',
  'hex',
);

/** A quarter each: invoices (PDF), photos (PNG), minutes (text that matches) and notes (text that stays). */
function fileFor(i: number): { name: string; bytes: Buffer } {
  switch (i % 4) {
    case 0:
      return {
        name: `invoice-${i}.pdf`,
        bytes: Buffer.from(`%PDF-1.4\n% invoice ${i}\ntrailer << >>\n%%EOF\n`),
      };
    case 1:
      return { name: `photo-${i}.png`, bytes: Buffer.concat([PNG, Buffer.from(String(i))]) };
    case 2:
      return {
        name: `minutes-${i}.txt`,
        bytes: Buffer.from(`Minutes of meeting ${i}. Action items: none.\n`),
      };
    default:
      return {
        name: `note-${i}.txt`,
        bytes: Buffer.from(`A note to self, number ${i}, about nothing much.\n`),
      };
  }
}

/** Writes the files with modification times spread over 24 months, so they land in many folders. */
async function generate(dir: string): Promise<void> {
  await mkdir(dir);
  const base = Date.UTC(2024, 0, 15) / 1000;
  for (let start = 0; start < FILES; start += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, FILES - start) }, async (_, k) => {
        const i = start + k;
        const { name, bytes } = fileFor(i);
        await writeFile(join(dir, name), bytes);
        const mtime = base + (i % 24) * 30 * 86_400;
        await utimes(join(dir, name), mtime, mtime);
      }),
    );
  }
}

type SimulateSample = {
  files: number;
  moving: number;
  scanMs: number;
  planMs: number;
  peakRssBytes: number;
  startRssBytes: number;
};
type MoveSample = Sample & { files: number };

/**
 * The folder sorter over 10,000 generated files: apply (journal included) against a raw
 * `fs.rename` loop making the same moves, each run on a fresh copy of the folder in its own
 * child on bare `node`; the catalog-backed `forge.sorter.apply` over the same files ingested
 * into a forge (once, untimed; a fresh copy of that forge per run), against the same raw loop;
 * plus simulate (decide + plan over scanned subjects), scan + simulate and apply one move at
 * a time, for information.
 */
export const sortSuite: Suite = {
  name: 'sort',
  summary: `applyFolderPlan (journaled, ${CONCURRENCY} moves in flight) and forge.sorter.apply (catalog) vs await fs.rename loop over the same ${FILES.toLocaleString('en')} files; simulate and scan + simulate`,
  unit: 'files/s',
  targets: { minRatio: 0.5, pairs: [{ subject: CATALOG, baseline: 'baseline', minRatio: 0.5 }] },
  async run({ dir, runs, log }) {
    const template = join(dir, 'template');
    log(`  generating ${FILES} files in ${template}`);
    await generate(template);
    const rulesPath = join(dir, 'rules.yaml');
    await writeFile(rulesPath, RULES);
    const plan = await planFolder(template, await scanFolder(template), parseRules(RULES));
    const pairs = plan.items.filter((i) => i.action === 'move').map((i) => [i.from, i.to]);
    const pairsPath = join(dir, 'pairs.json');
    await writeFile(pairsPath, JSON.stringify(pairs));
    log(`  ${pairs.length} of ${FILES} files move under the rules`);

    /** A fresh copy of the folder for one run, removed afterwards. */
    const onCopy = async (name: string, fn: (copy: string) => Promise<MoveSample>): Promise<Sample> => {
      const copy = join(dir, name);
      await cp(template, copy, { recursive: true, preserveTimestamps: true });
      try {
        const sample = await fn(copy);
        if (sample.files !== pairs.length)
          throw new Error(`moved ${sample.files} files, expected ${pairs.length}`);
        return sample;
      } finally {
        await rm(copy, { recursive: true, force: true });
      }
    };
    const simulate = async (withScan: boolean): Promise<Sample> => {
      const s = await runChild<SimulateSample>(childScript('sort-simulate.mjs'), [template, rulesPath]);
      if (s.files !== FILES || s.moving !== pairs.length)
        throw new Error(`simulate saw ${s.files} files, ${s.moving} moving`);
      return {
        bytes: 0,
        files: s.files,
        ms: withScan ? s.scanMs + s.planMs : s.planMs,
        peakRssBytes: s.peakRssBytes,
        startRssBytes: s.startRssBytes,
      };
    };
    // The catalog-backed sorter works on a forge: the files are ingested once (untimed, with
    // the text processor, so the text rule can match) and each run applies on a fresh copy.
    const forgeTemplate = join(dir, 'forge-template');
    log(`  ingesting the ${FILES} files into a forge for ${CATALOG} (untimed, once)`);
    const ingested = await runChild<MoveSample>(childScript('sort-catalog-apply.mjs'), [
      'ingest',
      forgeTemplate,
      template,
    ]);
    log(`  ingested ${ingested.files} files in ${(ingested.ms / 1000).toFixed(1)} s`);
    const onForgeCopy = async (round: number): Promise<Sample> => {
      const copy = join(dir, `forge-${round}`);
      await cp(forgeTemplate, copy, { recursive: true, preserveTimestamps: true });
      try {
        const sample = await runChild<MoveSample>(childScript('sort-catalog-apply.mjs'), [
          'apply',
          copy,
          rulesPath,
        ]);
        // The ingest extracted the text files' text: the same files move as in the folder runs.
        if (sample.files !== pairs.length)
          throw new Error(`${CATALOG} moved ${sample.files} files, expected ${pairs.length}`);
        return sample;
      } finally {
        await rm(copy, { recursive: true, force: true });
      }
    };
    const measured = await alternate(
      runs,
      {
        fileforge: (round) =>
          onCopy(`apply-${round}`, (copy) =>
            runChild<MoveSample>(childScript('sort-apply.mjs'), [copy, rulesPath, String(CONCURRENCY)]),
          ),
        baseline: (round) =>
          onCopy(`rename-${round}`, (copy) =>
            runChild<MoveSample>(childScript('sort-rename-baseline.mjs'), [copy, pairsPath]),
          ),
        'apply, one move at a time': (round) =>
          onCopy(`apply-serial-${round}`, (copy) =>
            runChild<MoveSample>(childScript('sort-apply.mjs'), [copy, rulesPath, '1']),
          ),
        [CATALOG]: onForgeCopy,
        simulate: () => simulate(false),
        'scan + simulate': () => simulate(true),
      },
      log,
      'files/s',
    );
    await rm(forgeTemplate, { recursive: true, force: true });
    const { fileforge, baseline, ...extra } = measured;
    const best = Math.max(...extra.simulate.samples.map((s) => (s.files ?? 0) / (s.ms / 1000)));
    const simulateVerdict = best >= SIMULATE_TARGET ? 'PASS' : 'MISSED';
    log(`  simulate: ${Math.round(best)} files/s (target ≥ ${SIMULATE_TARGET}): ${simulateVerdict}`);
    return {
      input: {
        label: `${FILES.toLocaleString('en')} files`,
        files: FILES,
        moves: pairs.length,
        concurrency: CONCURRENCY,
        simulateTarget: { filesPerSecond: SIMULATE_TARGET, best: Math.round(best), verdict: simulateVerdict },
      },
      runs: { fileforge, baseline, extra },
    };
  },
};
