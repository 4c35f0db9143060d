import { Transform, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';
import { rejectContent } from '../reject-content.js';

/** What an entry's data must match. */
export interface EntryExpectation {
  name: string;
  /** Declared uncompressed size: the data must be exactly this long. */
  size: number;
  /** Declared CRC-32 of the uncompressed data. */
  crc32: number;
}

/**
 * Counts the inflated bytes of one entry and fails as soon as they pass the declared size
 * (yauzl's own check is per 16 KiB chunk; this one is the guard's defence in depth), when
 * the data ends short, or when its CRC-32 differs (yauzl does not check CRCs).
 */
export class EntryByteGuard extends Transform {
  #bytes = 0;
  #crc = 0;

  constructor(private readonly expected: EntryExpectation) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#bytes += chunk.length;
    if (this.#bytes > this.expected.size) {
      callback(this.#mismatch(`inflates past its declared ${this.expected.size} bytes`));
      return;
    }
    this.#crc = crc32(chunk, this.#crc);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.#bytes !== this.expected.size) {
      callback(this.#mismatch(`has ${this.#bytes} bytes, declared ${this.expected.size}`));
    } else if (this.#crc !== this.expected.crc32) {
      callback(
        rejectContent(
          'zip',
          'archive_invalid',
          `Archive rejected (archive_invalid): CRC-32 mismatch in "${this.expected.name}"`,
          { details: { entry: this.expected.name } },
        ),
      );
    } else {
      callback();
    }
  }

  #mismatch(what: string) {
    return rejectContent(
      'zip',
      'archive_limits',
      `Archive rejected (archive_limits): entry "${this.expected.name}" ${what}`,
      { details: { entry: this.expected.name, declared: this.expected.size } },
    );
  }
}
