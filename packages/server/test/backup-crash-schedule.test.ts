import { chmod, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createForge, openAuditTrailReadOnly } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { manifestKeys, signingKeyOf } from '../src/backup/manifest-signature.js';
import { listBackups } from '../src/backup/names.js';
import { pruneBackups, startBackupSchedule } from '../src/backup/schedule.js';
import { seedDataDir, servedHashes } from './support/backup.js';
import {
  type CliProcess,
  freePort,
  killHard,
  runCli,
  serveEnv,
  spawnCli,
  waitForHealthy,
} from './support/child.js';
import { eventually, makeTempDir, startTestServer, stopTestServers } from './support/server.js';

const children: CliProcess[] = [];
afterEach(async () => {
  await Promise.all(children.splice(0).map(killHard));
  await stopTestServers();
});

const cli = (args: string[], env: Record<string, string>) => runCli(args, env, children);

describe('backups and crashes (issue 12)', () => {
  it('SIGKILL during a backup leaves no complete backup, and the next backup succeeds and removes the leftover', {
    timeout: 120_000,
  }, async () => {
    const dataDir = await makeTempDir();
    const out = await makeTempDir('fileforge-backups-');
    await chmod(out, 0o755); // an existing output folder others may list (a mounted volume)
    const { server } = await seedDataDir(dataDir);
    await server.server.close();

    const killed = await cli(['backup', '--output', out], {
      DATA_DIR: dataDir,
      FILEFORGE_CRASH_AT: 'mid-backup',
    });
    expect(killed.code).toBe('SIGKILL');
    expect(await listBackups(out)).toEqual([]);
    const leftovers = (await readdir(out)).filter((n) => n.endsWith('.partial'));
    expect(leftovers.length).toBeGreaterThan(0);
    // The catalog copy (password hashes, sealed secrets, text) and the archive are private.
    for (const name of leftovers) expect((await stat(join(out, name))).mode & 0o077, name).toBe(0);
    // A kill while SQLite copied the catalog leaves its rollback journal beside the copy.
    const catalogCopy =
      leftovers.find((n) => n.endsWith('.db.partial')) ?? leftovers[0]!.replace('.tar.gz.', '.db.');
    await writeFile(join(out, `${catalogCopy}-journal`), '');

    const again = await cli(['backup', '--output', out], { DATA_DIR: dataDir });
    expect(again.code, again.stderr).toBe(0);
    expect(await readdir(out)).toEqual([again.stdout.trim().slice(out.length + 1)]);
  });

  it('SIGKILL during a restore leaves the old data fully served; the next restore cleans up and succeeds', {
    timeout: 120_000,
  }, async () => {
    const dataDir = await makeTempDir();
    const out = await makeTempDir('fileforge-backups-');
    const { server } = await seedDataDir(dataDir);
    const served = await servedHashes(server.forge);
    await server.server.close();
    const backup = await cli(['backup', '--output', out], { DATA_DIR: dataDir });
    const archive = backup.stdout.trim();

    const killed = await cli(['restore', archive], { DATA_DIR: dataDir, FILEFORGE_CRASH_AT: 'mid-restore' });
    expect(killed.code).toBe('SIGKILL');
    const forge = await createForge({ dataDir });
    try {
      expect(await servedHashes(forge)).toEqual(served);
    } finally {
      await forge.close();
    }
    expect((await readdir(dataDir)).some((n) => n.endsWith('.restoring'))).toBe(true);

    const again = await cli(['restore', archive], { DATA_DIR: dataDir });
    expect(again.code, again.stderr).toBe(0);
    expect((await readdir(dataDir)).filter((n) => /restor/.test(n))).toEqual([]);
    const restored = await createForge({ dataDir });
    try {
      expect(await servedHashes(restored)).toEqual(served);
    } finally {
      await restored.close();
    }
  });
});

describe('scheduled backups (issue 12)', () => {
  it('prunes by age and by count, always keeping the newest', async () => {
    const dir = await makeTempDir('fileforge-backups-');
    const names = [
      'fileforge-backup-20240101T000000000Z-aaaaaa.tar.gz',
      'fileforge-backup-20260101T000000000Z-bbbbbb.tar.gz',
      'fileforge-backup-20260102T000000000Z-cccccc.tar.gz',
      'fileforge-backup-20260103T000000000Z-dddddd.tar.gz',
      'unrelated.txt',
    ];
    for (const name of names) await writeFile(join(dir, name), 'x');
    const now = new Date('2026-01-04T00:00:00Z');
    await pruneBackups(dir, { retentionMs: 30 * 86_400_000, maxCount: 2, now });
    expect((await readdir(dir)).sort()).toEqual([names[2], names[3], 'unrelated.txt']);
    await pruneBackups(dir, { retentionMs: 1, maxCount: 10, now });
    expect((await readdir(dir)).sort()).toEqual([names[3], 'unrelated.txt']);
  });

  it('makes a backup every interval while the forge runs, and stops on close', {
    timeout: 60_000,
  }, async () => {
    const server = await startTestServer();
    const out = await makeTempDir('fileforge-backups-');
    const runs: unknown[] = [];
    const schedule = startBackupSchedule({
      databaseUrl: `sqlite:${join(server.dataDir, 'fileforge.db')}`,
      blobs: server.forge.blobs,
      outputDir: out,
      signingKey: signingKeyOf(manifestKeys({ secretKey: 'schedule-test-secret' })),
      intervalMs: 200,
      retentionMs: 86_400_000,
      maxCount: 2,
      logger: { info: () => {}, error: () => {} },
      onRun: (outcome) => {
        runs.push(outcome);
      },
    });
    await eventually(async () => (runs.length >= 3 ? true : undefined), 'three scheduled backups never ran', {
      timeoutMs: 30_000,
    });
    await schedule.stop();
    expect(runs.every((r) => (r as { error?: unknown }).error === undefined)).toBe(true);
    const count = runs.length;
    expect((await listBackups(out)).length).toBe(2);
    await new Promise((r) => setTimeout(r, 600));
    expect(runs.length).toBe(count);
  });

  it('fileforge serve with BACKUP_ENABLED writes backups into BACKUP_DIR', { timeout: 120_000 }, async () => {
    const dataDir = await makeTempDir();
    const out = await makeTempDir('fileforge-backups-');
    const port = await freePort();
    const serve = spawnCli(
      ['serve'],
      serveEnv(port, dataDir, { BACKUP_ENABLED: 'true', BACKUP_INTERVAL_HOURS: '0.0003', BACKUP_DIR: out }),
    );
    children.push(serve);
    await waitForHealthy(`http://127.0.0.1:${port}`, serve);
    await eventually(
      async () => ((await listBackups(out)).length > 0 ? true : undefined),
      'no scheduled backup',
      {
        timeoutMs: 60_000,
      },
    );
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    // Each scheduled backup is in the audit trail, FileForge itself as actor.
    const names = (await listBackups(out)).map((b) => basename(b.path));
    const trail = await openAuditTrailReadOnly(`sqlite:${join(dataDir, 'fileforge.db')}`);
    try {
      const { items } = await trail.list({ action: 'backup.create' });
      expect(items.length).toBeGreaterThan(0);
      for (const entry of items) {
        expect(entry.actor).toEqual({ type: 'system', id: null });
        expect(entry.details).toMatchObject({
          signedWith: expect.stringMatching(/^secret-key:/),
          missing: 0,
        });
      }
      // Pruning may have removed older archives since; the newest entry names one still there.
      expect(names).toContain(items[0]!.target.name);
    } finally {
      await trail.close();
    }
  });
});
