import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Options for {@link spawnCapped}. */
export interface SpawnCappedOptions {
  /** Fed to the tool's stdin (its stdin is closed otherwise). */
  stdin?: Readable;
  /** Wall-clock budget; past it the whole process group is killed. */
  timeoutMs: number;
  /** Stdout beyond this many bytes kills the process and sets `overflowed`. */
  maxStdoutBytes: number;
  signal: AbortSignal;
}

/** How a {@link spawnCapped} run ended. */
export interface SpawnCappedResult {
  code: number | null;
  stdout: Buffer;
  /** The first 4 KiB of stderr, for messages. */
  stderr: string;
  timedOut: boolean;
  overflowed: boolean;
}

const STDERR_BYTES = 4096;

/**
 * Runs a tool with a fixed argv (never a shell) in its own process group, so a timeout, an
 * abort or too much output kills it and anything it started. Rejects only when the tool
 * cannot be started (`ENOENT` when it is not installed) or the signal fires.
 */
export function spawnCapped(
  command: string,
  args: readonly string[],
  options: SpawnCappedOptions,
): Promise<SpawnCappedResult> {
  const { signal } = options;
  signal.throwIfAborted();
  const child = spawn(command, args, {
    detached: true,
    shell: false,
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const kill = () => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const stdout: Buffer[] = [];
  let stdoutBytes = 0;
  let stderr = '';
  let timedOut = false;
  let overflowed = false;
  child.stdout?.on('data', (chunk: Buffer) => {
    stdoutBytes += chunk.length;
    if (stdoutBytes > options.maxStdoutBytes) {
      overflowed = true;
      kill();
      return;
    }
    stdout.push(chunk);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < STDERR_BYTES) stderr += chunk.toString('utf8', 0, STDERR_BYTES - stderr.length);
  });
  if (options.stdin && child.stdin) {
    // EPIPE when the tool exits before reading everything is expected, not an error.
    pipeline(options.stdin, child.stdin).catch(() => {});
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    const onAbort = () => kill();
    signal.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    child.once('error', (error) => {
      done();
      options.stdin?.destroy();
      reject(error);
    });
    child.once('close', (code) => {
      done();
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      resolve({ code, stdout: Buffer.concat(stdout), stderr: stderr.trim(), timedOut, overflowed });
    });
  });
}
