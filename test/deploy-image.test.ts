/**
 * The container image, checked without building it (no container runtime here): the
 * Dockerfile's properties, the build context, and the two scripts the image runs — its entry
 * point (secrets from *_FILE) and its health check — run here with Node as the image would.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from './support/built-packages.js';
import { instructionsOf, readDockerfile } from './support/dockerfile.js';

describe('Dockerfile', () => {
  const { stages } = readDockerfile();
  const runtime = stages.at(-1)!;
  const build = stages.find((s) => s.name === 'build');

  it('is multi-stage on Node 20 slim (Debian bookworm): a build stage, then the runtime', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.from).toBe('node:20-bookworm-slim');
    expect(build).toBeDefined();
    expect(runtime).not.toBe(build);
  });

  it('installs and builds in the build stage, and ships production dependencies only', () => {
    const run = instructionsOf(build!, 'RUN').join(' && ');
    expect(run).toMatch(/\bnpm ci\b/);
    // `npm ci` runs the root `prepare` script, which builds every package; or it is explicit.
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
    const builds =
      /\bnpm run build\b/.test(run) || (!/--ignore-scripts/.test(run) && scripts.prepare === 'npm run build');
    expect(builds).toBe(true);
    expect(run).toMatch(/\bnpm prune --omit=dev\b|\bnpm ci --omit=dev\b/);
    const copies = instructionsOf(runtime, 'COPY');
    expect(copies.some((c) => /--from=build\b.*\bnode_modules\b/.test(c))).toBe(true);
    expect(instructionsOf(runtime, 'RUN').join(' ')).not.toMatch(/\bnpm (ci|install)\b(?!.*--omit=dev)/);
  });

  it('installs ffmpeg and poppler-utils from Debian in the runtime image', () => {
    const apt = instructionsOf(runtime, 'RUN').find((r) => r.includes('apt-get install'));
    expect(apt).toBeDefined();
    const packages = apt!.split(' ');
    expect(packages).toEqual(expect.arrayContaining(['ffmpeg', 'poppler-utils']));
    expect(apt).toMatch(/rm -rf \/var\/lib\/apt\/lists/);
  });

  it('runs as a non-root user, with its data in a volume at DATA_DIR, port 8000 exposed', () => {
    const user = instructionsOf(runtime, 'USER').at(-1);
    expect(user).toBeDefined();
    expect(user!.split(':')[0]).not.toMatch(/^(root|0)$/);
    const env = instructionsOf(runtime, 'ENV').join(' ');
    expect(env).toMatch(/\bDATA_DIR=\/data\b/);
    expect(env).toMatch(/\bPORT=8000\b/);
    expect(instructionsOf(runtime, 'VOLUME').join(' ')).toContain('/data');
    expect(instructionsOf(runtime, 'EXPOSE')).toEqual(['8000']);
    // glibc reads these before Node starts: `npm start` sets them, so must the image.
    expect(env).toMatch(/\bMALLOC_ARENA_MAX=2\b/);
    expect(env).toMatch(/\bMALLOC_MMAP_THRESHOLD_=131072\b/);
  });

  it('checks its health with Node on /health, and starts `fileforge serve` by default', () => {
    const [check] = instructionsOf(runtime, 'HEALTHCHECK');
    expect(check).toMatch(/CMD \["node", "\/app\/deploy\/healthcheck.mjs"\]/);
    expect(readFileSync(join(ROOT, 'deploy', 'healthcheck.mjs'), 'utf8')).toContain('/health');
    expect(instructionsOf(runtime, 'ENTRYPOINT')).toEqual([
      '["/usr/bin/tini", "--", "node", "/app/deploy/docker-entrypoint.mjs"]',
    ]);
    expect(instructionsOf(runtime, 'CMD')).toEqual(['["serve"]']);
    expect(instructionsOf(runtime, 'RUN').join(' ')).toMatch(/\btini\b/);
  });

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['.git', '**/node_modules', '**/dist', 'data', '.env']));
    for (const copy of instructionsOf(runtime, 'COPY').filter((c) => !c.includes('--from='))) {
      const sources = copy
        .split(' ')
        .filter((part) => !part.startsWith('--'))
        .slice(0, -1);
      for (const source of sources) {
        expect(existsSync(join(ROOT, source)), source).toBe(true);
        expect(ignored.some((pattern) => source === pattern || source.startsWith(`${pattern}/`))).toBe(false);
      }
    }
  });
});

interface Exit {
  code: number | null;
  stderr: string;
}

/** Runs `node <script> <args>` with exactly `env` (plus PATH), as the container would. */
function runNode(script: string, args: string[], env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, script), ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const listen = (server: Server | ReturnType<typeof createHttpServer>) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
const close = (server: Server | ReturnType<typeof createHttpServer>) =>
  new Promise<void>((resolve) => server.close(() => resolve()));

describe('deploy/healthcheck.mjs', () => {
  let status = 200;
  const paths: string[] = [];
  const http = createHttpServer((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  });
  const tcp = createTcpServer((socket) => socket.destroy());
  let httpPort = 0;
  let tcpPort = 0;
  beforeAll(async () => {
    httpPort = await listen(http);
    tcpPort = await listen(tcp);
  });
  afterAll(async () => {
    await close(http);
    await close(tcp);
  });

  it('is healthy when GET /health on $PORT answers 200, unhealthy on 503', async () => {
    status = 200;
    expect((await runNode('deploy/healthcheck.mjs', [], { PORT: String(httpPort) })).code).toBe(0);
    expect(paths.at(-1)).toBe('/health');
    status = 503;
    const failed = await runNode('deploy/healthcheck.mjs', [], { PORT: String(httpPort) });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('answered 503');
  });

  it('is unhealthy when nothing listens on $PORT', async () => {
    const server = createTcpServer();
    const port = await listen(server);
    await close(server);
    const result = await runNode('deploy/healthcheck.mjs', [], { PORT: String(port) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('did not answer');
  });

  it('--redis (the worker) is healthy while REDIS_URL accepts connections, not otherwise', async () => {
    const ok = await runNode('deploy/healthcheck.mjs', ['--redis'], {
      REDIS_URL: `redis://127.0.0.1:${tcpPort}/0`,
    });
    expect(ok.code).toBe(0);
    const server = createTcpServer();
    const port = await listen(server);
    await close(server);
    const down = await runNode('deploy/healthcheck.mjs', ['--redis'], {
      REDIS_URL: `redis://127.0.0.1:${port}/0`,
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('no connection');
    expect((await runNode('deploy/healthcheck.mjs', ['--redis'], {})).stderr).toContain(
      'REDIS_URL is not set',
    );
  });
});

describe('deploy/docker-entrypoint.mjs', () => {
  let dir = '';
  beforeAll(async () => {
    await ensureBuilt(['server']);
    dir = await mkdtemp(join(tmpdir(), 'fileforge-entrypoint-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads <NAME>_FILE into <NAME> (one trailing newline removed) before FileForge reads its configuration', async () => {
    const file = join(dir, 'max_file_size');
    await writeFile(file, '10MB\n');
    const result = await runNode('deploy/docker-entrypoint.mjs', ['migrate'], {
      DATA_DIR: join(dir, 'data-a'),
      MAX_FILE_SIZE_FILE: file,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'MAX_FILE_SIZE: expected a positive integer number of bytes (got "10MB")',
    );
  });

  it('keeps a variable that is set over its file, and runs the command', async () => {
    const file = join(dir, 'max_file_size_bad');
    await writeFile(file, 'not a number');
    const result = await runNode('deploy/docker-entrypoint.mjs', ['migrate'], {
      DATA_DIR: join(dir, 'data-b'),
      MAX_FILE_SIZE: '2048',
      MAX_FILE_SIZE_FILE: file,
    });
    expect(result.stderr).not.toContain('MAX_FILE_SIZE');
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, 'data-b', 'fileforge.db'))).toBe(true);
  });

  it('stops with a message naming the variable when the secret file cannot be read', async () => {
    const result = await runNode('deploy/docker-entrypoint.mjs', ['migrate'], {
      DATA_DIR: join(dir, 'data-c'),
      SECRET_KEY_FILE: join(dir, 'missing'),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SECRET_KEY_FILE: cannot read');
    expect(result.stderr).toContain('ENOENT');
    expect(existsSync(join(dir, 'data-c'))).toBe(false);
  });
});
