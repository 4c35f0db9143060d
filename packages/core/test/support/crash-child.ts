import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** How a child program ended: its exit code or the signal that killed it, and what it printed. */
export interface ChildEnd {
  ended: number | NodeJS.Signals;
  stdout: string;
  stderr: string;
}

/**
 * Runs a TypeScript child program (from the sources, through tsx) to its end or its death,
 * with `FILEFORGE_CRASH_AT` set to `crashAt` (`''` for none), and reports how it ended. The
 * crash tests use it to SIGKILL a real process at a named point and start it again.
 */
export function runCrashChild(program: string, args: readonly string[], crashAt: string): Promise<ChildEnd> {
  return runNodeChild(['--conditions=@fileforge/source', '--import', 'tsx', program, ...args], crashAt);
}

/** Runs `node <argv>` from the repository root with `FILEFORGE_CRASH_AT=crashAt` to its end or death. */
export function runNodeChild(argv: readonly string[], crashAt: string): Promise<ChildEnd> {
  const child = spawn(process.execPath, argv, {
    cwd: REPO_ROOT,
    env: { ...process.env, FILEFORGE_CRASH_AT: crashAt },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString('utf8');
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
  });
  return new Promise<ChildEnd>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ ended: signal ?? code ?? -1, stdout, stderr }));
  });
}
