/**
 * The content of a multipart upload as an `Idempotency-Key` compares it: the SHA-256 and size
 * of each file part, in order (not the raw body, whose boundary a client may choose afresh on
 * every retry). A retry under a key already answered is read through here and stores nothing.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Busboy } from '@fastify/busboy';
import { ErrorCode, FileForgeError, type FileRecord } from '@fileforge/core';
import { type BodyWatchOptions, watchUploadBody } from './body-watch.js';
import { busboyLimits, fileTooLarge, type MultipartLimits, maxRequestBytes } from './limits.js';

/** The fingerprint of stored files, as their records describe them. */
export function fingerprintOfRecords(records: readonly Pick<FileRecord, 'sha256' | 'size'>[]): string {
  return records.map((r) => `${r.sha256}:${r.size}`).join(',');
}

/**
 * Reads a multipart body to its end and fingerprints its file parts; stores nothing. The body
 * is held to what an upload is: the idle and minimum-rate limits of `watch` (408
 * `REQUEST_TIMEOUT`), at most the largest request `limits` allow, and no file part over
 * `maxFileSize` (413 `FILE_TOO_LARGE`). On a refusal the parser is detached; the caller
 * discards the rest of the body.
 */
export function fingerprintOfBody(
  incoming: IncomingMessage,
  limits: MultipartLimits,
  watch: BodyWatchOptions,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    let stopWatch = () => {};
    let parser: ReturnType<typeof Busboy> | undefined;
    const fail = (error: FileForgeError) => {
      if (settled) return;
      settled = true;
      stopWatch();
      incoming.off('data', count);
      if (parser) incoming.unpipe(parser);
      reject(error);
    };
    const malformed = (cause?: unknown) =>
      fail(new FileForgeError(ErrorCode.BAD_REQUEST, 'Malformed multipart request', { cause }));
    const maxBytes = maxRequestBytes(limits);
    let bytes = 0;
    const count = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) fail(fileTooLarge(limits.maxFileSize));
    };
    try {
      parser = Busboy({
        headers: incoming.headers as { 'content-type': string },
        limits: busboyLimits(limits),
      });
    } catch (error) {
      malformed(error);
      return;
    }
    const parts: Promise<string>[] = [];
    parser.on('file', (_field, stream) => {
      const hash = createHash('sha256');
      let size = 0;
      stream.on('limit', () => fail(fileTooLarge(limits.maxFileSize)));
      parts.push(
        new Promise<string>((done, failPart) => {
          stream.on('data', (chunk: Buffer) => {
            size += chunk.length;
            hash.update(chunk);
          });
          stream.on('error', failPart);
          stream.on('end', () => done(`${hash.digest('hex')}:${size}`));
        }),
      );
    });
    parser.on('error', malformed);
    parser.on('finish', () => {
      Promise.all(parts).then((all) => {
        if (settled) return;
        settled = true;
        stopWatch();
        resolve(all.join(','));
      }, malformed);
    });
    incoming.on('error', malformed);
    incoming.on('aborted', () =>
      fail(new FileForgeError(ErrorCode.UPLOAD_ABORTED, 'The client closed the connection')),
    );
    stopWatch = watchUploadBody(incoming, watch, fail);
    incoming.on('data', count);
    incoming.pipe(parser);
  });
}
