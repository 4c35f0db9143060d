import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot, tail } from './child.js';
import { pollPeakRss, rssOf } from './rss.js';
import type { Sample } from './samples.js';
import { shippedServerEnv } from './shipped-env.js';

/** The built `fileforge` CLI, run on bare `node` as `npm start` does (run.ts builds it first). */
export const serverCli = join(repoRoot, 'packages', 'server', 'dist', 'cli.js');

/** `node packages/server/dist/cli.js serve`'s arguments; throws when the server is not built. */
export function builtServerArgs(): string[] {
  if (!existsSync(serverCli))
    throw new Error('packages/server/dist/cli.js does not exist (npm run build); not run');
  return [serverCli, 'serve'];
}

/** The admin the reference server creates at start-up (ADMIN_EMAIL/ADMIN_PASSWORD); baselines ignore it. */
export const BENCH_ADMIN = {
  email: 'bench@example.test',
  password: 'fileforge-bench-password',
};

/** The reference server's environment for the bench admin, cheap password hashing and a fixed JWT key. */
export const BENCH_ADMIN_ENV = {
  ADMIN_EMAIL: BENCH_ADMIN.email,
  ADMIN_PASSWORD: BENCH_ADMIN.password,
  BCRYPT_ROUNDS: '4',
  JWT_SECRET_KEY: 'fileforge-bench-jwt-secret-'.padEnd(48, 'x'),
};

/** A server child process the bench started and must stop. */
export interface RunningServer {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  if (!address || typeof address === 'string') throw new Error('[bench:server] Could not get a free port');
  return address.port;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timeout = sleep(10_000).then(() => 'timeout' as const);
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * Spawns `node <args>` with `env` added (PORT, HOST…; an `undefined` value removes the
 * variable) and waits until `GET /health` answers 200. The node process itself is the child,
 * so its pid is the server's.
 */
export async function startServer(
  args: readonly string[],
  env: Record<string, string | undefined>,
  port: number,
  timeoutMs = 60_000,
): Promise<RunningServer> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete childEnv[name];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = tail();
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
  const url = `http://127.0.0.1:${port}`;
  const server: RunningServer = { pid: child.pid ?? -1, url, stop: () => stopChild(child) };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `[bench:server] Server exited with ${child.signalCode ?? child.exitCode}: ${output.text()}`,
      );
    }
    const status = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) }).then(
      (res) => res.status,
      () => 0,
    );
    if (status === 200) return server;
    await sleep(100);
  }
  await server.stop();
  throw new Error(`[bench:server] GET /health did not answer 200 within ${timeoutMs} ms: ${output.text()}`);
}

/** What a measured piece of work against a server moved, and how long it took. */
export interface ServerWork {
  bytes: number;
  files?: number;
  ms: number;
}

/**
 * One measured server run: starts `node <args>` with `env`, `DATA_DIR=dataDir` and the
 * environment FileForge's server is shipped with ({@link shippedServerEnv}: what `npm start`
 * and the Dockerfile set; the baseline servers get it too, on equal terms), runs `work`
 * against it (which calls `markStart()` just before its timed part, to record the server's RSS
 * then), then reads the server's peak RSS. The server is stopped and `dataDir` removed whatever
 * happens.
 */
export async function measureServerRun(
  args: readonly string[],
  dataDir: string,
  env: Record<string, string | undefined>,
  work: (server: RunningServer, markStart: () => void) => Promise<ServerWork>,
): Promise<Sample> {
  await mkdir(dataDir, { recursive: true });
  const server = await startServer(
    args,
    { ...shippedServerEnv(), ...env, DATA_DIR: dataDir },
    await freePort(),
  );
  try {
    let startRssBytes: number | undefined;
    const done = await work(server, () => {
      startRssBytes = rssOf(server.pid);
    });
    const peakRssBytes = await pollPeakRss(server.pid);
    return { ...done, peakRssBytes, ...(startRssBytes === undefined ? {} : { startRssBytes }) };
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
