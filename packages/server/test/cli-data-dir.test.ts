import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnCli } from './support/child.js';
import { makeTempDir, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

async function run(args: string[], dataDir: string) {
  const cli = spawnCli(args, { DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const code = await cli.exited;
  return { code, ...cli.output() };
}

const NO_STACK = /\n\s+at |TypeError|SqliteError/;

describe('read-only commands given an unusable data directory', () => {
  it('audit verify: DATA_DIR under a file (/dev/null/x) is one line naming it, exit 1, no stack trace', async () => {
    const result = await run(['audit', 'verify'], '/dev/null/x');
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(NO_STACK);
    expect(result.stderr.trim()).toMatch(
      /^fileforge audit: cannot open the data directory \/dev\/null\/x: ENOTDIR: not a directory\b.*$/,
    );
    expect(result.stdout).toBe('');
  });

  it('audit verify: DATA_DIR naming a regular file is one line, exit 1', async () => {
    const file = join(await makeTempDir(), 'not-a-directory');
    await writeFile(file, 'plain file');
    const result = await run(['audit', 'verify', '--json'], file);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(NO_STACK);
    expect(result.stderr.trim()).toMatch(
      new RegExp(`^fileforge audit: cannot open the data directory ${file}: ENOTDIR: not a directory$`),
    );
  });

  it('audit verify: a data directory with no catalog yet is one line naming the catalog, exit 1', async () => {
    const dataDir = await makeTempDir();
    const result = await run(['audit', 'verify'], dataDir);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(NO_STACK);
    expect(result.stderr.trim()).toMatch(
      new RegExp(`^fileforge audit: cannot open the catalog ${join(dataDir, 'fileforge.db')}: ENOENT\\b.*$`),
    );
  });

  it.each([['fsck'], ['backup']])(
    '%s: DATA_DIR=/dev/null/x is one line, exit 1, no stack trace',
    async (command) => {
      const result = await run([command], '/dev/null/x');
      expect(result.code).toBe(1);
      expect(result.stderr).not.toMatch(NO_STACK);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/ENOTDIR.*\/dev\/null\/x/)]);
    },
  );
});
