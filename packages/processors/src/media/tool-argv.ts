/**
 * The one place that starts ffmpeg and ffprobe.
 *
 * How this works: the argv is an array built by {@link toolArgv} from constants, validated
 * numbers and generated absolute paths (as `file:<path>`, so no name is read as a protocol),
 * and run without a shell. The input's demuxer is forced from its detected type, with the
 * same names as `-format_whitelist` and `-protocol_whitelist file` (security spec D1,
 * Appendix 1). Each tool runs in its own process group (`detached`), so a wall-clock timeout,
 * an aborted signal or runaway output kills the whole group with SIGKILL, and whatever is
 * still running when Node exits is killed too. The environment is reduced to `PATH` (and
 * `LD_LIBRARY_PATH`). stderr is kept (capped) for the error's `cause`, never for clients: it
 * may name server paths.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { ErrorCode, type FileForgeError } from '@fileforge/core';
import type { MediaContainer } from './formats.js';
import { type MediaTool, spawnError, toolError } from './tool-errors.js';

/** What {@link toolArgv} assembles around the input. */
export interface ToolArgvSpec {
  /** The generated local file to read and how to demux it. */
  input: { path: string; container: MediaContainer };
  /** Input options placed before `-i` (`-ss`, `-t`, `-threads`). */
  before?: readonly string[];
  /** Everything after the input: maps, filters, codecs, the output. */
  after: readonly string[];
}

/** Options for {@link runTool}. */
export interface RunToolOptions {
  /** Executable to start. @default the tool's name, looked up on `PATH` */
  command?: string;
  /** Wall-clock limit; the process group is killed when it passes. */
  timeoutMs: number;
  /** Aborting kills the process group and rejects with `ABORTED`. */
  signal?: AbortSignal;
  /** stdout kept in memory; more kills the tool. `0` ignores stdout. @default 1048576 (1 MiB) */
  maxStdoutBytes?: number;
  /** stderr kept for the error's `cause`; the rest is dropped. @default 65536 (64 KiB) */
  maxStderrBytes?: number;
  /** Called with the process id once the tool has started (tests check it is gone). */
  onSpawn?(pid: number): void;
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

/**
 * The full argv for one run: quiet logging, no interaction, the forced demuxer and
 * whitelists, then the input as `file:<absolute path>`.
 */
export function toolArgv(tool: MediaTool, spec: ToolArgvSpec): string[] {
  const { demuxer, whitelist } = spec.input.container;
  return [
    '-hide_banner',
    ...(tool === 'ffmpeg' ? ['-nostdin'] : []),
    '-v',
    'error',
    ...(spec.before ?? []),
    '-f',
    demuxer,
    '-format_whitelist',
    whitelist,
    '-protocol_whitelist',
    'file',
    '-i',
    `file:${resolve(spec.input.path)}`,
    ...spec.after,
  ];
}

/**
 * The tools get no secrets: only what finds them and their libraries. A decoder exploited
 * by a hostile file then has no database URL or cloud keys to read from its environment.
 */
function toolEnv(): NodeJS.ProcessEnv {
  const { PATH, LD_LIBRARY_PATH } = process.env;
  return {
    PATH: PATH ?? '/usr/local/bin:/usr/bin:/bin',
    ...(LD_LIBRARY_PATH === undefined ? {} : { LD_LIBRARY_PATH }),
    AV_LOG_FORCE_NOCOLOR: '1',
  };
}

const running = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Detached children outlive Node by default; kill whatever is still running at exit. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pid of running) killGroup(pid);
  });
}

/**
 * Runs a tool to completion and returns its output, or rejects with a `FileForgeError`:
 * `INVALID_CONFIG` when the binary is missing, `PROCESSOR_TIMEOUT` after `timeoutMs`,
 * `ABORTED` when the signal fires, `PROCESSOR_FAILED` for a non-zero exit, a crash or stdout
 * past its cap (`details.failure` tells which; `cause` carries stderr).
 */
export function runTool(
  tool: MediaTool,
  argv: readonly string[],
  options: RunToolOptions,
): Promise<ToolOutput> {
  const command = options.command ?? tool;
  const maxStdout = options.maxStdoutBytes ?? DEFAULT_MAX_STDOUT;
  const maxStderr = options.maxStderrBytes ?? DEFAULT_MAX_STDERR;
  const { signal } = options;
  if (signal?.aborted) {
    return Promise.reject(
      toolError(tool, ErrorCode.ABORTED, `${tool} was not started: aborted`, 'aborted', {
        cause: signal.reason,
      }),
    );
  }
  return new Promise<ToolOutput>((resolvePromise, reject) => {
    const child = spawn(command, argv, {
      shell: false,
      detached: true,
      stdio: ['ignore', maxStdout > 0 ? 'pipe' : 'ignore', 'pipe'],
      env: toolEnv(),
    });
    const pid = child.pid;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrBytes = 0;
    let killedWith: FileForgeError | undefined;
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;

    const settle = (error: FileForgeError | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      signal?.removeEventListener('abort', onAbort);
      if (pid !== undefined) running.delete(pid);
      if (error) reject(error);
      else resolvePromise({ stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') });
    };
    const stop = (error: FileForgeError) => {
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
    const onAbort = () =>
      stop(
        toolError(tool, ErrorCode.ABORTED, `${tool} was killed: aborted`, 'aborted', {
          cause: signal?.reason,
        }),
      );
    const timer = setTimeout(() => {
      const message = `${tool} did not finish within ${options.timeoutMs} ms and was killed`;
      stop(
        toolError(tool, ErrorCode.PROCESSOR_TIMEOUT, message, 'timeout', {
          details: { timeoutMs: options.timeoutMs },
        }),
      );
    }, options.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout?.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes <= maxStdout) stdout.push(chunk);
      else {
        const message = `${tool} wrote more than ${maxStdout} bytes and was killed`;
        stop(
          toolError(tool, ErrorCode.PROCESSOR_FAILED, message, 'output_limit', {
            details: { limit: maxStdout },
          }),
        );
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      const room = maxStderr - stderrBytes;
      if (room > 0) stderr.push(chunk.subarray(0, room));
      stderrBytes += chunk.length;
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      // Only spawn failures arrive here: kills are to the group and never fail loudly.
      settle(killedWith ?? spawnError(tool, command, error));
    });
    child.once('close', (exitCode, exitSignal) => {
      if (killedWith) return settle(killedWith);
      if (exitCode === 0) return settle(undefined);
      const text = Buffer.concat(stderr).toString('utf8').trim();
      const how = exitSignal ? `was killed by ${exitSignal}` : `failed (exit code ${String(exitCode)})`;
      settle(
        toolError(tool, ErrorCode.PROCESSOR_FAILED, `${tool} ${how}`, 'exit', {
          cause: new Error(text || `${tool} ${how} without a message`),
          details: { exitCode, signal: exitSignal },
        }),
      );
    });
    if (pid !== undefined) {
      running.add(pid);
      installExitHook();
      options.onSpawn?.(pid);
    }
  });
}
