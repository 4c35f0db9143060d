/**
 * Runs an example the way `npm start -w examples/<name>` does (`tsx main.ts` in the example's
 * folder), but against the packages' sources (`--conditions=@fileforge/source`), so the suite
 * never depends on a stale `dist/`. Every process started here is stopped by
 * {@link stopExamples} (call it from `afterEach`).
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What a finished example printed, and how it exited. */
export interface ExampleRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running (serving) example. */
export interface RunningExample {
  /**
   * Resolves with the first match of `pattern` in what the example printed on `stream`
   * (stdout unless told); rejects if the process exits first.
   */
  waitFor(
    pattern: RegExp,
    options?: { stream?: 'stdout' | 'stderr'; timeoutMs?: number },
  ): Promise<RegExpMatchArray>;
  /** Resolves once the process has exited by itself. */
  exited(): Promise<ExampleRun>;
  /** Everything printed so far. */
  output(): { stdout: string; stderr: string };
  /** Sends SIGTERM (as a user's Ctrl-C or a supervisor would) and resolves once it exited. */
  stop(): Promise<ExampleRun>;
}

const running = new Set<ChildProcess>();

function spawnExample(name: string, env: Record<string, string>): ChildProcess {
  const cwd = fileURLToPath(new URL(`../${name}/`, import.meta.url));
  const child = spawn(process.execPath, ['--conditions=@fileforge/source', '--import', 'tsx', 'main.ts'], {
    cwd,
    env: { ...process.env, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function collect(child: ChildProcess) {
  const out = { stdout: '', stderr: '' };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out.stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    out.stderr += chunk;
  });
  const exited = new Promise<ExampleRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, ...out }));
  });
  return { out, exited };
}

/** Runs an example to its end and returns what it printed (the run fails after `timeoutMs`). */
export async function runExample(
  name: string,
  env: Record<string, string> = {},
  timeoutMs = 90_000,
): Promise<ExampleRun> {
  const child = spawnExample(name, env);
  const { out, exited } = collect(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const run = await exited;
    if (run.signal === 'SIGKILL') {
      throw new Error(`examples/${name} did not finish within ${timeoutMs} ms\n${out.stdout}\n${out.stderr}`);
    }
    return run;
  } finally {
    clearTimeout(timer);
  }
}

/** Starts a serving example; stop it with `stop()` or {@link stopExamples}. */
export function startExample(name: string, env: Record<string, string> = {}): RunningExample {
  const child = spawnExample(name, env);
  const { out, exited } = collect(child);
  let ended = false;
  void exited.then(
    () => {
      ended = true;
    },
    () => {
      ended = true;
    },
  );
  return {
    output: () => ({ ...out }),
    exited: () => exited,
    waitFor(pattern, { stream = 'stdout', timeoutMs = 90_000 } = {}) {
      const source = stream === 'stdout' ? child.stdout : child.stderr;
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = out[stream].match(pattern);
          if (match) {
            finish();
            resolve(match);
          } else if (ended) {
            finish();
            reject(
              new Error(`examples/${name} exited before printing ${pattern}\n${out.stdout}\n${out.stderr}`),
            );
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`examples/${name} never printed ${pattern}\n${out.stdout}\n${out.stderr}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          source?.off('data', check);
          child.off('close', check);
        };
        source?.on('data', check);
        child.once('close', check);
        check();
      });
    },
    async stop() {
      if (!ended) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Kills every example process still running (for `afterEach`). */
export async function stopExamples(): Promise<void> {
  const children = [...running];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('close', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}
