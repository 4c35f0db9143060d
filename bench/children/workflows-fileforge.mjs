/**
 * Child: FileForge's workflow engine from the built `@fileforge/core`. Starts `runs` manual
 * runs of a 4-step diamond workflow (a → b, c → d) of no-op custom steps and times them until
 * the last finished (timed: run creation, dispatch, step rows, events): the first `runs` of
 * the new process (cold), then `warmup - runs` more untimed, then `runs` timed (warm). Then
 * measures, for `files` files ingested one after another, the latency from `file.processed`
 * (its committed timestamp) to the first step of a workflow it triggers starting.
 * Usage (through runChild): workflows-fileforge.mjs <dataDir> <runs> <files> <warmup>
 */
import { Readable } from 'node:stream';
import { createForge } from '@fileforge/core';
import { z } from 'zod';
import { ownPeakRss, reportToParent, timeColdAndWarm } from '../lib/child-report.mjs';

const [dataDir, runsArg, filesArg, warmupArg] = process.argv.slice(2);
if (!dataDir || !runsArg || !filesArg || !warmupArg)
  throw new Error('usage: workflows-fileforge.mjs <dataDir> <runs> <files> <warmup>');
const runs = Number(runsArg);
const files = Number(filesArg);
const warmup = Number(warmupArg);

/** @type {Map<string, number>} file id → when its triggered workflow's first step started */
const firstStep = new Map();
/** @type {Map<string, (at: number) => void>} */
const waiting = new Map();
const noop = {
  name: 'bench.noop',
  options: z.object({}).passthrough(),
  async run() {
    return { ok: true };
  },
};
const mark = {
  name: 'bench.mark',
  options: z.object({}),
  async run(context) {
    const at = Date.now();
    firstStep.set(context.fileId, at);
    waiting.get(context.fileId)?.(at);
    return { at };
  },
};

const forge = await createForge({
  dataDir,
  workflows: { steps: [noop, mark] },
  queueTiming: { pollIntervalMs: 1000 },
});
const step = (needs) => ({ uses: 'bench.noop', ...(needs ? { needs } : {}) });
const diamond = await forge.workflows.define({
  name: 'diamond',
  on: { manual: true },
  steps: { a: step(), b: step(['a']), c: step(['a']), d: step(['b', 'c']) },
});

/** Starts `count` runs and waits for all of them to finish; answers the ms it took. */
async function executeRuns(count) {
  const start = performance.now();
  for (let i = 0; i < count; i++) await forge.workflows.run(diamond.id);
  await forge.queue.onIdle();
  return performance.now() - start;
}

const { coldMs, ms } = await timeColdAndWarm(executeRuns, runs, warmup);
const done = await forge.workflows.listRuns(diamond.id, { limit: 1 });
if (done.items[0]?.status !== 'completed') throw new Error(`last run is ${done.items[0]?.status}`);

await forge.workflows.define({
  name: 'on-processed',
  on: { event: 'file.processed' },
  steps: { first: { uses: 'bench.mark' }, second: step(['first']) },
});
/** @type {Map<string, number>} */
const processedAt = new Map();
forge.events.on('file.processed', (e) => {
  processedAt.set(e.file.id, Date.parse(e.timestamp));
});
const ids = [];
for (let i = 0; i < files; i++) {
  const record = await forge.ingest(Readable.from([Buffer.from(`note ${i}\n`)]), { name: `note-${i}.txt` });
  if (!firstStep.has(record.id)) await new Promise((resolve) => waiting.set(record.id, resolve));
  ids.push(record.id);
}
await forge.queue.onIdle();
await forge.close();
const latencies = ids.map((id) => (firstStep.get(id) ?? Number.NaN) - (processedAt.get(id) ?? Number.NaN));
if (latencies.some((l) => !Number.isFinite(l)))
  throw new Error('a file.processed or a first step was not seen');
reportToParent({ bytes: 0, files: runs * 4, ms, coldMs, peakRssBytes: ownPeakRss(), latencies });
