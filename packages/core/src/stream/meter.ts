import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ErrorCode, FileForgeError } from '../errors/index.js';

/** Options for {@link ByteMeter}. */
export interface ByteMeterOptions {
  /** Largest number of bytes allowed through; one more fails the stream with `FILE_TOO_LARGE`. */
  maxBytes?: number;
}

/**
 * A pass-through stream that hashes (SHA-256) and counts the bytes flowing through it and
 * fails the pipeline the moment the count crosses `maxBytes`, so an oversized body is
 * refused while it arrives instead of after it has been written.
 */
export class ByteMeter extends Transform {
  readonly #hash: Hash = createHash('sha256');
  readonly #maxBytes: number;
  #bytes = 0;
  #digest: string | undefined;

  constructor(options: ByteMeterOptions = {}) {
    super();
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  }

  /** Bytes seen so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Hex SHA-256 of everything seen; only valid once the stream has finished. */
  get sha256(): string {
    this.#digest ??= this.#hash.digest('hex');
    return this.#digest;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#bytes += chunk.length;
    if (this.#bytes > this.#maxBytes) {
      callback(
        new FileForgeError(
          ErrorCode.FILE_TOO_LARGE,
          `[fileforge:ingest] File exceeds the limit of ${this.#maxBytes} bytes`,
          {
            details: { limit: this.#maxBytes },
          },
        ),
      );
      return;
    }
    this.#hash.update(chunk);
    callback(null, chunk);
  }
}
