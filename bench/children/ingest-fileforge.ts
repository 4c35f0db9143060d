/**
 * Child: times `forge.ingest()` of one local file into a fresh embedded forge.
 * Usage (through runChild): ingest-fileforge.ts <input> <dataDir> <maxFileSize>
 */
import { createReadStream } from 'node:fs';
import { createForge } from '@fileforge/core';
import { reportToParent } from '../lib/child.js';
import { ownPeakRss } from '../lib/rss.js';

const [input, dataDir, maxFileSize] = process.argv.slice(2);
if (!input || !dataDir || !maxFileSize)
  throw new Error('usage: ingest-fileforge.ts <input> <dataDir> <maxFileSize>');

const forge = await createForge({ dataDir, maxFileSize: Number(maxFileSize), maxWorkers: 1 });
const startRssBytes = process.memoryUsage().rss;
const start = performance.now();
const record = await forge.ingest(createReadStream(input), { name: 'big.bin' });
const ms = performance.now() - start;
await forge.close();

reportToParent({ bytes: record.size, ms, sha256: record.sha256, peakRssBytes: ownPeakRss(), startRssBytes });
