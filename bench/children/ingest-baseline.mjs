/**
 * Child: the ingest baseline — read → SHA-256 → write → fsync, the least a durable,
 * hashed copy of a file costs in Node. Plain JavaScript on bare `node`, like the FileForge
 * child, so neither side carries a loader.
 * Usage (through runChild): ingest-baseline.mjs <input> <output>
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ownPeakRss, reportToParent } from '../lib/child-report.mjs';

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: ingest-baseline.mjs <input> <output>');

const startRssBytes = process.memoryUsage().rss;
const start = performance.now();
const hash = createHash('sha256');
let bytes = 0;
const meter = new Transform({
  /** @param {Buffer} chunk */
  transform(chunk, _encoding, callback) {
    hash.update(chunk);
    bytes += chunk.length;
    callback(null, chunk);
  },
});
// `flush` fsyncs the file before it is closed (as FileForge's local store does); pipeline() waits for that.
await pipeline(createReadStream(input), meter, createWriteStream(output, { flags: 'wx', flush: true }));
const ms = performance.now() - start;

reportToParent({ bytes, ms, sha256: hash.digest('hex'), peakRssBytes: ownPeakRss(), startRssBytes });
