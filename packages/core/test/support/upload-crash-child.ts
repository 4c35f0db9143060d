/**
 * Child program of the upload crash suite (issue 12): opens a forge on `<dataDir>` (start-up
 * recovery runs), ingests the files described by `<specs>` one after another — each
 * `<name>:<size>:<seed>` is `size` deterministic bytes — and appends one line
 * `{"name","id","sha256"}` to `<acks>` after each ingest resolves: what "acknowledged" means for
 * an SDK caller. `FILEFORGE_CRASH_AT` decides where it dies; with `verify` instead of specs it
 * only starts (recovers) and closes.
 */
import { appendFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createForge } from '@fileforge/core';
import { bytesOf } from './seeded-bytes.js';

/** Streams a buffer in 16 KiB chunks, as a network body arrives. */
function chunked(data: Buffer): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length; at += 16 * 1024) chunks.push(data.subarray(at, at + 16 * 1024));
  return Readable.from(chunks);
}

async function main(): Promise<void> {
  const [dataDir, acks, ...specs] = process.argv.slice(2);
  if (!dataDir || !acks) throw new Error('usage: upload-crash-child <dataDir> <acks> [name:size:seed...]');
  const forge = await createForge({ dataDir });
  for (const spec of specs) {
    if (spec === 'verify') continue;
    const [name, size, seed] = spec.split(':');
    const record = await forge.ingest(chunked(bytesOf(Number(size), Number(seed))), { name: name! });
    appendFileSync(acks, `${JSON.stringify({ name, id: record.id, sha256: record.sha256 })}\n`);
  }
  await forge.close();
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
