import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { childScript, runChild } from '../lib/child.js';
import { coldFigures, type WarmSample } from '../lib/cold.js';
import { summariseLatency } from '../lib/latency.js';
import { alternate } from '../lib/samples.js';
import type { Suite } from '../lib/suite.js';

/** Runs of the 4-step workflow per measured run. */
const RUNS = 1000;
/** Files ingested one after another for the trigger latency. */
const FILES = 200;
/**
 * Runs each side makes before its timed ones, the first {@link RUNS} of them timed as the cold
 * figure (see `lib/cold.ts`): FileForge's first 1,000 runs take about 1.6× its later ones,
 * the baseline's are as fast as its later ones.
 */
const WARMUP = 2000;

/**
 * The workflow engine, each run a fresh child on bare `node`: 1,000 manual runs of a 4-step
 * diamond of no-op custom steps (runs, steps and events in the SQLite catalog), timed after
 * 2,000 runs of warm-up, steps/s beside a baseline that writes the same run and step rows
 * straight into SQLite in a loop, warmed up alike. The first 1,000 runs of each process are
 * reported too, for information (`… cold`). The FileForge child then ingests 200 files one at a time and reports the latency from
 * `file.processed` (its committed timestamp) to the first step of the workflow it triggers
 * starting, p50/p99 (issue 10).
 */
export const workflowsSuite: Suite = {
  name: 'workflows',
  summary: `${RUNS} runs of a 4-step workflow of no-op steps (after ${WARMUP} warm-up runs) vs the same run/step rows written straight into SQLite (warmed up alike); the first ${RUNS} runs of each process (cold) for information; file.processed → first step latency`,
  unit: 'steps/s',
  targets: { minRatio: 0.5 },
  async run({ dir, runs, log }) {
    const cold = coldFigures(`first ${RUNS} runs`, 'steps/s');
    const measured = await alternate(
      runs,
      {
        async fileforge(round) {
          const dataDir = join(dir, `fileforge-${round}`);
          await mkdir(dataDir, { recursive: true });
          const sample = cold.keep(
            'fileforge',
            await runChild<WarmSample & { latencies: number[] }>(childScript('workflows-fileforge.mjs'), [
              dataDir,
              String(RUNS),
              String(FILES),
              String(WARMUP),
            ]),
          );
          const latency = summariseLatency(sample.latencies);
          return { bytes: 0, files: sample.files, ms: sample.ms, peakRssBytes: sample.peakRssBytes, latency };
        },
        async baseline(round) {
          const dataDir = join(dir, `baseline-${round}`);
          await mkdir(dataDir, { recursive: true });
          const sample = cold.keep(
            'baseline',
            await runChild<WarmSample>(childScript('workflows-baseline.mjs'), [
              dataDir,
              String(RUNS),
              String(WARMUP),
            ]),
          );
          return { bytes: 0, files: sample.files, ms: sample.ms, peakRssBytes: sample.peakRssBytes };
        },
      },
      log,
      'steps/s',
    );
    return {
      input: {
        label: `${RUNS} runs × 4 steps`,
        runs: RUNS,
        steps: 4,
        warmupRuns: WARMUP,
        latencyFiles: FILES,
      },
      runs: {
        ...measured,
        extra: cold.extra(log),
      },
    };
  },
};
