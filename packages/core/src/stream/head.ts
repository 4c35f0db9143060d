import { Transform, type TransformCallback } from 'node:stream';

/**
 * A pass-through stream that keeps a copy of the first `limit` bytes and hands them to
 * `inspect` once — as soon as that many have arrived, or at the end for smaller inputs.
 * If `inspect` throws, the stream fails with that error before the rest flows on, which is
 * how a detected type outside an allow-list is refused while the upload is still arriving.
 */
export class HeadCapture extends Transform {
  readonly #limit: number;
  readonly #inspect: (head: Buffer) => void | Promise<void>;
  #chunks: Buffer[] = [];
  #length = 0;
  #inspected = false;
  #head: Buffer = Buffer.alloc(0);

  constructor(limit: number, inspect: (head: Buffer) => void | Promise<void> = () => {}) {
    super();
    this.#limit = limit;
    this.#inspect = inspect;
  }

  /** The captured head (complete once inspection has run). */
  get head(): Buffer {
    return this.#head;
  }

  #finishHead(callback: (error?: Error | null) => void): void {
    this.#inspected = true;
    this.#head = Buffer.concat(this.#chunks, this.#length).subarray(0, this.#limit);
    this.#chunks = [];
    Promise.resolve()
      .then(() => this.#inspect(this.#head))
      .then(
        () => callback(),
        (error: Error) => callback(error),
      );
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#inspected) {
      callback(null, chunk);
      return;
    }
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    if (this.#length < this.#limit) {
      callback(null, chunk);
      return;
    }
    this.#finishHead((error) => (error ? callback(error) : callback(null, chunk)));
  }

  override _flush(callback: TransformCallback): void {
    if (this.#inspected) callback();
    else this.#finishHead(callback);
  }
}
