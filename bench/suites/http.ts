import { join } from 'node:path';
import { childScript } from '../lib/child.js';
import { type InputFile, randomInput } from '../lib/data.js';
import { alternate, type Sample } from '../lib/samples.js';
import { BENCH_ADMIN, BENCH_ADMIN_ENV, builtServerArgs, measureServerRun } from '../lib/server.js';
import type { Suite } from '../lib/suite.js';
import { uploadMultipart } from '../lib/upload.js';

/** Checks a 201 `{ files: [{ id, sha256, size }] }` answer against the input. */
function verify(status: number, body: string, input: InputFile): void {
  if (status !== 201) throw new Error(`POST /api/v1/files answered ${status}: ${body.slice(0, 500)}`);
  const file = (JSON.parse(body) as { files?: { id?: unknown; sha256?: unknown; size?: unknown }[] })
    .files?.[0];
  if (!file || typeof file.id !== 'string') throw new Error(`201 without files[0].id: ${body.slice(0, 500)}`);
  if (file.sha256 !== input.sha256)
    throw new Error(`sha256 ${String(file.sha256)} does not match ${input.sha256}`);
  if (file.size !== input.bytes) throw new Error(`size ${String(file.size)} does not match ${input.bytes}`);
}

/** Logs in as the bench admin when the server has accounts (the FileForge server); `{}` otherwise. */
async function authorization(url: string): Promise<Record<string, string>> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(BENCH_ADMIN),
  }).catch(() => undefined);
  if (!res?.ok) return {};
  const { accessToken } = (await res.json()) as { accessToken: string };
  return { Authorization: `Bearer ${accessToken}` };
}

/** Starts a server with the reference server's env contract, uploads once, stops it. */
function measureServer(args: readonly string[], dataDir: string, input: InputFile): Promise<Sample> {
  const env = {
    MAX_FILE_SIZE: String(Math.max(2 * 1024 ** 3, input.bytes)),
    LOG_LEVEL: 'warn',
    ...BENCH_ADMIN_ENV,
  };
  return measureServerRun(args, dataDir, env, async (server, markStart) => {
    const headers = await authorization(server.url);
    markStart();
    const { status, body, ms } = await uploadMultipart(`${server.url}/api/v1/files`, input, headers);
    verify(status, body, input);
    return { bytes: input.bytes, ms };
  });
}

/**
 * A multipart upload over loopback, timed from request to 201: the built reference server
 * (`node packages/server/dist/cli.js serve`, no loader) against a bare node:http + @fastify/busboy + SHA-256 + fsync server.
 */
export const httpSuite: Suite = {
  name: 'http',
  summary:
    'multipart POST /api/v1/files to `fileforge serve` vs node:http + @fastify/busboy → sha256 → disk + fsync',
  targets: { minRatio: 0.8, maxRssMiB: 150 },
  async run(ctx) {
    const { dir, runs, log } = ctx;
    const { input, summary } = await randomInput(ctx);
    const measured = await alternate(
      runs,
      {
        async fileforge(round) {
          return measureServer(builtServerArgs(), join(dir, `server-${round}`), input);
        },
        baseline(round) {
          return measureServer(
            [childScript('http-baseline-server.mjs')],
            join(dir, `baseline-${round}`),
            input,
          );
        },
      },
      log,
    );
    return { input: summary, runs: measured };
  },
};
