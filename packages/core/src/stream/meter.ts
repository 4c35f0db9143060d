import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ErrorCode, FileForgeError } from '../errors/index.js';

/** Looks at the first bytes of a stream while it flows (e.g. type detection); throwing fails the stream. */
export interface HeadInspector {
  /** How many leading bytes to collect. */
  bytes: number;
  /** Called once with the first `bytes` bytes (fewer for a shorter stream), before more flows on. */
  inspect(head: Buffer): void | Promise<void>;
}

/** Options for {@link ByteMeter}. */
export interface ByteMeterOptions {
  /** Largest number of bytes allowed through; one more fails the stream with `FILE_TOO_LARGE`. */
  maxBytes?: number;
  /** Inspects the leading bytes before the rest flows on. */
  head?: HeadInspector;
}

/**
 * A pass-through stream that hashes (SHA-256) and counts the bytes flowing through it, fails
 * the pipeline the moment the count crosses `maxBytes` (so an oversized body is refused while
 * it arrives), and can hand the leading bytes to an inspector on the way. One stream does all
 * three, so the upload path costs one hop per chunk.
 */
export class ByteMeter extends Transform {
  readonly #hash: Hash = createHash('sha256');
  readonly #maxBytes: number;
  readonly #head: HeadInspector | undefined;
  #headChunks: Buffer[] = [];
  #headLength = 0;
  #bytes = 0;
  #digest: string | undefined;

  constructor(options: ByteMeterOptions = {}) {
    super();
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    this.#head = options.head;
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

  #inspect(callback: (error?: Error | null) => void): void {
    const head = Buffer.concat(this.#headChunks, this.#headLength).subarray(0, this.#head!.bytes);
    this.#headChunks = [];
    this.#headLength = -1; // inspected
    Promise.resolve()
      .then(() => this.#head!.inspect(head))
      .then(
        () => callback(),
        (error: Error) => callback(error),
      );
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
    if (!this.#head || this.#headLength < 0) {
      callback(null, chunk);
      return;
    }
    this.#headChunks.push(chunk);
    this.#headLength += chunk.length;
    if (this.#headLength < this.#head.bytes) {
      callback(null, chunk);
      return;
    }
    this.#inspect((error) => (error ? callback(error) : callback(null, chunk)));
  }

  override _flush(callback: TransformCallback): void {
    if (this.#head && this.#headLength >= 0) this.#inspect(callback);
    else callback();
  }
}
