/**
 * The sink a PATCH body is written through: the staged file at the chunk's offset, every byte
 * also fed to the upload's running SHA-256 (and the chunk's checksum, if any).
 *
 * It replaces @tus/file-store's `write()` (a counting `Transform` in front of an
 * `fs.WriteStream` with a 16 KiB high-water mark, behind our own hashing `Transform`): one
 * `Writable` with a 1 MiB high-water mark whose buffered socket reads go to the file as one
 * `writev` each. While a write is in the thread pool the next reads queue up, so a 64 KiB read
 * no longer costs a thread-pool round trip of its own, and two stream layers are gone. The hash
 * of a batch runs while its `writev` is in flight.
 *
 * @module
 */

import type { Hash } from 'node:crypto';
import { close, open, writev } from 'node:fs';
import { Writable } from 'node:stream';

/** Socket reads queued while a write is in flight, at most (about 16 of Node's 64 KiB reads). */
const HIGH_WATER_MARK = 1024 * 1024;

/** See the module comment. `written` is the number of bytes that reached the file. */
export class StagedWriter extends Writable {
  written = 0;
  readonly #path: string;
  readonly #hashes: readonly Hash[];
  #fd = -1;
  #position: number;
  /** A `writev` is in the thread pool: the descriptor must stay open until it returns. */
  #writing = false;
  /** A destroy that came while {@link #writing}: runs when the write returns. */
  #closeAfterWrite: (() => void) | undefined;

  /** Writes to `path` (which must exist) from byte `offset`, feeding every byte to `hashes`. */
  constructor(path: string, offset: number, hashes: readonly (Hash | undefined)[]) {
    super({ highWaterMark: HIGH_WATER_MARK });
    this.#path = path;
    this.#position = offset;
    this.#hashes = hashes.filter((hash): hash is Hash => hash !== undefined);
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.#path, 'r+', (error, fd) => {
      if (!error) this.#fd = fd;
      callback(error);
    });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#writeBatch([chunk], callback);
  }

  override _writev(
    chunks: { chunk: Buffer; encoding: BufferEncoding }[],
    callback: (error?: Error | null) => void,
  ): void {
    this.#writeBatch(
      chunks.map((c) => c.chunk),
      callback,
    );
  }

  #writeBatch(buffers: Buffer[], callback: (error?: Error | null) => void): void {
    let bytes = 0;
    for (const buffer of buffers) bytes += buffer.length;
    const position = this.#position;
    this.#position += bytes;
    this.#writeAll(buffers, position, bytes, callback);
    // The file write runs in the thread pool; hash the same bytes meanwhile.
    for (const hash of this.#hashes) for (const buffer of buffers) hash.update(buffer);
  }

  /** `writev` may write less than asked (a signal, a full disk): write the rest, or fail. */
  #writeAll(
    buffers: Buffer[],
    position: number,
    bytes: number,
    callback: (error?: Error | null) => void,
  ): void {
    this.#writing = true;
    writev(this.#fd, buffers, position, (error, done) => {
      this.#writing = false;
      if (this.#closeAfterWrite) {
        // Destroyed meanwhile (the body broke off): what reached the file counts, nothing more is written.
        if (!error) this.written += done;
        this.#closeAfterWrite();
        return;
      }
      if (error) {
        callback(error);
        return;
      }
      this.written += done;
      if (done === bytes) callback();
      else if (done === 0) callback(new Error(`[fileforge:uploads] Nothing written to ${this.#path}`));
      else this.#writeAll(rest(buffers, done), position + done, bytes - done, callback);
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const finish = () => {
      const fd = this.#fd;
      this.#fd = -1;
      if (fd < 0) callback(error);
      else close(fd, (closeError) => callback(error ?? closeError));
    };
    // Closing under a write in flight could let the descriptor's number be reused by another
    // open before the write runs, and the bytes land in that file.
    if (this.#writing) this.#closeAfterWrite = finish;
    else finish();
  }
}

/** The buffers past the first `skip` bytes. */
function rest(buffers: Buffer[], skip: number): Buffer[] {
  const out: Buffer[] = [];
  for (const buffer of buffers) {
    if (skip >= buffer.length) {
      skip -= buffer.length;
      continue;
    }
    out.push(skip > 0 ? buffer.subarray(skip) : buffer);
    skip = 0;
  }
  return out;
}
