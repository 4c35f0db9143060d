/**
 * Child: times `forge.ingest()` of one local file into a fresh embedded forge. Plain
 * JavaScript on bare `node`: `@fileforge/core` resolves through its package `exports` to the
 * built `packages/core/dist`, exactly as in a user's production process.
 * With a fourth argument (JSON of `ForgeOptions.s3`), blobs go to that S3-compatible bucket.
 * Usage (through runChild): ingest-fileforge.mjs <input> <dataDir> <maxFileSize> [s3-json]
 */
import { createReadStream } from 'node:fs';
import { createForge } from '@fileforge/core';
import { ownPeakRss, reportToParent } from '../lib/child-report.mjs';

const [input, dataDir, maxFileSize, s3] = process.argv.slice(2);
if (!input || !dataDir || !maxFileSize)
  throw new Error('usage: ingest-fileforge.mjs <input> <dataDir> <maxFileSize>');

const forge = await createForge({
  dataDir,
  maxFileSize: Number(maxFileSize),
  maxWorkers: 1,
  ...(s3 ? { s3: JSON.parse(s3) } : {}),
});
const startRssBytes = process.memoryUsage().rss;
const start = performance.now();
const record = await forge.ingest(createReadStream(input), { name: 'big.bin' });
const ms = performance.now() - start;
await forge.close();

reportToParent({ bytes: record.size, ms, sha256: record.sha256, peakRssBytes: ownPeakRss(), startRssBytes });
