import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Upload } from 'tus-js-client';
import { childScript } from '../lib/child.js';
import type { InputFile } from '../lib/data.js';
import { randomInput } from '../lib/data.js';
import { alternate, type Sample } from '../lib/samples.js';
import { BENCH_ADMIN, BENCH_ADMIN_ENV, builtServerArgs, measureServerRun } from '../lib/server.js';
import type { Suite } from '../lib/suite.js';

const CHUNK_BYTES = 8 * 1024 * 1024;

const BENCH_ENV = {
  ...BENCH_ADMIN_ENV,
  // 1 GiB in 8 MiB chunks is 130 requests: no rate limit may interfere.
  RATELIMIT_DEFAULT: '1000000 per minute',
};

async function login(url: string): Promise<Record<string, string>> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(BENCH_ADMIN),
  });
  if (!res.ok) throw new Error(`login answered ${res.status}`);
  const { accessToken } = (await res.json()) as { accessToken: string };
  return { Authorization: `Bearer ${accessToken}` };
}

/** Uploads the input with tus-js-client in 8 MiB chunks; resolves with the elapsed ms and `FileForge-File-Id`. */
function tusUpload(
  endpoint: string,
  input: InputFile,
  headers: Record<string, string>,
): Promise<{ ms: number; fileId: string | null }> {
  return new Promise((resolve, reject) => {
    let fileId: string | null = null;
    const started = performance.now();
    const upload = new Upload(createReadStream(input.path), {
      endpoint,
      headers,
      chunkSize: CHUNK_BYTES,
      uploadSize: input.bytes,
      metadata: { filename: 'input.bin', filetype: 'application/octet-stream' },
      retryDelays: null,
      storeFingerprintForResuming: false,
      onAfterResponse(_req, res) {
        fileId = res.getHeader('FileForge-File-Id') ?? fileId;
      },
      onSuccess: () => resolve({ ms: performance.now() - started, fileId }),
      onError: reject,
    });
    upload.start();
  });
}

function measure(
  args: readonly string[],
  dataDir: string,
  input: InputFile,
  path: string,
  verify?: (url: string, headers: Record<string, string>, fileId: string | null) => Promise<void>,
): Promise<Sample> {
  // The previous subject's gigabyte may still be in the page cache waiting for writeback (the
  // baseline never fsyncs): flush it now, so that neither side pays for the other's writes.
  execFileSync('sync');
  const env = {
    MAX_FILE_SIZE: String(Math.max(2 * 1024 ** 3, input.bytes)),
    LOG_LEVEL: 'warn',
    ...BENCH_ENV,
  };
  return measureServerRun(args, dataDir, env, async (server, markStart) => {
    const headers = verify ? await login(server.url) : {};
    markStart();
    const { ms, fileId } = await tusUpload(`${server.url}${path}`, input, headers);
    await verify?.(server.url, headers, fileId);
    return { bytes: input.bytes, ms };
  });
}

/**
 * A resumable upload over loopback with tus-js-client in 8 MiB chunks, timed from the first
 * request to the client's success: `fileforge serve` (staging, SHA-256 as the chunks arrive,
 * type detection, the file record, processing queued) against a bare @tus/server with its file
 * store (which hashes and records nothing). Both run in the environment FileForge is shipped
 * with (`npm start`, the Dockerfile: `shippedServerEnv`). `--size` (MiB, default 1024).
 */
export const resumableSuite: Suite = {
  name: 'resumable',
  summary:
    'tus-js-client, 8 MiB chunks → `fileforge serve` /api/v1/uploads (hash, detect, record) vs bare @tus/server + file store',
  targets: { minRatio: 0.8, maxRssMiB: 150 },
  async run(ctx) {
    const { dir, runs, log } = ctx;
    const { input, summary } = await randomInput(ctx);
    const measured = await alternate(
      runs,
      {
        async fileforge(round) {
          return measure(
            builtServerArgs(),
            join(dir, `server-${round}`),
            input,
            '/api/v1/uploads',
            async (url, headers, fileId) => {
              if (!fileId) throw new Error('the last PATCH carried no FileForge-File-Id');
              const res = await fetch(`${url}/api/v1/files/${fileId}`, { headers });
              const file = (await res.json()) as { sha256?: string; size?: number };
              if (file.sha256 !== input.sha256 || file.size !== input.bytes)
                throw new Error(
                  `file ${fileId}: sha256 ${file.sha256} / size ${file.size} do not match the input`,
                );
            },
          );
        },
        baseline(round) {
          return measure(
            [childScript('tus-baseline-server.mjs')],
            join(dir, `baseline-${round}`),
            input,
            '/files',
          );
        },
      },
      log,
    );
    return { input: summary, runs: measured };
  },
};
