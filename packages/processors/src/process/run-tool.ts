/**
 * The one place that starts a system tool (ffmpeg, ffprobe, pdftoppm).
 *
 * How this works: the argv is an array built by the caller from constants, validated numbers
 * and generated absolute paths, and run without a shell. The environment is reduced to what
 * the tool needs (see `tool-env.ts`): none of the server's secrets reach it. Each tool runs in
 * its own process group (`detached`), so a wall-clock timeout, an aborted signal or runaway
 * output kills the whole group with SIGKILL, and whatever is still running when Node exits is
 * killed too. stdout is collected up to a cap; stderr is kept (capped) for the error's
 * `cause`, never for clients: it may name server paths. Every stream of the child has its
 * `'error'` handled from the moment it exists.
 */
import { spawn as nodeSpawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileForgeError } from '@fileforge/core';
import { killGroup, trackGroup, untrackGroup } from './process-group.js';
import { toolEnvironment } from './tool-env.js';
import { spawnError, type ToolName, toolError } from './tool-errors.js';

/** `child_process.spawn`, or a stand-in with the same signature (tests inspect the options). */
export type SpawnFunction = typeof nodeSpawn;

/** Options for {@link runTool}. */
export interface RunToolOptions {
  /** Executable to start. @default the tool's name, looked up on `PATH` */
  command?: string;
  /** Wall-clock limit; the process group is killed when it passes. */
  timeoutMs: number;
  /** Aborting kills the process group and rejects with `ABORTED`. */
  signal?: AbortSignal | undefined;
  /** Fed to the tool's stdin, which is closed otherwise. */
  stdin?: Readable | Uint8Array | undefined;
  /** stdout kept in memory; more kills the tool. `0` ignores stdout. @default 1048576 (1 MiB) */
  maxStdoutBytes?: number;
  /** stderr kept for the error's `cause`; the rest is dropped. @default 65536 (64 KiB) */
  maxStderrBytes?: number;
  /** Fixed settings added to the reduced environment (never copied from `process.env`). */
  env?: Readonly<Record<string, string>>;
  /**
   * Give the tool a private `TMPDIR`/`HOME`: a fresh directory (mode 0700) under this one
   * (`true`: the system temp dir), removed after the run. Without it neither is set.
   */
  privateTempDir?: string | boolean | undefined;
  /** Called with the process id once the tool has started (tests check it is gone). */
  onSpawn?: ((pid: number) => void) | undefined;
  /** @default `child_process.spawn` */
  spawn?: SpawnFunction;
}

/** What a successful run produced. */
export interface ToolOutput {
  stdout: Buffer;
  stderr: string;
}

const DEFAULT_MAX_STDOUT = 1024 * 1024;
const DEFAULT_MAX_STDERR = 64 * 1024;
/** After a kill, how long to wait for the pipes to close before giving up on them. */
const CLOSE_GRACE_MS = 2_000;

function aborted(tool: ToolName, verb: string, signal: AbortSignal | undefined): FileForgeError {
  return toolError(tool, 'ABORTED', `${tool} was ${verb}: aborted`, 'aborted', { cause: signal?.reason });
}

/**
 * Runs a tool to completion and returns its output, or rejects with a `FileForgeError`:
 * `INVALID_CONFIG` when the binary is missing, `PROCESSOR_TIMEOUT` after `timeoutMs`,
 * `ABORTED` when the signal fires, `PROCESSOR_FAILED` for a non-zero exit, a crash or stdout
 * past its cap (`details.failure` tells which; `cause` carries stderr). A failure to read
 * `stdin` kills the tool and rejects with that error.
 *
 * @example
 * ```ts
 * const { stdout } = await runTool('ffprobe', argv, { timeoutMs: 60_000, signal });
 * ```
 */
export async function runTool(
  tool: ToolName,
  argv: readonly string[],
  options: RunToolOptions,
): Promise<ToolOutput> {
  const { signal, privateTempDir, stdin } = options;
  let dir: string | undefined;
  try {
    if (signal?.aborted) throw aborted(tool, 'not started', signal);
    if (privateTempDir) {
      const parent = privateTempDir === true ? tmpdir() : privateTempDir;
      dir = await mkdtemp(join(parent, `fileforge-${tool}-`));
      if (signal?.aborted) throw aborted(tool, 'not started', signal);
    }
  } catch (error) {
    if (stdin instanceof Readable) stdin.destroy(); // never read: release what it holds open
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    throw error;
  }
  try {
    return await start(tool, argv, options, dir);
  } finally {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}

function start(
  tool: ToolName,
  argv: readonly string[],
  options: RunToolOptions,
  tempDir: string | undefined,
): Promise<ToolOutput> {
  const command = options.command ?? tool;
  const maxStdout = options.maxStdoutBytes ?? DEFAULT_MAX_STDOUT;
  const maxStderr = options.maxStderrBytes ?? DEFAULT_MAX_STDERR;
  const { signal, stdin } = options;
  return new Promise<ToolOutput>((resolvePromise, reject) => {
    const child = (options.spawn ?? nodeSpawn)(command, argv, {
      shell: false,
      detached: true,
      stdio: [stdin === undefined ? 'ignore' : 'pipe', maxStdout > 0 ? 'pipe' : 'ignore', 'pipe'],
      env: toolEnvironment(options.env, tempDir),
    });
    const pid = child.pid;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrBytes = 0;
    let killedWith: Error | undefined;
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;

    const settle = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      signal?.removeEventListener('abort', onAbort);
      if (pid !== undefined) untrackGroup(pid);
      if (error) reject(error);
      else resolvePromise({ stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') });
    };
    const stop = (error: Error) => {
      if (killedWith || settled) return;
      killedWith = error;
      if (pid !== undefined) killGroup(pid);
      // Settles on 'close'; should a pipe stay open anyway, give up on it after a grace period.
      graceTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        settle(error);
      }, CLOSE_GRACE_MS);
    };
    const onAbort = () => stop(aborted(tool, 'killed', signal));
    const timer = setTimeout(() => {
      const message = `${tool} did not finish within ${options.timeoutMs} ms and was killed`;
      stop(
        toolError(tool, 'PROCESSOR_TIMEOUT', message, 'timeout', {
          details: { timeoutMs: options.timeoutMs },
        }),
      );
    }, options.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    child.once('error', (error: NodeJS.ErrnoException) => {
      // Only spawn failures arrive here: kills are to the group and never fail loudly.
      settle(killedWith ?? spawnError(tool, command, error));
    });
    child.stdout?.on('error', () => {}); // a destroyed pipe after a kill; the exit decides
    child.stderr?.on('error', () => {});
    child.stdout?.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes <= maxStdout) stdout.push(chunk);
      else {
        const message = `${tool} wrote more than ${maxStdout} bytes and was killed`;
        stop(toolError(tool, 'PROCESSOR_FAILED', message, 'output_limit', { details: { limit: maxStdout } }));
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      const room = maxStderr - stderrBytes;
      if (room > 0) stderr.push(chunk.subarray(0, room));
      stderrBytes += chunk.length;
    });
    if (stdin !== undefined && child.stdin) feed(stdin, child.stdin, stop);
    child.once('close', (exitCode, exitSignal) => {
      if (killedWith) return settle(killedWith);
      if (exitCode === 0) return settle(undefined);
      const text = Buffer.concat(stderr).toString('utf8').trim();
      const how = exitSignal ? `was killed by ${exitSignal}` : `failed (exit code ${String(exitCode)})`;
      settle(
        toolError(tool, 'PROCESSOR_FAILED', `${tool} ${how}`, 'exit', {
          cause: new Error(text || `${tool} ${how} without a message`),
          details: { exitCode, signal: exitSignal },
        }),
      );
    });
    if (pid !== undefined) {
      trackGroup(pid);
      options.onSpawn?.(pid);
    }
  });
}

/**
 * Pipes `input` into the tool's stdin. The tool closing its stdin early (EPIPE: it read what
 * it needed, or failed) is not an error; failing to read `input` is, and stops the tool.
 */
function feed(input: Readable | Uint8Array, stdin: NodeJS.WritableStream, stop: (error: Error) => void) {
  const source = input instanceof Uint8Array ? Readable.from([input]) : input;
  let readFailed: Error | undefined;
  source.once('error', (error: Error) => {
    readFailed = error;
  });
  pipeline(source, stdin).catch(() => {
    if (readFailed) stop(readFailed);
  });
}
