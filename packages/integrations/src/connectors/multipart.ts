/**
 * Streamed multipart uploads (Salesforce ContentVersion, DocuSign envelopes): a head (the JSON
 * part and the file part's headers), the stored file's bytes straight from storage, a tail —
 * never the whole file in memory, and a `Content-Length` known in advance.
 *
 * A streamed body cannot be replayed by the client's automatic re-auth, so
 * {@link postStreamed} signs the request itself and, on a 401, fetches one new token and
 * re-opens the file.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ConnectorClient, ConnectorResponse } from './define.js';
import type { FileSource } from './types.js';

/** A boundary no file is likely to contain. */
export function newBoundary(): string {
  return `FileForge-${randomBytes(12).toString('hex')}`;
}

/** A file name safe inside a quoted `Content-Disposition` parameter. */
export function quotedName(name: string): string {
  return name.replace(/["\r\n\\]/g, '_');
}

/** What {@link postStreamed} sends. */
export interface StreamedUpload {
  url: string;
  /** The request's `Content-Type` (`multipart/form-data; boundary=…`). */
  contentType: string;
  /** Everything before the file's bytes. */
  head: Buffer;
  file: FileSource;
  /** Everything after them (the closing boundary). */
  tail: Buffer;
}

/** POSTs head + file + tail; returns the answer unread (`raw`), for the connector's own reading. */
export async function postStreamed(
  client: ConnectorClient,
  upload: StreamedUpload,
): Promise<ConnectorResponse> {
  const { head, tail, file } = upload;
  for (let attempt = 0; ; attempt++) {
    const signed = await client.auth.authorize(client.signal);
    const bytes = await file.open(client.signal);
    // Until the request pulls the body, nothing reads the stream: a read error then (EIO, a
    // reset storage socket) would go unhandled and end the process. Readable keeps it
    // (`errored`), and the body's generator throws it when the request reads it.
    bytes.on('error', keptForTheBody);
    let response: ConnectorResponse;
    try {
      response = await client.request({
        method: 'POST',
        path: upload.url,
        body: Readable.from(concatenate(head, bytes, tail)),
        headers: {
          ...signed,
          'content-type': upload.contentType,
          'content-length': String(head.length + file.size + tail.length),
        },
        auth: false,
        raw: true,
      });
    } catch (error) {
      // A request refused or failed before its body was read never starts the generator, so
      // nothing else would close the stored file (a descriptor, or an S3 socket).
      bytes.destroy();
      throw error;
    }
    if (response.status === 401 && attempt === 0 && client.auth.invalidate?.(signed)) {
      bytes.destroy(); // the next attempt opens the file again
      continue;
    }
    return response;
  }
}

/** See {@link postStreamed}: the stream's error reaches the request through its body. */
function keptForTheBody(): void {}

async function* concatenate(head: Buffer, body: Readable, tail: Buffer): AsyncGenerator<Buffer> {
  yield head;
  for await (const chunk of body) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
  yield tail;
}
