/**
 * Runs the real `fileforge` CLI in a child process, from source (tsx + the
 * `@fileforge/source` condition), for tests that need a process to die or a command to exit.
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ADMIN, eventually, TOKEN_SECRET, UNLIMITED_RATE } from './server.js';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A spawned CLI process with its output so far. */
export interface CliProcess {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited: Promise<number | NodeJS.Signals>;
}

/**
 * The environment of a `fileforge serve` child in tests: loopback on `port`, data in `dataDir`,
 * the test admin created at start-up, fixed secrets, cheap hashing and no throttling; `extra`
 * adds or overrides variables.
 */
export function serveEnv(
  port: number,
  dataDir: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    JWT_SECRET_KEY: TOKEN_SECRET,
    SECRET_KEY: TOKEN_SECRET,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    BCRYPT_ROUNDS: '4',
    RATELIMIT_DEFAULT: UNLIMITED_RATE,
    ...extra,
  };
}

/** Spawns `fileforge <args>` with `env` added to this process's environment. */
export function spawnCli(args: string[], env: Record<string, string>): CliProcess {
  return spawnNode(['--conditions=@fileforge/source', '--import', 'tsx', CLI, ...args], env);
}

/**
 * Spawns `node <argv>` from the repository root with `env` added to this process's environment,
 * collecting its output (what {@link spawnCli} and `spawnBundledCli` run); `input`, when
 * given, is piped to its standard input.
 */
export function spawnNode(argv: string[], env: Record<string, string>, input?: string): CliProcess {
  const child = spawn(process.execPath, argv, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (input !== undefined) {
    // A child that exits before reading all of it closes the pipe: EPIPE is not a test failure.
    child.stdin?.on('error', () => {});
    child.stdin?.end(input);
  }
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString('utf8');
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
  });
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? code ?? -1));
  });
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** A TCP port that was free a moment ago (nothing listens on it when this resolves). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Waits until a `fileforge worker` child says it runs jobs; fails at once if it exits first. */
export async function waitForWorker(worker: CliProcess): Promise<void> {
  await eventually(
    () => {
      const { stdout, stderr } = worker.output();
      if (worker.child.exitCode !== null)
        throw new Error(`fileforge worker exited early:\n${stderr}${stdout}`);
      return stdout.includes('FileForge worker running jobs') ? true : undefined;
    },
    'the worker starts',
    { timeoutMs: 60_000, intervalMs: 100 },
  );
}

/** Waits until `GET /health` answers 200, failing early (with its stderr) if the process exits. */
export async function waitForHealthy(url: string, cli: CliProcess, timeoutMs = 60_000): Promise<void> {
  let exitedWith: number | NodeJS.Signals | undefined;
  void cli.exited.then((code) => {
    exitedWith = code;
  });
  await eventually(
    async () => {
      if (exitedWith !== undefined) {
        throw new Error(`fileforge serve exited (${exitedWith}) before answering:\n${cli.output().stderr}`);
      }
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
      return res?.ok ? true : undefined;
    },
    `fileforge serve at ${url} never became healthy`,
    { timeoutMs, intervalMs: 100 },
  );
}

/** Logs in as the admin the server created from ADMIN_EMAIL (once it has) and returns the auth header. */
export async function loginAsAdmin(url: string): Promise<{ Authorization: string }> {
  const token = await eventually(async () => {
    const res = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    return res.status === 200 ? ((await res.json()) as { accessToken: string }).accessToken : undefined;
  }, 'the admin from ADMIN_EMAIL could not log in');
  return { Authorization: `Bearer ${token}` };
}

/**
 * Runs `fileforge <args>` (logging at `warn`) to its end: its exit code and output. The child
 * joins `children`, which the test file kills (`killHard`) after each test.
 */
export async function runCli(args: string[], env: Record<string, string>, children: CliProcess[]) {
  const child = spawnCli(args, { LOG_LEVEL: 'warn', ...env });
  children.push(child);
  const code = await child.exited;
  return { code, ...child.output() };
}

/** Kills a child with SIGKILL (if still running) and waits for it to be gone. */
export async function killHard(cli: CliProcess): Promise<void> {
  if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  await cli.exited;
}
