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
  /** `retryAfterSeconds`: the server's `Retry-After`, when it sent one. */
  | { ok: false; status: number; error: ErrorBody['error']; retryAfterSeconds?: number };

/** `Retry-After` as seconds (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

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
        const retryAfter = parseRetryAfter(res.headers['retry-after']);
        resolve(
          res.statusCode === 201
            ? { ok: true, files: body.files }
            : {
                ok: false,
                status: res.statusCode ?? 0,
                error: body.error,
                ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
              },
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

/** Options for {@link uploadFileWithRetry}. */
export interface UploadRetryOptions {
  /** Attempts in all, the first included. @default 6 */
  maxAttempts?: number;
  /** Longest wait honoured for one `Retry-After`; a longer one is cut to this. @default 60 */
  maxWaitSeconds?: number;
  /** Told before each wait. */
  onRetry?: (result: Extract<UploadResult, { ok: false }>, waitSeconds: number) => void;
  /** Injectable wait. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

/** Refusals that ask to come back later: the server stored nothing. */
const RETRYABLE = new Set([429, 503]);

/**
 * {@link uploadFile}, sent again while the server answers 429 or 503 with `Retry-After`
 * (rate limit, a full processing queue, shutting down), after the time it asks for. Every
 * attempt carries the same `Idempotency-Key`, so an attempt whose answer was lost is
 * answered by its replay instead of storing the file twice.
 */
export async function uploadFileWithRetry(
  baseUrl: string,
  path: string,
  headers: Record<string, string> = {},
  options: UploadRetryOptions = {},
): Promise<UploadResult> {
  const maxAttempts = options.maxAttempts ?? 6;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const keyed = { 'Idempotency-Key': `ingest-${randomBytes(16).toString('hex')}`, ...headers };
  for (let attempt = 1; ; attempt++) {
    const result = await uploadFile(baseUrl, path, keyed);
    if (result.ok || attempt >= maxAttempts) return result;
    if (!RETRYABLE.has(result.status) || result.retryAfterSeconds === undefined) return result;
    const wait = Math.min(Math.max(result.retryAfterSeconds, 0), options.maxWaitSeconds ?? 60);
    options.onRetry?.(result, wait);
    await sleep(wait * 1000);
  }
}
