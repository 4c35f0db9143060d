import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fitSize, formatMiB, MiB } from './disk.js';
import type { InputSummary, SuiteContext } from './suite.js';

/** The generated input every subject of a suite reads. */
export interface InputFile {
  path: string;
  bytes: number;
  sha256: string;
}

/**
 * Yields `bytes` of pseudo-random data in 1 MiB chunks: one random buffer, copied per chunk
 * with the chunk number stamped at a few spread positions, so no two chunks are identical
 * and generating 1 GiB costs one `randomBytes` call instead of a thousand.
 */
function* chunks(bytes: number, hash: ReturnType<typeof createHash>): Generator<Buffer> {
  const base = randomBytes(MiB);
  for (let offset = 0, n = 0; offset < bytes; offset += MiB, n++) {
    const chunk = Buffer.from(base.subarray(0, Math.min(MiB, bytes - offset)));
    if (chunk.length >= 8) {
      for (let k = 0; k < 8; k++) {
        const at = (Math.imul(n + 1, 2_654_435_761) + k * 131_071) >>> 0;
        chunk.writeUInt32LE(Math.imul(n, 40_503) >>> 0, at % (chunk.length - 4));
      }
    }
    hash.update(chunk);
    yield chunk;
  }
}

/** Writes the input file and fsyncs it, so its writeback cannot disturb the timed runs. */
export async function generateInput(path: string, bytes: number): Promise<InputFile> {
  const hash = createHash('sha256');
  // `flush` fsyncs before the stream closes, and pipeline() waits for the close.
  await pipeline(Readable.from(chunks(bytes, hash)), createWriteStream(path, { flags: 'wx', flush: true }));
  return { path, bytes, sha256: hash.digest('hex') };
}

/** Reads the whole file once and discards it: every subject then starts from a warm page cache. */
export async function warmRead(path: string): Promise<void> {
  for await (const _ of createReadStream(path, { highWaterMark: MiB })) {
    // discard
  }
}

/**
 * The input of the suites that read one large file: `--size` MiB of pseudo-random data in
 * the suite's temp dir (scaled down when the disk lacks room for 3 copies), page-cache warm.
 */
export async function randomInput(ctx: SuiteContext): Promise<{ input: InputFile; summary: InputSummary }> {
  const size = await fitSize(ctx.dir, Math.round(ctx.sizeMiB * MiB));
  if (size.note) ctx.log(`  NOTE: ${size.note}`);
  ctx.log(`  generating ${formatMiB(size.bytes)} of pseudo-random input in ${ctx.dir}`);
  const input = await generateInput(join(ctx.dir, 'input.bin'), size.bytes);
  await warmRead(input.path);
  return { input, summary: { label: formatMiB(size.bytes), size } };
}
