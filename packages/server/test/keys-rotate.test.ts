import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createForge } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnCli } from './support/child.js';
import { makeTempDir, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

const keyA = `a:${randomBytes(32).toString('base64')}`;
const keyB = `b:${randomBytes(32).toString('base64url')}`;

async function run(args: string[], env: Record<string, string>) {
  const cli = spawnCli(args, { LOG_LEVEL: 'silent', ...env });
  const code = await cli.exited;
  return { code, ...cli.output() };
}

// Issue 12: `fileforge keys rotate` re-wraps every blob under the current key, idempotently,
// after which the old key can be removed.
describe('fileforge keys rotate', () => {
  it('re-wraps old-key files, is a no-op the second time, and the old key can then go', async () => {
    const dataDir = await makeTempDir();
    const content = randomBytes(150_000);
    let forge = await createForge({ dataDir, encryption: { keys: [keyA] } });
    const { id } = await forge.ingest(Readable.from([content]), { name: 'old.bin' });
    await forge.close();

    const env = { DATA_DIR: dataDir, ENCRYPTION_KEY: keyB, ENCRYPTION_KEYS_OLD: keyA };
    const first = await run(['keys', 'rotate'], env);
    expect(first.stderr).toContain('rotating to key b');
    expect(first.stdout).toMatch(/^1 re-wrapped, 0 already current, 0 failed \(of 1\)/);
    expect(first.code).toBe(0);
    const again = await run(['keys', 'rotate'], env);
    expect(again.stdout).toMatch(/^0 re-wrapped, 1 already current, 0 failed/);

    forge = await createForge({ dataDir, encryption: { keys: [keyB] } });
    try {
      const { stream } = await forge.files.open(id);
      expect(Buffer.concat(await stream.toArray()).equals(content)).toBe(true);
    } finally {
      await forge.close();
    }

    // A blob under a key that is not configured is listed, and the exit code says so.
    const lost = await run(['keys', 'rotate'], { DATA_DIR: dataDir, ENCRYPTION_KEY: keyA });
    expect(lost.code).toBe(1);
    expect(lost.stderr).toContain('KEY_UNAVAILABLE');
  }, 60_000);

  it('explains itself with --help and refuses to run without ENCRYPTION_KEY', async () => {
    const help = await run(['keys', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('works while the server runs');
    const dataDir = await makeTempDir();
    const none = await run(['keys', 'rotate'], { DATA_DIR: dataDir, ENCRYPTION_KEY: '' });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('ENCRYPTION_KEY is not set');
  }, 60_000);
});
