import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { childScript, runChild } from '../lib/child.js';
import { summariseLatency } from '../lib/latency.js';
import { alternate, type Sample } from '../lib/samples.js';
import type { Suite } from '../lib/suite.js';

/** Runs of the 4-step workflow per measured run. */
const RUNS = 1000;
/** Files ingested one after another for the trigger latency. */
const FILES = 200;

/**
 * The workflow engine, each run a fresh child on bare `node`: 1,000 manual runs of a 4-step
 * diamond of no-op custom steps (runs, steps and events in the SQLite catalog),
 * steps/s beside a baseline that writes the same run and step rows straight into SQLite in a
 * loop. The FileForge child then ingests 200 files one at a time and reports the latency from
 * `file.processed` (its committed timestamp) to the first step of the workflow it triggers
 * starting, p50/p99 (issue 10).
 */
export const workflowsSuite: Suite = {
  name: 'workflows',
  summary: `${RUNS} runs of a 4-step workflow of no-op steps vs the same run/step rows written straight into SQLite; file.processed → first step latency`,
  unit: 'steps/s',
  targets: { minRatio: 0.5 },
  async run({ dir, runs, log }) {
    const measured = await alternate(
      runs,
      {
        async fileforge(round) {
          const dataDir = join(dir, `fileforge-${round}`);
          await mkdir(dataDir, { recursive: true });
          const sample = await runChild<Sample & { latencies: number[] }>(
            childScript('workflows-fileforge.mjs'),
            [dataDir, String(RUNS), String(FILES)],
          );
          const latency = summariseLatency(sample.latencies);
          return { bytes: 0, files: sample.files, ms: sample.ms, peakRssBytes: sample.peakRssBytes, latency };
        },
        async baseline(round) {
          const dataDir = join(dir, `baseline-${round}`);
          await mkdir(dataDir, { recursive: true });
          const sample = await runChild<Sample>(childScript('workflows-baseline.mjs'), [
            dataDir,
            String(RUNS),
          ]);
          return { bytes: 0, files: sample.files, ms: sample.ms, peakRssBytes: sample.peakRssBytes };
        },
      },
      log,
      'steps/s',
    );
    return {
      input: { label: `${RUNS} runs × 4 steps`, runs: RUNS, steps: 4, latencyFiles: FILES },
      runs: measured,
    };
  },
};
