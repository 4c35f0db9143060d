/**
 * Load (issue 12): 200 uploads at once, of mixed sizes (4 KiB to 2.5 MiB), from eight
 * loopback client addresses (127.0.0.2–9), each client with its own API key, against a real
 * `fileforge serve` child with its per-client caps at their defaults (64 connections per
 * address, 100 requests per minute per key). Every upload must succeed and come back with
 * its SHA-256, and the server's peak RSS must stay under a generous bound; the measured
 * figure is printed. No timing is asserted: uploads a second and the tight RSS figure, against
 * a baseline server, are `npm run bench -- http-load` (docs/benchmarks.md).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliProcess, freePort, killHard, serveEnv, spawnCli, waitForHealthy } from './support/child.js';
import { multipartBody } from './support/hostile-requests.js';
import { ADMIN, makeTempDir, stopTestServers } from './support/server.js';

const CLIENTS = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);
const UPLOADS = 200;
const SIZES = [4 * 1024, 12 * 1024, 48 * 1024, 200 * 1024, 700 * 1024, 2.5 * 1024 * 1024];
/** Generous: a server that buffered whole bodies would pass 115 MiB in flight and exceed it. */
const RSS_BOUND = 768 * 1024 * 1024;

const children: CliProcess[] = [];
afterAll(async () => {
  await Promise.all(children.splice(0).map(killHard));
  await stopTestServers();
});

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(
    readFileSync(`/proc/${pid}/status`, 'utf8'),
  );
  return Number(match?.[1] ?? 0) * 1024;
}

/** One request on its own connection from `localAddress`; resolves with status and body. */
function send(
  url: string,
  options: {
    method?: string;
    path: string;
    headers: Record<string, string | number>;
    body?: Buffer;
    localAddress?: string;
  },
): Promise<{ status: number; body: Buffer }> {
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
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('load: 200 concurrent uploads from eight client addresses (issue 12)', () => {
  it('stores every upload intact, within the default per-client caps, under a bounded RSS', {
    timeout: 120_000,
  }, async () => {
    const dataDir = await makeTempDir();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // The defaults for the caps under test: RATELIMIT_DEFAULT and MAX_CONNECTIONS_PER_CLIENT unset.
    const env = serveEnv(port, dataDir);
    delete env.RATELIMIT_DEFAULT;
    const cli = spawnCli(['serve'], env);
    children.push(cli);
    await waitForHealthy(url, cli);
    const pid = cli.child.pid!;

    const login = await send(url, {
      method: 'POST',
      path: '/api/v1/auth/login',
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.from(JSON.stringify(ADMIN)),
    });
    expect(login.status, login.body.toString()).toBe(200);
    const { accessToken } = JSON.parse(login.body.toString()) as { accessToken: string };
    const keys: string[] = [];
    for (const [i] of CLIENTS.entries()) {
      const res = await send(url, {
        method: 'POST',
        path: '/api/v1/api-keys',
        headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
        body: Buffer.from(JSON.stringify({ name: `client-${i}`, role: 'editor' })),
      });
      expect(res.status, res.body.toString()).toBe(201);
      keys.push((JSON.parse(res.body.toString()) as { key: string }).key);
    }

    const files = Array.from({ length: UPLOADS }, (_, i) => {
      const bytes = randomBytes(SIZES[i % SIZES.length]!);
      const client = i % CLIENTS.length;
      return { name: `load-${i}.bin`, bytes, sha: sha256(bytes), client };
    });
    const totalBytes = files.reduce((n, f) => n + f.bytes.length, 0);
    const idleRss = statusBytes(pid, 'VmRSS');
    let sampledPeak = idleRss;
    const sampler = setInterval(() => {
      sampledPeak = Math.max(sampledPeak, statusBytes(pid, 'VmRSS'));
    }, 50);

    const start = performance.now();
    const answers = await Promise.all(
      files.map(async (f) => {
        const { contentType, body } = multipartBody([
          {
            headers: [
              `Content-Disposition: form-data; name="file"; filename="${f.name}"`,
              'Content-Type: application/octet-stream',
            ],
            body: f.bytes,
          },
        ]);
        return send(url, {
          method: 'POST',
          path: '/api/v1/files',
          localAddress: CLIENTS[f.client]!,
          headers: {
            Authorization: `Bearer ${keys[f.client]}`,
            'Content-Type': contentType,
            'Content-Length': body.length,
          },
          body,
        });
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    clearInterval(sampler);
    const peak = Math.max(sampledPeak, statusBytes(pid, 'VmHWM'));

    const statuses = answers.map(
      (a, i) => `${a.status}${a.status === 201 ? '' : ` ${files[i]!.name}: ${a.body}`}`,
    );
    expect(statuses.filter((s) => s !== '201')).toEqual([]);
    const stored = answers.map(
      (a) => (JSON.parse(a.body.toString()) as { files: Array<{ id: string; sha256: string }> }).files[0]!,
    );
    expect(stored.map((s) => s.sha256)).toEqual(files.map((f) => f.sha));

    // Read back what was stored, from the same clients (well within each key's 100 a minute).
    await Promise.all(
      stored.map(async (s, i) => {
        const f = files[i]!;
        const res = await send(url, {
          path: `/api/v1/files/${s.id}/download`,
          localAddress: CLIENTS[f.client]!,
          headers: { Authorization: `Bearer ${keys[f.client]}` },
        });
        expect(res.status).toBe(200);
        expect(sha256(res.body), f.name).toBe(f.sha);
      }),
    );

    console.info(
      `[load] ${UPLOADS} uploads, ${mib(totalBytes)} from ${CLIENTS.length} addresses in ${seconds.toFixed(1)} s; ` +
        `server RSS idle ${mib(idleRss)}, peak ${mib(peak)} (bound ${mib(RSS_BOUND)})`,
    );
    expect(peak).toBeLessThan(RSS_BOUND);
    expect((await send(url, { path: '/health', headers: {} })).status).toBe(200);
  });
});
