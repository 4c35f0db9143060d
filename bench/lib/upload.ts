import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { request } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { InputFile } from './data.js';

/** A finished upload: the status, the body as text, and the wall time from request to body end. */
export interface UploadResult {
  status: number;
  body: string;
  ms: number;
}

/**
 * POSTs the file as `multipart/form-data` (field `file`, filename `big.bin`,
 * `application/octet-stream`) with an exact Content-Length, streaming it from disk.
 */
export async function uploadMultipart(
  url: string,
  input: InputFile,
  headers: Record<string, string> = {},
): Promise<UploadResult> {
  const boundary = `----fileforge-bench-${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const end = Buffer.from(`\r\n--${boundary}--\r\n`);
  const start = performance.now();
  const req = request(url, {
    method: 'POST',
    agent: false,
    headers: {
      ...headers,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': head.length + input.bytes + end.length,
    },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.once('error', reject);
      res.once('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }),
      );
    });
  });
  async function* body() {
    yield head;
    yield* createReadStream(input.path);
    yield end;
  }
  // A server that refuses early may close mid-body; the response says why, so that error is secondary.
  const sent = pipeline(body, req).catch((error: unknown) => error);
  const { status, body: text } = await response;
  const ms = performance.now() - start;
  await sent;
  return { status, body: text, ms };
}
