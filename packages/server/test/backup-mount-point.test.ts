import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createForge } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { servedHashes } from './support/backup.js';
import { type CliProcess, killHard, runCli } from './support/child.js';
import { makeTempDir, stopTestServers } from './support/server.js';
import { tmpfsMounts } from './support/tmpfs.js';

const children: CliProcess[] = [];
afterEach(async () => {
  await Promise.all(children.splice(0).map(killHard));
  await stopTestServers(); // removes the temp dirs: after the unmount (hooks run last-first)
});
const mountTmpfs = tmpfsMounts();

const cli = (args: string[], env: Record<string, string>) => runCli(args, env, children);

async function ingest(dataDir: string, name: string) {
  const forge = await createForge({ dataDir });
  try {
    await forge.ingest(Readable.from([Buffer.from(`${name} content\n`)]), { name });
  } finally {
    await forge.close();
  }
}

describe('restore into an upload folder that is its own mount point (review)', () => {
  it('is refused before anything changes, saying why: the files stored since the backup are all still served', {
    timeout: 120_000,
  }, async () => {
    const dataDir = await makeTempDir();
    const out = await makeTempDir('fileforge-backups-');
    const uploads = join(dataDir, 'uploads');
    await mkdir(uploads, { recursive: true });
    const cannot = mountTmpfs(uploads, '16m');
    if (cannot) {
      // A mount point cannot be simulated honestly without the mount: say why, and in CI fail.
      console.warn(`[backup-mount-point] skipped: ${cannot}`);
      if (process.env.CI === 'true') throw new Error(`this test needs a tmpfs mount in CI: ${cannot}`);
      return;
    }
    await ingest(dataDir, 'a.txt');
    const backup = await cli(['backup', '--output', out], { DATA_DIR: dataDir });
    expect(backup.code, backup.stderr).toBe(0);
    await ingest(dataDir, 'since-the-backup.txt');
    const before = await (async () => {
      const forge = await createForge({ dataDir });
      try {
        return await servedHashes(forge);
      } finally {
        await forge.close();
      }
    })();
    expect(Object.keys(before)).toHaveLength(2);

    const restore = await cli(['restore', backup.stdout.trim()], { DATA_DIR: dataDir });
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain('mount point');
    expect(restore.stderr).toContain('nothing was changed');
    // No journal, no staging, the live catalog and blobs as they were.
    expect((await readdir(dataDir)).filter((n) => /restor/.test(n))).toEqual([]);
    const forge = await createForge({ dataDir });
    try {
      expect(await servedHashes(forge)).toEqual(before);
    } finally {
      await forge.close();
    }
  });
});
