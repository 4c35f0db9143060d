import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request } from 'node:http';
import { basename } from 'node:path';
import type { ErrorBody } from '../errors/respond.js';

/** Result of {@link uploadFile}. */
export type UploadResult =
  | {
      ok: true;
      files: Array<{
        id: string;
        name: string;
        mime: string;
        size: number;
        sha256: string;
        status: 'pending';
      }>;
    }
  | { ok: false; status: number; error: ErrorBody['error'] };

const quote = (s: string) => s.replace(/["\\\r\n]/g, (c) => encodeURIComponent(c));

/**
 * Streams one file from disk to `POST /api/v1/files` as multipart/form-data with an exact
 * Content-Length, never holding it in memory.
 */
export async function uploadFile(
  baseUrl: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<UploadResult> {
  const { size } = await stat(path);
  const boundary = `fileforge-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quote(basename(path))}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const url = new URL('/api/v1/files', baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        ...headers,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': String(head.length + size + tail.length),
      },
    });
    req.on('response', async (res) => {
      // A response cut off or not JSON (a proxy's error page) rejects; it must not go unhandled.
      try {
        const chunks: Buffer[] = [];
        for await (const chunk of res) chunks.push(chunk as Buffer);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        resolve(
          res.statusCode === 201
            ? { ok: true, files: body.files }
            : { ok: false, status: res.statusCode ?? 0, error: body.error },
        );
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
    req.write(head);
    const file = createReadStream(path);
    file.on('error', (err) => req.destroy(err));
    file.on('end', () => req.end(tail));
    file.pipe(req, { end: false });
  });
}
