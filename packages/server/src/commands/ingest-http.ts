import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createClient, isFileForgeClientError } from '@fileforge/client';
import { forEachConcurrently } from './concurrent.js';
import type { IngestReporter } from './ingest-report.js';

/** Where and as whom `fileforge ingest` uploads, and how patiently. */
export interface IngestTarget {
  url: string;
  apiKey: string | undefined;
  concurrency: number;
  /** Attempts per file, the first included. @default 6 */
  maxAttempts?: number;
  /** Longest wait honoured for one `Retry-After`; a longer one is cut to this. @default 60 */
  maxWaitSeconds?: number;
}

/** Refusals that ask to come back later: the server stored nothing. */
const RETRYABLE = new Set([429, 503]);

/** `Retry-After` as seconds (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * Uploads each file with the typed client (`client.files.upload`, streamed from disk),
 * `target.concurrency` at a time. A 429 or 503 with `Retry-After` (rate limit, processing
 * queue full, shutting down) is waited out and the file sent again, every attempt with the
 * same Idempotency-Key, so an attempt whose answer was lost is answered by its replay instead
 * of storing the file twice. Every outcome goes to `reporter`; a file that cannot be sent at
 * all (no server, connection lost) is a failure like a refusal, and the others carry on.
 */
export async function ingestOverHttp(
  files: readonly string[],
  target: IngestTarget,
  reporter: IngestReporter,
): Promise<void> {
  const maxAttempts = target.maxAttempts ?? 6;
  const maxWait = target.maxWaitSeconds ?? 60;
  await forEachConcurrently(files, target.concurrency, async (path) => {
    // The client's own retries are off: these are paced by Retry-After, told to the user, and
    // sent again from a fresh read of the file. Its fetch notes each answer's Retry-After.
    let retryAfter: number | undefined;
    const client = createClient({
      baseUrl: target.url,
      ...(target.apiKey ? { apiKey: target.apiKey } : {}),
      retry: false,
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        retryAfter = parseRetryAfter(res.headers.get('retry-after'));
        return res;
      },
    });
    const idempotencyKey = `ingest-${randomBytes(16).toString('hex')}`;
    for (let attempt = 1; ; attempt++) {
      retryAfter = undefined;
      try {
        const { size } = await stat(path);
        const source = createReadStream(path);
        source.on('error', () => {}); // read errors reach the client through the stream it reads
        const record = await client.files
          .upload(source, { name: basename(path), size, idempotencyKey })
          .finally(() => source.destroy()); // a refused attempt closes its file too
        reporter.stored(path, [record]);
        return;
      } catch (error) {
        if (!isFileForgeClientError(error)) {
          const err = error as NodeJS.ErrnoException;
          reporter.failed({ path, code: err.code ?? 'READ_FAILED', message: err.message });
          return;
        }
        const wait = retryAfter;
        if (RETRYABLE.has(error.status) && wait !== undefined && attempt < maxAttempts) {
          const seconds = Math.min(wait, maxWait);
          reporter.retrying(path, error.code, seconds);
          await new Promise((r) => setTimeout(r, seconds * 1000));
          continue;
        }
        reporter.failed({
          path,
          code: error.code,
          message: error.message,
          ...(error.status > 0 ? { status: error.status } : {}),
        });
        return;
      }
    }
  });
}
