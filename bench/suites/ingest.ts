import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startS3Emulator } from '@fileforge/test-fixtures/s3';
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
 * An extra subject ingests the same file into S3-compatible storage: an s3rver emulator on
 * 127.0.0.1 started by this suite (multipart upload of 8 MiB parts; the emulator writes parts to
 * this disk and concatenates them on completion, so it measures the client path plus an
 * emulator, not a real S3 service).
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
    const s3 = await startS3Emulator({ bucket: 'fileforge-bench' });
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
        async 'fileforge → S3 (emulator)'(round) {
          const dataDir = join(dir, `forge-s3-${round}`);
          const location = {
            bucket: s3.bucket,
            endpoint: s3.endpoint,
            region: s3.region,
            credentials: s3.credentials,
            prefix: `run-${round}/`,
          };
          try {
            const args = [input.path, dataDir, String(maxFileSize), JSON.stringify(location)];
            return checked(await runChild<ChildSample>(childScript('ingest-fileforge.mjs'), args), input);
          } finally {
            await rm(dataDir, { recursive: true, force: true });
            // The emulator keeps objects as files under <directory>/<bucket>/<key>.
            await rm(join(s3.directory, s3.bucket, `run-${round}`), { recursive: true, force: true });
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
    ).finally(() => s3.close());
    const { fileforge, baseline, 'fileforge → S3 (emulator)': inS3 } = measured;
    return { input: summary, runs: { fileforge, baseline, extra: { 'fileforge → S3 (emulator)': inS3 } } };
  },
};
