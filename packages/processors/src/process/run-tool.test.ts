import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { FileForgeError } from '@fileforge/core';
import { writePdf } from '@fileforge/test-fixtures/pdf';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hasBinary } from '../../test/binaries.js';
import { eventually, groupExists, isRunning } from '../../test/media-fixtures.js';
import { runTool, type SpawnFunction } from './run-tool.js';
import { INHERITED_VARIABLES } from './tool-env.js';

/** Rejects with the FileForgeError `promise` throws (fails the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<FileForgeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!FileForgeError.is(error)) throw new Error(`expected a FileForgeError, got ${String(error)}`);
  return error;
}

/** An ffmpeg that never finishes on its own: an endless test pattern encoded to nowhere. */
const ENDLESS = ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2', '-f', 'null', '-'];

/** Secrets a server process holds in its environment; no tool may ever see them. */
const CANARIES = {
  FILEFORGE_CANARY_SECRET: 'canary-7f3a9c1e',
  JWT_SECRET_KEY: 'jwt-canary-51d0b2',
  AWS_SECRET_ACCESS_KEY: 'aws-canary-c4e8',
};

/** Puts the canaries into `process.env` for each test and removes them afterwards. */
function withCanaries() {
  beforeEach(() => Object.assign(process.env, CANARIES));
  afterEach(() => {
    for (const name of Object.keys(CANARIES)) delete process.env[name];
  });
}

/** The environment of a running process, read by the kernel's own account of it. */
function environOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').filter(Boolean);
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

/** Asserts a child's environment holds none of the canaries and only the variables a tool needs. */
function expectNoSecrets(env: Record<string, string | undefined>) {
  const text = JSON.stringify(env);
  for (const value of Object.values(CANARIES)) expect(text).not.toContain(value);
  const allowed = new Set([...INHERITED_VARIABLES, 'TMPDIR', 'HOME', 'AV_LOG_FORCE_NOCOLOR']);
  expect(Object.keys(env).filter((name) => !allowed.has(name))).toEqual([]);
  expect(env.PATH).toBe(process.env.PATH);
}

describe('runTool', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fileforge-run-tool-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A fake tool: a shell script that starts a child of its own and waits for it. */
  async function hangingTool(name: string): Promise<{ script: string; childPidFile: string }> {
    const script = join(dir, name);
    const childPidFile = join(dir, `${name}.child.pid`);
    await writeFile(script, `#!/bin/sh\nsleep 30 &\necho $! > '${childPidFile}'\nwait\n`);
    await chmod(script, 0o755);
    return { script, childPidFile };
  }

  it('says how to install a missing tool', async () => {
    const missing = join(dir, 'no-such-tool');
    const ffprobe = await failure(runTool('ffprobe', [], { command: missing, timeoutMs: 5_000 }));
    expect(ffprobe.code).toBe('INVALID_CONFIG');
    expect(ffprobe.message).toMatch(/ffprobe not found: apt-get install ffmpeg/);
    const pdftoppm = await failure(runTool('pdftoppm', [], { command: missing, timeoutMs: 5_000 }));
    expect(pdftoppm.message).toMatch(/^\[fileforge:pdf\] pdftoppm not found: apt-get install poppler-utils/);
    expect(pdftoppm.details).toMatchObject({ tool: 'pdftoppm', failure: 'missing' });
  });

  it('kills the whole process group on timeout, grandchildren included', async () => {
    // A fake ffmpeg (security spec D3) that starts a child of its own and waits forever.
    const { script, childPidFile } = await hangingTool('fake-ffmpeg');
    let pid = 0;
    const error = await failure(
      runTool('ffmpeg', [], { command: script, timeoutMs: 500, onSpawn: (p) => (pid = p) }),
    );
    expect(error.code).toBe('PROCESSOR_TIMEOUT');
    expect(error.details).toMatchObject({ tool: 'ffmpeg', failure: 'timeout', timeoutMs: 500 });
    const child = Number(await readFile(childPidFile, 'utf8'));
    expect(child).toBeGreaterThan(0);
    expect(isRunning(pid)).toBe(false);
    expect(await eventually(() => !isRunning(child))).toBe(true);
    expect(await eventually(() => !groupExists(pid))).toBe(true);
  });

  it('kills the whole process group when the signal aborts, grandchildren included', async () => {
    const { script, childPidFile } = await hangingTool('fake-pdftoppm');
    const controller = new AbortController();
    let pid = 0;
    const run = runTool('pdftoppm', [], {
      command: script,
      timeoutMs: 60_000,
      signal: controller.signal,
      onSpawn: (p) => (pid = p),
    });
    // Abort once the script has started its own child.
    expect(await eventually(() => existsSync(childPidFile))).toBe(true);
    controller.abort(new Error('user cancelled'));
    const error = await failure(run);
    expect(error.code).toBe('ABORTED');
    expect(error.details).toMatchObject({ tool: 'pdftoppm', failure: 'aborted' });
    const child = Number(await readFile(childPidFile, 'utf8'));
    expect(await eventually(() => !isRunning(child))).toBe(true);
    expect(await eventually(() => !groupExists(pid))).toBe(true);
  });

  it('does not start a tool when the signal is already aborted, and releases its stdin', async () => {
    let started = false;
    const stdin = new PassThrough();
    const error = await failure(
      runTool('ffmpeg', ENDLESS, {
        timeoutMs: 5_000,
        signal: AbortSignal.abort(),
        stdin,
        onSpawn: () => (started = true),
      }),
    );
    expect(error.code).toBe('ABORTED');
    expect(started).toBe(false);
    expect(stdin.destroyed).toBe(true);
  });

  describe('environment', () => {
    withCanaries();

    it('hands spawn a reduced environment: no variable of the server beyond PATH, LANG, LC_ALL', async () => {
      const calls: Parameters<SpawnFunction>[2][] = [];
      const spy = ((command: string, args: readonly string[], options: Parameters<SpawnFunction>[2]) => {
        calls.push(options);
        return spawn(command, args, options);
      }) as SpawnFunction;
      await runTool('ffprobe', ['-c', 'true'], {
        command: '/bin/sh',
        timeoutMs: 10_000,
        spawn: spy,
        env: { AV_LOG_FORCE_NOCOLOR: '1' },
      });
      expect(calls).toHaveLength(1);
      const env = calls[0]?.env ?? {};
      expectNoSecrets(env);
      expect(env.AV_LOG_FORCE_NOCOLOR).toBe('1');
      expect(env.LANG).toBe(process.env.LANG);
      expect(env.HOME).toBeUndefined();
      expect(calls[0]).toMatchObject({ shell: false, detached: true });
    });

    it('gives a tool a private TMPDIR and HOME when asked, and removes it afterwards', async () => {
      const out = join(dir, 'private-env.txt');
      await runTool('pdftoppm', ['-c', `env > '${out}'; touch "$TMPDIR/scratch"`], {
        command: '/bin/sh',
        timeoutMs: 10_000,
        privateTempDir: dir,
      });
      const lines = (await readFile(out, 'utf8')).split('\n');
      const tmp = lines.find((l) => l.startsWith('TMPDIR='))?.slice('TMPDIR='.length) ?? '';
      expect(tmp.startsWith(join(dir, 'fileforge-pdftoppm-'))).toBe(true);
      expect(lines).toContain(`HOME=${tmp}`);
      expect(existsSync(tmp)).toBe(false);
      for (const value of Object.values(CANARIES)) expect(lines.join('\n')).not.toContain(value);
    });

    // The tools themselves, read from /proc while they run: the kernel's view, not our options.
    describe.skipIf(!hasBinary('pdftoppm'))('pdftoppm', () => {
      it('runs without the server secrets in its environment', async () => {
        const stdin = new PassThrough();
        let environ: Record<string, string> = {};
        const run = runTool(
          'pdftoppm',
          ['-f', '1', '-l', '1', '-png', '-singlefile', '-scale-to', '64', '-'],
          {
            timeoutMs: 30_000,
            stdin,
            privateTempDir: true,
            maxStdoutBytes: 8 * 1024 * 1024,
            onSpawn(pid) {
              // pdftoppm waits for its stdin, which we hold open until its environment is read.
              environ = environOf(pid);
              stdin.end(writePdf());
            },
          },
        );
        const { stdout } = await run;
        expect(stdout.subarray(1, 4).toString('latin1')).toBe('PNG');
        expect(environ.PATH).toBeDefined();
        expectNoSecrets(environ);
        expect(environ.TMPDIR).toMatch(/fileforge-pdftoppm-/);
      });
    });

    describe.skipIf(!(hasBinary('ffmpeg') && hasBinary('ffprobe')))('ffmpeg and ffprobe', () => {
      it('run without the server secrets in their environment', async () => {
        for (const tool of ['ffmpeg', 'ffprobe'] as const) {
          const controller = new AbortController();
          let environ: Record<string, string> = {};
          const argv =
            tool === 'ffmpeg' ? ENDLESS : ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2', '-show_frames'];
          const run = runTool(tool, argv, {
            timeoutMs: 30_000,
            signal: controller.signal,
            maxStdoutBytes: 64 * 1024 * 1024,
            env: { AV_LOG_FORCE_NOCOLOR: '1' },
            onSpawn(pid) {
              environ = environOf(pid); // both run until aborted
              setTimeout(() => controller.abort(), 50);
            },
          });
          expect((await failure(run)).code, tool).toBe('ABORTED');
          expect(environ.PATH, tool).toBeDefined();
          expectNoSecrets(environ);
        }
      });
    });
  });

  describe('stdin', () => {
    it('feeds bytes to the tool and returns its stdout', async () => {
      const { stdout } = await runTool('ffmpeg', ['-c', 'cat'], {
        command: '/bin/sh',
        timeoutMs: 10_000,
        stdin: Buffer.from('through the pipe'),
      });
      expect(stdout.toString()).toBe('through the pipe');
    });

    it('does not fail when the tool stops reading early', async () => {
      const big = Readable.from(
        (function* () {
          for (let i = 0; i < 256; i++) yield Buffer.alloc(64 * 1024, 1);
        })(),
      );
      const { stdout } = await runTool('ffmpeg', ['-c', 'head -c 4'], {
        command: '/bin/sh',
        timeoutMs: 10_000,
        stdin: big,
      });
      expect(stdout.length).toBe(4);
    });

    it('kills the tool and rejects with the read error when its input fails', async () => {
      const broken = new Readable({
        read() {
          this.destroy(new Error('disk on fire'));
        },
      });
      let pid = 0;
      const error = await runTool('ffmpeg', ['-c', 'cat > /dev/null; sleep 30'], {
        command: '/bin/sh',
        timeoutMs: 30_000,
        stdin: broken,
        onSpawn: (p) => (pid = p),
      }).catch((e: unknown) => e);
      expect((error as Error).message).toBe('disk on fire');
      expect(await eventually(() => !groupExists(pid))).toBe(true);
    });
  });

  describe.skipIf(!hasBinary('ffmpeg'))('with ffmpeg', () => {
    it('rejects with a timeout error and leaves no process behind', async () => {
      let pid = 0;
      const error = await failure(runTool('ffmpeg', ENDLESS, { timeoutMs: 1, onSpawn: (p) => (pid = p) }));
      expect(error.code).toBe('PROCESSOR_TIMEOUT');
      expect(pid).toBeGreaterThan(0);
      expect(await eventually(() => !isRunning(pid))).toBe(true);
      expect(await eventually(() => !groupExists(pid))).toBe(true);
    });

    it('kills the tool when the signal aborts', async () => {
      const controller = new AbortController();
      let pid = 0;
      const run = runTool('ffmpeg', ENDLESS, {
        timeoutMs: 60_000,
        signal: controller.signal,
        onSpawn: (p) => {
          pid = p;
          setTimeout(() => controller.abort(new Error('user cancelled')), 100);
        },
      });
      const error = await failure(run);
      expect(error.code).toBe('ABORTED');
      expect(error.details).toMatchObject({ failure: 'aborted' });
      expect(isRunning(pid)).toBe(false);
    });

    it('kills a tool that writes more than the stdout cap', async () => {
      const argv = ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2', '-f', 'rawvideo', 'pipe:1'];
      let pid = 0;
      const error = await failure(
        runTool('ffmpeg', argv, { timeoutMs: 30_000, maxStdoutBytes: 4096, onSpawn: (p) => (pid = p) }),
      );
      expect(error.details).toMatchObject({ failure: 'output_limit', limit: 4096 });
      expect(isRunning(pid)).toBe(false);
    });

    it('reports a failed run with its exit code, stderr kept in the cause only', async () => {
      const argv = ['-nostdin', '-v', 'error', '-i', `file:${join(dir, 'missing.mp4')}`, '-f', 'null', '-'];
      const error = await failure(runTool('ffmpeg', argv, { timeoutMs: 30_000 }));
      expect(error.code).toBe('PROCESSOR_FAILED');
      expect(error.details).toMatchObject({ tool: 'ffmpeg', failure: 'exit', exitCode: 1 });
      expect(error.message).not.toContain(dir);
      expect(String((error.cause as Error).message)).toMatch(/No such file or directory/);
    });

    it('returns stdout of a successful run', async () => {
      const argv = ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'color=s=2x2:d=1', '-frames:v', '1'];
      const { stdout } = await runTool('ffmpeg', [...argv, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'], {
        timeoutMs: 30_000,
      });
      expect(stdout.length).toBe(4);
    });
  });
});
