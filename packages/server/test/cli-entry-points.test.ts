import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, stopTestServers } from './support/server.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The `fileforge` npm links into node_modules/.bin for the workspace: what `npx fileforge` runs. */
const LINKED_BIN = join(REPO_ROOT, 'node_modules', '.bin', 'fileforge');

afterEach(stopTestServers);

function fileforge(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(LINKED_BIN, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const COMMANDS = ['serve', 'ingest', 'reprocess', 'users'];

describe('the fileforge command as npm links it (issue 8)', () => {
  it('is linked to a file that exists before the build, and answers --help with exit 0', () => {
    expect(realpathSync(LINKED_BIN)).toBe(join(REPO_ROOT, 'packages', 'server', 'bin', 'fileforge.js'));
    const help = fileforge(['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: fileforge <command>/);
  });

  it('prints each command’s own help and exits 0 without starting anything', () => {
    for (const command of COMMANDS) {
      // A port that is in use would make a started server fail: help must never get that far.
      const result = fileforge([command, '--help'], { PORT: '1' });
      expect(result.code, `${command}: ${result.stderr}`).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: fileforge ${command}`));
      expect(result.stderr).toBe('');
    }
  });

  it('answers a bad option with usage and exit 2, not a stack trace', () => {
    const result = fileforge(['ingest', '--no-such-option', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown option '--no-such-option'/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names a refusal of the system (a folder that is not there) in one line, exit 1, no stack trace', async () => {
    const dataDir = await makeTempDir();
    const out = join(dataDir, 'no', 'such', 'folder', 'openapi.json');
    const result = fileforge(['openapi', '--output', out]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^fileforge: ENOENT: no such file or directory, open '.*openapi\.json'$/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('leaves quietly when the reader of its output goes away (a pipe into head)', () => {
    const result = spawnSync('sh', ['-c', `"${LINKED_BIN}" openapi | head -c 10 > /dev/null`], {
      cwd: REPO_ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.stderr).not.toMatch(/EPIPE|\n\s+at /);
  });

  it('answers a backup archive that does not exist with usage and exit 2, not a stack trace', async () => {
    const dataDir = await makeTempDir();
    const result = fileforge(['restore', join(dataDir, 'no-such-backup.tar.gz'), '--json'], {
      DATA_DIR: dataDir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no-such-backup\.tar\.gz is not a file/);
    expect(result.stderr).toMatch(/Usage: fileforge restore/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses an engine it cannot open with the same message from every entry point, creating no file', async () => {
    const parent = await makeTempDir('fileforge-engines-');
    const dataDir = join(parent, 'data');
    const input = join(parent, 'note.txt');
    await writeFile(input, 'hello');
    const env = {
      DATABASE_URL: 'mysql://x',
      DATA_DIR: dataDir,
      FILEFORGE_PASSWORD: 'long enough password',
    };
    const runs = [
      ['serve'],
      ['users', 'create', '--email', 'a@example.com'],
      ['reprocess', '--all'],
      ['ingest', input],
    ];
    const messages = runs.map((args) => {
      const result = fileforge(args, env);
      expect(result.code, args.join(' ')).not.toBe(0);
      return result.stderr.trim();
    });
    expect(messages[0]).toMatch(/DATABASE_URL/);
    expect(messages[0]).toMatch(/postgresql:\/\//);
    expect(new Set(messages).size).toBe(1);
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(join(REPO_ROOT, 'mysql:'))).toBe(false);
  });
});
