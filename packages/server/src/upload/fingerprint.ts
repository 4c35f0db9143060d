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
import { busboyLimits, type MultipartLimits } from './limits.js';

/** The fingerprint of stored files, as their records describe them. */
export function fingerprintOfRecords(records: readonly Pick<FileRecord, 'sha256' | 'size'>[]): string {
  return records.map((r) => `${r.sha256}:${r.size}`).join(',');
}

/** Reads a multipart body to its end and fingerprints its file parts; stores nothing. */
export function fingerprintOfBody(incoming: IncomingMessage, limits: MultipartLimits): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const malformed = (cause?: unknown) =>
      reject(new FileForgeError(ErrorCode.BAD_REQUEST, 'Malformed multipart request', { cause }));
    let parser: ReturnType<typeof Busboy>;
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
      parts.push(
        new Promise<string>((done, fail) => {
          stream.on('data', (chunk: Buffer) => {
            size += chunk.length;
            hash.update(chunk);
          });
          stream.on('error', fail);
          stream.on('end', () => done(`${hash.digest('hex')}:${size}`));
        }),
      );
    });
    parser.on('error', malformed);
    parser.on('finish', () => {
      Promise.all(parts).then((all) => resolve(all.join(',')), malformed);
    });
    incoming.on('error', malformed);
    incoming.on('aborted', () =>
      reject(new FileForgeError(ErrorCode.UPLOAD_ABORTED, 'The client closed the connection')),
    );
    incoming.pipe(parser);
  });
}
