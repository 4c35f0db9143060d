import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createForge } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogRows, recordedHashes, seedDataDir, servedHashes } from './support/backup.js';
import { spawnCli } from './support/child.js';
import { makeTempDir, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

/** Runs `fileforge <args>` on `dataDir` to its end. */
async function cli(args: string[], dataDir: string) {
  const child = spawnCli(args, { DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const code = await child.exited;
  return { code, ...child.output() };
}

describe('fileforge backup and restore (issue 12)', () => {
  it('backs up while the server runs, and a wiped data directory restored from it serves every file with its SHA-256 and the same catalog', {
    timeout: 120_000,
  }, async () => {
    const dataDir = await makeTempDir();
    const out = await makeTempDir('fileforge-backups-');
    const { server } = await seedDataDir(dataDir);

    // The server holds the data-directory lock: backup must not need it.
    const backup = await cli(['backup', '--output', out, '--json'], dataDir);
    expect(backup.code, backup.stderr).toBe(0);
    const result = JSON.parse(backup.stdout) as {
      path: string;
      objects: number;
      missing: string[];
      damaged: string[];
    };
    expect(result.path.startsWith(out)).toBe(true);
    expect(result.missing).toEqual([]);
    expect(result.damaged).toEqual([]);
    expect(await readdir(out)).toEqual([result.path.slice(out.length + 1)]);

    const served = await servedHashes(server.forge);
    expect(served).toEqual(await recordedHashes(server.forge));
    // The catalog plus every original and derivative.
    expect(result.objects).toBe(1 + new Set(Object.keys(served)).size);
    await server.server.close();
    const before = catalogRows(dataDir);
    expect(before.files).toHaveLength(4);

    await rm(dataDir, { recursive: true, force: true });
    const restore = await cli(['restore', result.path], dataDir);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/^restored \d+ objects/);

    expect(catalogRows(dataDir)).toEqual(before);
    const forge = await createForge({ dataDir });
    try {
      expect(await servedHashes(forge)).toEqual(served);
    } finally {
      await forge.close();
    }
    // No staging copies or journal are left beside the data.
    const leftovers = (await readdir(dataDir)).filter((n) => /restor/.test(n));
    expect(leftovers).toEqual([]);
    expect((await readdir(join(dataDir, 'uploads'))).length).toBeGreaterThan(0);
  });

  it('refuses to restore while a server holds the data directory, and changes nothing', {
    timeout: 120_000,
  }, async () => {
    const dataDir = await makeTempDir();
    const out = await makeTempDir('fileforge-backups-');
    const { server } = await seedDataDir(dataDir);
    const backup = await cli(['backup', '--output', out], dataDir);
    expect(backup.code, backup.stderr).toBe(0);
    const before = await servedHashes(server.forge);

    const restore = await cli(['restore', backup.stdout.trim()], dataDir);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(/Stop the server before restoring; nothing was changed\. \(CONFLICT\)/);
    expect(await servedHashes(server.forge)).toEqual(before);
  });
});
