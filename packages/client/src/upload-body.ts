/**
 * The body of `POST /api/v1/files`: one file part of multipart/form-data. In Node (and other
 * runtimes whose `fetch` streams request bodies over HTTP/1.1) it is built by hand as a
 * `ReadableStream` that pulls the file's bytes only as the connection takes them, so no file
 * is ever held whole and progress follows the bytes sent. Browsers' `fetch` cannot stream a
 * request body over HTTP/1.1, so there the file goes into a `FormData` as a `Blob`.
 * @module
 */
import type { RequestBody } from './transport.js';

/**
 * What can be uploaded: a `Blob`/`File`, bytes (`Uint8Array`, Node `Buffer`, `ArrayBuffer`),
 * a web `ReadableStream`, or any async iterable of chunks (a Node `Readable`, e.g.
 * `fs.createReadStream(path)`). Streams are read once, so an upload of one is never retried.
 */
export type UploadSource =
  | Blob
  | Uint8Array
  | ArrayBuffer
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>;

/** Progress of an upload. */
export interface UploadProgress {
  /** File bytes handed to the connection so far; never decreases. */
  loaded: number;
  /** The file's size when known (`Blob`, bytes, or the `size` option); else `undefined`. */
  total: number | undefined;
}

/** An upload's body, made afresh for each attempt. */
export interface UploadBody {
  /** Headers of every attempt (the multipart boundary). */
  headers: Record<string, string>;
  /** The body of one attempt. */
  body(): Promise<RequestBody>;
  /** Call once the server has answered: reports the end where the body gave no progress. */
  finished(): void;
  /**
   * Call once the upload is over, answered or not: a source not read to its end is let go
   * (a Node `Readable` such as `fs.createReadStream()` is destroyed, a web stream cancelled),
   * so a refused upload leaves no file open.
   */
  dispose(): void;
  /** What reading the source threw, if it did (a file that could not be read, not the network). */
  readError(): unknown;
}

/** What {@link uploadBody} needs besides the source. */
export interface UploadBodyOptions {
  name: string;
  /** Content type declared for the file part. @default the Blob's type, else application/octet-stream */
  type?: string | undefined;
  size?: number | undefined;
  onProgress?: ((progress: UploadProgress) => void) | undefined;
  /** Once aborted, the source is no longer read (`fetch` may keep pulling a body it dropped). */
  signal?: AbortSignal | undefined;
}

/** Bytes per chunk when the source is held in memory (so progress is reported as it goes). */
const CHUNK = 64 * 1024;
const encoder = new TextEncoder();

const isBlob = (value: unknown): value is Blob => typeof Blob !== 'undefined' && value instanceof Blob;
const isReadableStream = (value: unknown): value is ReadableStream<Uint8Array> =>
  typeof ReadableStream !== 'undefined' && value instanceof ReadableStream;

/** Whether the source can be read again (so a refused upload may be retried). */
export function isReplayable(source: UploadSource): boolean {
  return isBlob(source) || source instanceof Uint8Array || source instanceof ArrayBuffer;
}

/** The size of the source when it can be known without reading it. */
export function sizeOf(source: UploadSource): number | undefined {
  if (isBlob(source)) return source.size;
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) return source.byteLength;
  return undefined;
}

/** Whether this runtime's `fetch` can send a streamed body over HTTP/1.1 (Node, Deno, Bun). */
export function canStreamRequests(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

async function* chunksOf(source: UploadSource): AsyncGenerator<Uint8Array> {
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) {
    const bytes = source instanceof ArrayBuffer ? new Uint8Array(source) : source;
    for (let at = 0; at < bytes.byteLength; at += CHUNK) yield bytes.subarray(at, at + CHUNK);
    return;
  }
  if (isBlob(source) || isReadableStream(source)) {
    const reader = (isBlob(source) ? source.stream() : source).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
  }
}

/** A filename as browsers put it in a `Content-Disposition` of form data. */
const quoted = (name: string) => name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** A random multipart boundary. */
function boundary(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return `----fileforge${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function streamedBody(
  source: UploadSource,
  options: UploadBodyOptions,
  total: number | undefined,
): UploadBody {
  const marker = boundary();
  const type = options.type ?? (isBlob(source) && source.type ? source.type : 'application/octet-stream');
  const head = encoder.encode(
    `--${marker}\r\nContent-Disposition: form-data; name="file"; filename="${quoted(options.name)}"\r\n` +
      `Content-Type: ${type}\r\n\r\n`,
  );
  const tail = encoder.encode(`\r\n--${marker}--\r\n`);
  /** Stops the current attempt's reading, when there is one. */
  let stopReading = () => {};
  let readError: unknown;
  const attempt = (): ReadableStream<Uint8Array> => {
    const chunks = chunksOf(source);
    let loaded = 0;
    let started = false;
    const stop = () => void chunks.return(undefined).catch(() => {});
    stopReading = () => {
      options.signal?.removeEventListener('abort', stop);
      stop();
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (options.signal?.aborted) {
          controller.error(options.signal.reason);
          stop();
          return;
        }
        if (!started) {
          started = true;
          options.onProgress?.({ loaded, total });
          controller.enqueue(head);
          return;
        }
        const next = await chunks.next().catch((error: unknown) => {
          readError = error;
          throw error;
        });
        if (next.done) {
          options.signal?.removeEventListener('abort', stop);
          if (options.signal?.aborted) return controller.error(options.signal.reason);
          controller.enqueue(tail);
          controller.close();
          return;
        }
        if (next.value.byteLength === 0) return;
        // A copy: the caller may reuse its buffer once the chunk is handed over.
        controller.enqueue(next.value.slice());
        loaded += next.value.byteLength;
        options.onProgress?.({ loaded, total });
      },
      async cancel() {
        options.signal?.removeEventListener('abort', stop);
        await chunks.return(undefined);
      },
    });
  };
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${marker}` },
    body: async () => attempt(),
    finished() {},
    dispose() {
      stopReading();
      // A generator never started does not run its cleanup on return(): release the source itself.
      releaseSource(source);
    },
    readError: () => readError,
  };
}

/** Lets go of a stream source: destroys a Node stream, cancels an unlocked web stream. */
function releaseSource(source: UploadSource): void {
  const node = source as { destroy?: () => void; destroyed?: boolean };
  if (typeof node.destroy === 'function') {
    if (!node.destroyed) node.destroy();
  } else if (isReadableStream(source) && !source.locked) {
    source.cancel().catch(() => {});
  }
}

async function blobOf(source: UploadSource): Promise<Blob> {
  if (isBlob(source)) return source;
  const parts: Uint8Array[] = [];
  for await (const chunk of chunksOf(source)) parts.push(chunk.slice());
  return new Blob(parts);
}

function formDataBody(source: UploadSource, options: UploadBodyOptions): UploadBody {
  let collected: Promise<Blob> | undefined;
  let size = 0;
  let readError: unknown;
  return {
    headers: {},
    async body() {
      collected ??= blobOf(source).catch((error: unknown) => {
        readError = error;
        throw error;
      });
      const blob = await collected;
      size = blob.size;
      const typed =
        options.type && blob.type !== options.type ? new Blob([blob], { type: options.type }) : blob;
      const form = new FormData();
      form.append('file', typed, options.name);
      options.onProgress?.({ loaded: 0, total: size });
      return form;
    },
    finished: () => options.onProgress?.({ loaded: size, total: size }),
    dispose: () => releaseSource(source),
    readError: () => readError,
  };
}

/**
 * The body of an upload. In a browser a stream source is first collected into a `Blob`
 * (there is no other way to send it), and progress is reported at the start and the end.
 */
export function uploadBody(source: UploadSource, options: UploadBodyOptions): UploadBody {
  const total = options.size ?? sizeOf(source);
  return canStreamRequests() ? streamedBody(source, options, total) : formDataBody(source, options);
}
