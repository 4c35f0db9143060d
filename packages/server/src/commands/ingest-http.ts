import { uploadFileWithRetry } from '../http/upload-client.js';
import { forEachConcurrently } from './concurrent.js';
import type { IngestReporter } from './ingest-report.js';

/** Where and as whom `fileforge ingest` uploads. */
export interface IngestTarget {
  url: string;
  apiKey: string | undefined;
  concurrency: number;
}

/**
 * Uploads each file to the server at `target.url`, `target.concurrency` at a time, each
 * through `POST /api/v1/files`; a 429 or 503 with `Retry-After` (rate limit, processing queue
 * full, shutting down) is waited out and the file sent again, with the same Idempotency-Key.
 * Every outcome goes to `reporter`; a file that cannot be sent at all (no server, connection
 * lost) is a failure like a refusal, and the others carry on.
 */
export async function ingestOverHttp(
  files: readonly string[],
  target: IngestTarget,
  reporter: IngestReporter,
): Promise<void> {
  const headers: Record<string, string> = target.apiKey ? { Authorization: `Bearer ${target.apiKey}` } : {};
  await forEachConcurrently(files, target.concurrency, async (path) => {
    try {
      const result = await uploadFileWithRetry(target.url, path, headers, {
        onRetry: (refused, wait) =>
          reporter.retrying(path, refused.error?.code ?? String(refused.status), wait),
      });
      if (result.ok) reporter.stored(path, result.files);
      else
        reporter.failed({
          path,
          status: result.status,
          code: result.error?.code ?? `HTTP_${result.status}`,
          message: result.error?.message ?? 'the server refused the file',
        });
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      reporter.failed({ path, code: err.code ?? 'NETWORK_ERROR', message: err.message });
    }
  });
}
