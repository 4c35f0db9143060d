import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { childScript, runChild } from '../lib/child.js';
import { type InputFile, randomInput } from '../lib/data.js';
import { alternate, type Sample } from '../lib/samples.js';
import type { Suite } from '../lib/suite.js';

type ChildSample = Sample & { sha256: string };

function checked(sample: ChildSample, input: InputFile): Sample {
  if (sample.sha256 !== input.sha256 || sample.bytes !== input.bytes) {
    throw new Error(
      `stored ${sample.bytes} bytes with sha256 ${sample.sha256}; expected ${input.bytes} / ${input.sha256}`,
    );
  }
  return {
    bytes: sample.bytes,
    ms: sample.ms,
    peakRssBytes: sample.peakRssBytes,
    startRssBytes: sample.startRssBytes,
  };
}

/**
 * `forge.ingest()` of a local file (detect, hash, store atomically with fsync, record in
 * SQLite) against read → SHA-256 → write → fsync. Each run is a fresh child process running
 * plain JavaScript on bare `node`; the FileForge side imports the built `@fileforge/core`.
 */
export const ingestSuite: Suite = {
  name: 'ingest',
  summary:
    'forge.ingest(createReadStream(file)) vs pipeline(read → sha256 → write) + fsync, each in its own child',
  targets: { minRatio: 0.9, maxRssMiB: 120 },
  async run(ctx) {
    const { dir, runs, log } = ctx;
    const { input, summary } = await randomInput(ctx);
    const maxFileSize = Math.max(2 * 1024 ** 3, input.bytes);
    const measured = await alternate(
      runs,
      {
        async fileforge(round) {
          const dataDir = join(dir, `forge-${round}`);
          try {
            const args = [input.path, dataDir, String(maxFileSize)];
            return checked(await runChild<ChildSample>(childScript('ingest-fileforge.mjs'), args), input);
          } finally {
            await rm(dataDir, { recursive: true, force: true });
          }
        },
        async baseline(round) {
          const output = join(dir, `baseline-${round}.bin`);
          try {
            return checked(
              await runChild<ChildSample>(childScript('ingest-baseline.mjs'), [input.path, output]),
              input,
            );
          } finally {
            await rm(output, { force: true });
          }
        },
      },
      log,
    );
    return { input: summary, runs: measured };
  },
};
