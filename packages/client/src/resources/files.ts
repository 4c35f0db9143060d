/**
 * `client.files`: upload, list (every page), get, download, derivatives, reprocess, delete
 * and wait for processing.
 * @module
 */
import type { Derivative, FileList, FileListQuery, FileRecord, FileStatus } from '../api-types.js';
import { errorFromFailure, FileForgeClientError, isFileForgeClientError } from '../errors.js';
import { pathOf } from '../path.js';
import { sleep } from '../retry.js';
import type { Transport } from '../transport.js';
import { isReplayable, type UploadProgress, type UploadSource, uploadBody } from '../upload-body.js';

/** Options of {@link FilesApi.upload}. */
export interface UploadOptions {
  /** The file's name. @default the `File`'s name; required for every other source */
  name?: string;
  /** Content type declared for the file (the server detects the real one from the bytes). */
  type?: string;
  /** The size of a stream source, so progress events carry a `total`. */
  size?: number;
  /** Called as bytes are sent: `loaded` never decreases and ends at the file's size. */
  onProgress?: (progress: UploadProgress) => void;
  /** Aborts the upload (the promise rejects with code `ABORTED`). */
  signal?: AbortSignal;
  /**
   * Makes a retry safe: with a key, an upload of a `Blob` or bytes answered 429/503 is sent
   * again, and the server stores it at most once. @default none (never retried)
   */
  idempotencyKey?: string;
}

/** Options of calls that take only a signal. */
export interface CallOptions {
  /** Aborts the call (the promise rejects with code `ABORTED`). */
  signal?: AbortSignal;
}

/** Filters of {@link FilesApi.list} (every page is read; `cursor` starts later). */
export type FileListOptions = FileListQuery & CallOptions;

/** Options of {@link FilesApi.waitFor}. */
export interface WaitForOptions extends CallOptions {
  /** The status (or any of the statuses) to wait for. @default 'processed' */
  status?: FileStatus | readonly FileStatus[];
  /** Give up after this long (code `TIMEOUT`). @default 60000 */
  timeoutMs?: number;
  /** Time between two looks at the file. @default 500 */
  intervalMs?: number;
}

/** Every file of a listing, page after page; {@link FileIterable.pages} walks the pages. */
export interface FileIterable extends AsyncIterable<FileRecord> {
  /** The pages themselves (each with its `nextCursor`). */
  pages(): AsyncIterable<FileList>;
}

const FINAL: ReadonlySet<FileStatus> = new Set(['processed', 'failed', 'rejected']);

/** `client.files`. */
export class FilesApi {
  /** @internal */
  constructor(private readonly transport: Transport) {}

  /**
   * Uploads one file, streamed: in Node the bytes are read from the source only as the
   * connection takes them. Resolves with the stored record (processing follows; see
   * {@link FilesApi.waitFor}).
   */
  async upload(source: UploadSource, options: UploadOptions = {}): Promise<FileRecord> {
    const name =
      options.name ?? (typeof File !== 'undefined' && source instanceof File ? source.name : undefined);
    if (!name) throw new TypeError('[fileforge:client] files.upload needs options.name for this source');
    let reported = -1;
    const onProgress = options.onProgress;
    const body = uploadBody(source, {
      name,
      type: options.type,
      size: options.size,
      signal: options.signal,
      // A retried upload starts again from 0; the caller only ever sees progress forward.
      onProgress: onProgress
        ? (progress) => {
            if (progress.loaded <= reported) return;
            reported = progress.loaded;
            onProgress(progress);
          }
        : undefined,
    });
    const headers: Record<string, string> = { ...body.headers };
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    let files: FileRecord[];
    try {
      ({ files } = await this.transport.json<{ files: FileRecord[] }>({
        method: 'POST',
        path: '/api/v1/files',
        body: body.body,
        replayable: isReplayable(source),
        headers,
        signal: options.signal,
      }));
    } catch (error) {
      // `fetch` reports a source that failed as a network failure: name the file's error instead.
      const unreadable = body.readError();
      if (unreadable === undefined || !(isFileForgeClientError(error) && error.code === 'NETWORK_ERROR'))
        throw error;
      const message = unreadable instanceof Error ? unreadable.message : String(unreadable);
      throw new FileForgeClientError('SOURCE_ERROR', `The file to upload could not be read: ${message}`, {
        status: 0,
        cause: unreadable,
      });
    } finally {
      body.dispose();
    }
    body.finished();
    const [record] = files;
    if (!record) {
      throw new FileForgeClientError('INVALID_RESPONSE', 'The upload was answered without a file', {
        status: 201,
      });
    }
    return record;
  }

  /** One page of files, newest first; pass its `nextCursor` as `cursor` for the next. */
  page(options: FileListOptions = {}): Promise<FileList> {
    const { signal, ...query } = options;
    return this.transport.json<FileList>({ method: 'GET', path: '/api/v1/files', query, signal });
  }

  /**
   * Every file matching the filters, newest first, fetched a page (`limit`) at a time as the
   * loop asks for more.
   * @example
   * for await (const file of client.files.list({ status: 'processed' })) console.log(file.name);
   */
  list(options: FileListOptions = {}): FileIterable {
    const pages = async function* (this: FilesApi): AsyncGenerator<FileList> {
      let cursor = options.cursor;
      do {
        const page = await this.page({ ...options, cursor });
        yield page;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }.bind(this);
    return {
      pages,
      async *[Symbol.asyncIterator]() {
        for await (const page of pages()) yield* page.items;
      },
    };
  }

  /** One file's record (404 `NOT_FOUND` when there is none). */
  get(id: string, options: CallOptions = {}): Promise<FileRecord> {
    return this.transport.json({
      method: 'GET',
      path: pathOf('/api/v1/files/{id}', { id }),
      signal: options.signal,
    });
  }

  /** The file's content as a web `ReadableStream` (read it, or cancel it, to free the connection). */
  async download(id: string, options: CallOptions = {}): Promise<ReadableStream<Uint8Array>> {
    const response = await this.transport.send({
      method: 'GET',
      path: pathOf('/api/v1/files/{id}/download', { id }),
      headers: { accept: '*/*' },
      signal: options.signal,
    });
    if (!response.body) return new ReadableStream({ start: (controller) => controller.close() });
    return withClientErrors(response.body, options.signal);
  }

  /** The derivatives (thumbnails, previews, extracted text…) made for the file. */
  async derivatives(id: string, options: CallOptions = {}): Promise<Derivative[]> {
    const { items } = await this.transport.json<{ items: Derivative[] }>({
      method: 'GET',
      path: pathOf('/api/v1/files/{id}/derivatives', { id }),
      signal: options.signal,
    });
    return items;
  }

  /** Queues the file for processing again; resolves with its record. */
  reprocess(id: string, options: CallOptions = {}): Promise<FileRecord> {
    return this.transport.json({
      method: 'POST',
      path: pathOf('/api/v1/files/{id}/reprocess', { id }),
      signal: options.signal,
    });
  }

  /** Deletes the file, its derivatives and (unless shared) its content. */
  async delete(id: string, options: CallOptions = {}): Promise<void> {
    await this.transport.send({
      method: 'DELETE',
      path: pathOf('/api/v1/files/{id}', { id }),
      signal: options.signal,
    });
  }

  /**
   * Polls the file until its status is one of `status`. Rejects with `UNEXPECTED_STATUS`
   * (the record in `details.file`) when it settles on another final status, and with
   * `TIMEOUT` after `timeoutMs`.
   */
  async waitFor(id: string, options: WaitForOptions = {}): Promise<FileRecord> {
    const wanted = new Set<FileStatus>(
      typeof options.status === 'string' ? [options.status] : (options.status ?? ['processed']),
    );
    const timeoutMs = options.timeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const file = await this.get(id, options);
      if (wanted.has(file.status)) return file;
      if (FINAL.has(file.status)) {
        throw new FileForgeClientError(
          'UNEXPECTED_STATUS',
          `File ${id} is ${file.status}, not ${[...wanted].join(' or ')}`,
          { status: 200, details: { file } },
        );
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new FileForgeClientError(
          'TIMEOUT',
          `File ${id} was still ${file.status} after ${timeoutMs} ms`,
          {
            status: 0,
            details: { file },
          },
        );
      }
      try {
        await sleep(Math.min(options.intervalMs ?? 500, left), options.signal);
      } catch (error) {
        // ABORTED, or TIMEOUT for a timeout signal: as when it fires during a request.
        throw errorFromFailure(error, options.signal);
      }
    }
  }
}

/**
 * `body`, failing as the client's calls do when it is cut off half way (`NETWORK_ERROR`, or
 * `TIMEOUT` / `ABORTED` for `signal`) rather than with the runtime's own error.
 */
function withClientErrors(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          controller.error(errorFromFailure(error, signal));
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}
