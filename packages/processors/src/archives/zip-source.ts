import { PassThrough, type Readable } from 'node:stream';
import type { ProcessorFile } from '@fileforge/core';
import { fromRandomAccessReader, type Options, open, RandomAccessReader, type ZipFile } from 'yauzl';

/**
 * yauzl options of the guard. `autoClose` is off on purpose: with it on, yauzl closes the
 * file right after the last central-directory entry, before the guard has decided whether
 * any entry may be read; the guard closes explicitly instead (always, in `finally`).
 */
const YAUZL_OPTIONS: Options = {
  lazyEntries: true,
  strictFileNames: true,
  validateEntrySizes: true,
  autoClose: false,
  decodeStrings: true,
};

const BLOCK = 64 * 1024;

/**
 * Random access over `ProcessorFile.open(range)` for stores without a local path. yauzl
 * reads the central directory 46 bytes at a time, so small reads are served from one cached
 * 64 KiB block instead of a ranged request each; entry data streams as one ranged read.
 */
class BlobReader extends RandomAccessReader {
  #block: { start: number; bytes: Buffer } | undefined;

  constructor(
    private readonly file: ProcessorFile,
    private readonly size: number,
  ) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const out = new PassThrough();
    this.file.open({ start, end: end - 1 }).then(
      (source) => {
        source.on('error', (error) => out.destroy(error));
        // yauzl destroys `out` when a read stops early: the store stream (a socket for S3)
        // must close with it, not wait paused for ever.
        if (out.destroyed) source.destroy();
        else out.once('close', () => source.destroy());
        source.pipe(out);
      },
      (error: unknown) => out.destroy(error as Error),
    );
    return out;
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null) => void,
  ): void {
    if (length > BLOCK) {
      super.read(buffer, offset, length, position, callback);
      return;
    }
    this.#blockAt(position, length).then(
      (block) => {
        block.bytes.copy(buffer, offset, position - block.start, position - block.start + length);
        callback(null);
      },
      (error: unknown) => callback(error as Error),
    );
  }

  async #blockAt(position: number, length: number): Promise<{ start: number; bytes: Buffer }> {
    const cached = this.#block;
    if (cached && position >= cached.start && position + length <= cached.start + cached.bytes.length) {
      return cached;
    }
    const start = Math.max(0, Math.min(position, this.size - BLOCK));
    const end = Math.min(this.size, start + BLOCK);
    const bytes = await readFileRange(this.file, start, end);
    if (position + length > start + bytes.length) throw new Error('unexpected EOF');
    this.#block = { start, bytes };
    return this.#block;
  }
}

/** Bytes `start` to `end` (exclusive) of `file`, read through one ranged read. */
export async function readFileRange(file: ProcessorFile, start: number, end: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await file.open({ start, end: end - 1 })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Opens `file` with yauzl: by path when the store has one, else through ranged reads. */
export function openYauzl(file: ProcessorFile): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, zip?: ZipFile) => (error || !zip ? reject(error) : resolve(zip));
    if (file.path !== undefined) {
      open(file.path, YAUZL_OPTIONS, done);
    } else {
      fromRandomAccessReader(new BlobReader(file, file.record.size), file.record.size, YAUZL_OPTIONS, done);
    }
  });
}
