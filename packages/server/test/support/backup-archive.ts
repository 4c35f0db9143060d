/**
 * Builds gzip'd tar archives for the restore tests: copies of a real backup with one thing
 * changed, and hostile archives written from scratch.
 *
 * @module
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { extract, type Header, pack } from 'tar-stream';

/** One entry to write: a header and its bytes (or a byte count of zeros, for bombs). */
export interface TestEntry {
  header: Partial<Header> & { name: string };
  body?: Buffer;
  zeros?: number;
}

/** Reads every entry of a gzip'd tar into memory (test archives are small). */
export async function readEntries(path: string): Promise<TestEntry[]> {
  const entries: TestEntry[] = [];
  const ex = extract();
  const done = (async () => {
    for await (const entry of ex) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      entries.push({ header: { ...entry.header }, body: Buffer.concat(chunks) });
    }
  })();
  await pipeline(createReadStream(path), createGunzip(), ex);
  await done;
  return entries;
}

/** Writes `entries` as a gzip'd tar at `path`. */
export async function writeEntries(path: string, entries: TestEntry[]): Promise<void> {
  const p = pack();
  const written = pipeline(p, createGzip({ level: 1 }), createWriteStream(path));
  for (const { header, body, zeros } of entries) {
    if (zeros !== undefined) {
      const stream = p.entry({ ...header, size: zeros });
      const chunk = Buffer.alloc(1 << 20);
      for (let left = zeros; left > 0; left -= chunk.length) {
        const ok = stream.write(left >= chunk.length ? chunk : chunk.subarray(0, left));
        if (!ok) await new Promise<void>((r) => stream.once('drain', () => r()));
      }
      stream.end(Buffer.alloc(0));
      await new Promise<void>((r) => stream.once('finish', () => r()));
    } else {
      await new Promise<void>((resolve, reject) =>
        p.entry({ ...header, size: body?.length ?? 0 }, body ?? Buffer.alloc(0), (e) =>
          e ? reject(e) : resolve(),
        ),
      );
    }
  }
  p.finalize();
  await written;
}
