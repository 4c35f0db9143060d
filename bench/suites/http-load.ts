import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { join } from 'node:path';
import { childScript } from '../lib/child.js';
import { MiB } from '../lib/disk.js';
import { alternate, type Sample } from '../lib/samples.js';
import { BENCH_ADMIN, BENCH_ADMIN_ENV, builtServerArgs, measureServerRun } from '../lib/server.js';
import type { Suite } from '../lib/suite.js';

/** Eight loopback client addresses, as in packages/server/test/load-uploads.test.ts. */
const CLIENTS = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);
const UPLOADS = 200;
/** Mixed sizes, 4 KiB to 2.5 MiB: about 115 MiB in all. */
const SIZES = [4 * 1024, 12 * 1024, 48 * 1024, 200 * 1024, 700 * 1024, 2.5 * MiB];

interface LoadFile {
  name: string;
  bytes: Buffer;
  sha256: string;
  client: number;
}

/** One request on its own connection from `localAddress`. */
function send(
  url: string,
  options: {
    method?: string;
    path: string;
    headers: Record<string, string | number>;
    body?: Buffer;
    localAddress?: string;
  },
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port: Number(port),
        path: options.path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * One bearer credential per client address: an API key each on the reference server (its
 * per-key rate limit stays at its default, 100 a minute, 25 uploads a key), none on the
 * baseline, which has no accounts.
 */
async function credentials(url: string): Promise<Array<Record<string, string>>> {
  const login = await send(url, {
    method: 'POST',
    path: '/api/v1/auth/login',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(BENCH_ADMIN)),
  }).catch(() => undefined);
  if (login?.status !== 200) return CLIENTS.map(() => ({}));
  const { accessToken } = JSON.parse(login.body) as { accessToken: string };
  const keys: Array<Record<string, string>> = [];
  for (const [i] of CLIENTS.entries()) {
    const res = await send(url, {
      method: 'POST',
      path: '/api/v1/api-keys',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ name: `bench-client-${i}`, role: 'editor' })),
    });
    if (res.status !== 201) throw new Error(`POST /api/v1/api-keys answered ${res.status}: ${res.body}`);
    keys.push({ authorization: `Bearer ${(JSON.parse(res.body) as { key: string }).key}` });
  }
  return keys;
}

/** The multipart body of one file (field `file`). */
function multipart(file: LoadFile): { contentType: string; body: Buffer } {
  const boundary = `----fileforge-bench-${randomUUID()}`;
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n';
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([Buffer.from(head), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  };
}

/** Checks that every upload was answered 201 with its own SHA-256 and size. */
function verify(answers: Array<{ status: number; body: string }>, files: LoadFile[]): void {
  answers.forEach((answer, i) => {
    const file = files[i]!;
    if (answer.status !== 201)
      throw new Error(
        `${file.name}: POST /api/v1/files answered ${answer.status}: ${answer.body.slice(0, 300)}`,
      );
    const stored = (JSON.parse(answer.body) as { files?: Array<{ sha256?: unknown; size?: unknown }> })
      .files?.[0];
    if (stored?.sha256 !== file.sha256 || stored.size !== file.bytes.length)
      throw new Error(
        `${file.name}: stored ${String(stored?.sha256)} / ${String(stored?.size)} B, sent ${file.sha256}`,
      );
  });
}

/** Starts a server, sends every upload at once from the client addresses, stops it. */
function measureServer(args: readonly string[], dataDir: string, files: LoadFile[]): Promise<Sample> {
  const env = {
    LOG_LEVEL: 'warn',
    ...BENCH_ADMIN_ENV,
    // The per-client caps under load are the defaults.
    RATELIMIT_DEFAULT: undefined,
    MAX_CONNECTIONS_PER_CLIENT: undefined,
  };
  return measureServerRun(args, dataDir, env, async (server, markStart) => {
    const keys = await credentials(server.url);
    const bodies = files.map(multipart);
    markStart();
    const start = performance.now();
    const answers = await Promise.all(
      files.map((file, i) =>
        send(server.url, {
          method: 'POST',
          path: '/api/v1/files',
          localAddress: CLIENTS[file.client]!,
          headers: {
            ...keys[file.client],
            'content-type': bodies[i]!.contentType,
            'content-length': bodies[i]!.body.length,
          },
          body: bodies[i]!.body,
        }),
      ),
    );
    const ms = performance.now() - start;
    verify(answers, files);
    return { bytes: files.reduce((n, f) => n + f.bytes.length, 0), files: files.length, ms };
  });
}

/**
 * 200 uploads at once, of mixed sizes, from eight loopback addresses, timed from the first
 * request to the last 201: the built reference server (an API key per client, default caps)
 * against the same bare node:http + @fastify/busboy + SHA-256 + fsync server as `http`.
 */
export const httpLoadSuite: Suite = {
  name: 'http-load',
  summary:
    '200 concurrent multipart uploads (4 KiB–2.5 MiB) from 8 loopback addresses to `fileforge serve` vs node:http + @fastify/busboy → sha256 → disk + fsync',
  unit: 'uploads/s',
  targets: { maxRssMiB: 300 },
  async run(ctx) {
    const { dir, runs, log } = ctx;
    const files = Array.from({ length: UPLOADS }, (_, i): LoadFile => {
      const bytes = randomBytes(SIZES[i % SIZES.length]!);
      return {
        name: `load-${i}.bin`,
        bytes,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        client: i % CLIENTS.length,
      };
    });
    const total = files.reduce((n, f) => n + f.bytes.length, 0);
    const measured = await alternate(
      runs,
      {
        async fileforge(round) {
          return measureServer(builtServerArgs(), join(dir, `server-${round}`), files);
        },
        baseline(round) {
          return measureServer(
            [childScript('http-baseline-server.mjs')],
            join(dir, `baseline-${round}`),
            files,
          );
        },
      },
      log,
      'uploads/s',
    );
    return {
      input: {
        label: `${UPLOADS} × mixed, ${(total / MiB).toFixed(0)} MiB`,
        uploads: UPLOADS,
        clients: CLIENTS.length,
        sizes: SIZES,
        bytes: total,
      },
      runs: measured,
    };
  },
};
