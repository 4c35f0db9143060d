/**
 * Passwords given to `fileforge users` are never shown: typed at a terminal (a real
 * pseudo-terminal, through util-linux `script`) nothing of them is echoed, and piped ones are
 * read from standard input. The stored hash is checked against what was typed.
 */
import { spawn } from 'node:child_process';
import { createForge } from '@fileforge/core';
import bcrypt from 'bcrypt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasBinary } from './support/binaries.js';
import { bundleCli, runBundledCli } from './support/bundled-cli.js';
import { eventually, makeTempDir, stopTestServers } from './support/server.js';

let bundle: Awaited<ReturnType<typeof bundleCli>>;
beforeAll(async () => {
  bundle = await bundleCli();
});
afterAll(() => bundle?.remove());
afterEach(stopTestServers);

const hasScript = hasBinary('script', 'bsdutils');

/** The stored password hash of `email` in the default tenant, or undefined when there is no such user. */
async function storedHash(dataDir: string, email: string): Promise<string | undefined> {
  const forge = await createForge({ dataDir, runJobs: false });
  try {
    const [user] = await forge.catalog.accounts.findUsersByEmail(email, 'default');
    return user?.passwordHash;
  } finally {
    await forge.close();
  }
}

/**
 * Runs the bundled `fileforge <args>` on a pseudo-terminal, answering each prompt (waited for
 * in the output) with the next of `answers`, typed followed by Enter; resolves with the exit
 * code and everything the terminal showed.
 */
async function onTerminal(args: string[], env: Record<string, string>, answers: string[]) {
  const command = [process.execPath, bundle.path, ...args]
    .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
    .join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let shown = '';
  child.stdout.on('data', (d: Buffer) => {
    shown += d.toString('utf8');
  });
  child.stderr.on('data', (d: Buffer) => {
    shown += d.toString('utf8');
  });
  child.stdin.on('error', () => {});
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    let prompts = 0;
    for (const answer of answers) {
      prompts++;
      const seen = prompts;
      await eventually(
        () => ((shown.match(/Password( \(again\))?: /g)?.length ?? 0) >= seen ? true : undefined),
        `prompt ${seen} never came; the terminal showed:\n${shown}`,
        { timeoutMs: 60_000 },
      );
      child.stdin.write(`${answer}\r`);
    }
    return { code: await exited, shown };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

describe.skipIf(!hasScript)('fileforge users: a password typed at a terminal', () => {
  it('is never echoed, is asked twice, and is the one stored', { timeout: 120_000 }, async () => {
    const dataDir = await makeTempDir();
    const env = { DATA_DIR: dataDir, BCRYPT_ROUNDS: '4' };
    const typed = 'typed-secret-passphrase';
    const run = await onTerminal(['users', 'create', '--email', 'tty@example.test', '--json'], env, [
      typed,
      typed,
    ]);
    expect(run.code, run.shown).toBe(0);
    expect(run.shown).toMatch(/Password: \r?\nPassword \(again\): \r?\n/);
    expect(run.shown).not.toContain(typed);
    expect(run.shown).not.toMatch(/\*{4}/);
    const json = run.shown.split(/\r?\n/).find((l) => l.startsWith('{"action"'));
    expect(JSON.parse(json!)).toMatchObject({
      action: 'user.create',
      user: { email: 'tty@example.test', tenant: 'default', role: 'viewer' },
    });
    const hash = await storedHash(dataDir, 'tty@example.test');
    expect(await bcrypt.compare(typed, hash!)).toBe(true);
  });

  it('refuses two different passwords with exit 1 and creates nobody', { timeout: 120_000 }, async () => {
    const dataDir = await makeTempDir();
    const run = await onTerminal(
      ['users', 'create', '--email', 'typo@example.test'],
      { DATA_DIR: dataDir, BCRYPT_ROUNDS: '4' },
      ['first-long-passphrase', 'first-long-passphrasf'],
    );
    expect(run.code).toBe(1);
    expect(run.shown).toMatch(/the two passwords differ; nothing was changed/);
    expect(run.shown).not.toContain('first-long-passphras');
    expect(await storedHash(dataDir, 'typo@example.test')).toBeUndefined();
  });
});

describe('fileforge users: a piped password', () => {
  it('is read from the first line of standard input', { timeout: 120_000 }, async () => {
    const dataDir = await makeTempDir();
    const env = { DATA_DIR: dataDir, BCRYPT_ROUNDS: '4', FILEFORGE_PASSWORD: '' };
    const run = await runBundledCli(bundle.path, ['users', 'create', '--email', 'pipe@example.test'], env, {
      input: 'piped-secret-passphrase\nignored second line\n',
    });
    expect(run.code, run.stderr).toBe(0);
    expect(`${run.stdout}${run.stderr}`).not.toContain('piped-secret');
    const hash = await storedHash(dataDir, 'pipe@example.test');
    expect(await bcrypt.compare('piped-secret-passphrase', hash!)).toBe(true);
  });
});
