import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileForgeError } from '@fileforge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBinary } from '../../test/binaries.js';
import { eventually, groupExists, isRunning } from '../../test/media-fixtures.js';
import { containerFor } from './formats.js';
import { runTool, toolArgv } from './run-tool.js';

const mp4 = containerFor('video/mp4')!;

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

describe('toolArgv', () => {
  it('forces the demuxer, whitelists it and the file protocol, and reads a file: URL', () => {
    const argv = toolArgv('ffprobe', {
      input: { path: '/data/blobs/default/f1', container: mp4 },
      after: ['-of', 'json'],
    });
    expect(argv).toEqual([
      '-hide_banner',
      '-v',
      'error',
      '-f',
      'mp4',
      '-format_whitelist',
      'mov,mp4,m4a,3gp,3g2,mj2',
      '-protocol_whitelist',
      'file',
      '-i',
      'file:/data/blobs/default/f1',
      '-of',
      'json',
    ]);
  });

  it('keeps ffmpeg off stdin and puts input options before -i', () => {
    const argv = toolArgv('ffmpeg', {
      input: { path: '/x/in', container: mp4 },
      before: ['-ss', '1.000'],
      after: ['pipe:1'],
    });
    expect(argv.slice(0, 6)).toEqual(['-hide_banner', '-nostdin', '-v', 'error', '-ss', '1.000']);
    expect(argv.indexOf('-ss')).toBeLessThan(argv.indexOf('-i'));
    expect(argv.at(-1)).toBe('pipe:1');
  });
});

describe('runTool', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fileforge-run-tool-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says how to install a missing tool', async () => {
    const error = await failure(
      runTool('ffprobe', [], { command: join(dir, 'no-ffprobe'), timeoutMs: 5_000 }),
    );
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toMatch(/ffprobe not found: apt-get install ffmpeg/);
  });

  it('kills the whole process group on timeout, grandchildren included', async () => {
    // A fake ffmpeg (security spec D3) that starts a child of its own and waits forever.
    const script = join(dir, 'fake-ffmpeg');
    await writeFile(script, `#!/bin/sh\nsleep 30 &\necho $! > '${join(dir, 'child.pid')}'\nwait\n`);
    await chmod(script, 0o755);
    let pid = 0;
    const error = await failure(
      runTool('ffmpeg', [], { command: script, timeoutMs: 500, onSpawn: (p) => (pid = p) }),
    );
    expect(error.code).toBe('PROCESSOR_TIMEOUT');
    expect(error.details).toMatchObject({ tool: 'ffmpeg', failure: 'timeout', timeoutMs: 500 });
    const child = Number(await readFile(join(dir, 'child.pid'), 'utf8'));
    expect(child).toBeGreaterThan(0);
    expect(isRunning(pid)).toBe(false);
    expect(await eventually(() => !isRunning(child))).toBe(true);
  });

  it('passes the tool no environment beyond PATH', async () => {
    const script = join(dir, 'env-ffprobe');
    const out = join(dir, 'env.txt');
    await writeFile(script, `#!/bin/sh\nenv > '${out}'\n`);
    await chmod(script, 0o755);
    process.env.FILEFORGE_TEST_SECRET = 'hunter2';
    try {
      await runTool('ffprobe', [], { command: script, timeoutMs: 10_000 });
    } finally {
      delete process.env.FILEFORGE_TEST_SECRET;
    }
    const env = await readFile(out, 'utf8');
    expect(env).toMatch(/^PATH=/m);
    expect(env).not.toContain('hunter2');
  });

  it('does not start a tool when the signal is already aborted', async () => {
    let started = false;
    const error = await failure(
      runTool('ffmpeg', ENDLESS, {
        timeoutMs: 5_000,
        signal: AbortSignal.abort(),
        onSpawn: () => (started = true),
      }),
    );
    expect(error.code).toBe('ABORTED');
    expect(started).toBe(false);
  });

  describe.skipIf(!hasBinary('ffmpeg'))('with ffmpeg', () => {
    it('rejects with a timeout error and leaves no process behind', async () => {
      let pid = 0;
      const error = await failure(runTool('ffmpeg', ENDLESS, { timeoutMs: 1, onSpawn: (p) => (pid = p) }));
      expect(error.code).toBe('PROCESSOR_TIMEOUT');
      expect(pid).toBeGreaterThan(0);
      expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
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
