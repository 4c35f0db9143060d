import { chmod, readdir, rm, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { createForge, openAuditTrailReadOnly } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupManifest } from '../src/backup/manifest.js';
import { catalogRows, recordedHashes, seedDataDir, servedHashes } from './support/backup.js';
import { readEntries, writeEntries } from './support/backup-archive.js';
import { spawnCli } from './support/child.js';
import { sha256 } from './support/fixtures.js';
import { makeTempDir, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

/** The installation's SECRET_KEY: the manifest is signed with a key derived from it. */
const SECRET_KEY = 'backup-restore-test-secret';

/** The audit entries of `dataDir` for `action` (a prefix such as `backup.*`), newest first. */
async function auditEntries(dataDir: string, action: string) {
  const trail = await openAuditTrailReadOnly(`sqlite:${join(dataDir, 'fileforge.db')}`);
  try {
    return (await trail.list({ action })).items;
  } finally {
    await trail.close();
  }
}

/** Runs `fileforge <args>` on `dataDir` to its end. */
async function cli(args: string[], dataDir: string, env: Record<string, string> = {}) {
  const child = spawnCli(args, { DATA_DIR: dataDir, LOG_LEVEL: 'warn', SECRET_KEY, ...env });
  const code = await child.exited;
  return { code, ...child.output() };
}

describe('fileforge backup and restore (issue 12)', () => {
  it('backs up while the server runs, and a wiped data directory restored from it (same SECRET_KEY) serves every file with its SHA-256 and the same catalog', {
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

    // Who made the archive is in the live trail (the operator), though not in the archive.
    expect(await auditEntries(dataDir, 'backup.*')).toEqual([
      expect.objectContaining({
        action: 'backup.create',
        actor: { type: 'cli', id: userInfo().username },
        target: { type: 'backup', id: null, name: basename(result.path) },
      }),
    ]);

    await rm(dataDir, { recursive: true, force: true });
    const restore = await cli(['restore', result.path], dataDir);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/^restored \d+ objects/);
    // The restored trail ends where the backup was taken; the restore is its next entry.
    expect(await auditEntries(dataDir, 'backup.*')).toEqual([
      expect.objectContaining({
        action: 'backup.restore',
        actor: { type: 'cli', id: userInfo().username },
        target: { type: 'backup', id: null, name: basename(result.path) },
        details: expect.objectContaining({
          signature: { verified: true, keyId: expect.stringMatching(/^secret-key:/) },
        }),
      }),
    ]);
    const verify = await cli(['audit', 'verify'], dataDir);
    expect(verify.code, verify.stdout).toBe(0);

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

  it('a blob damaged before the backup is reported by the backup and again by the restore (review)', {
    timeout: 120_000,
  }, async () => {
    const dataDir = await makeTempDir();
    const out = await makeTempDir('fileforge-backups-');
    let forge = await createForge({ dataDir });
    const kept = await forge.ingest(Readable.from([Buffer.from('intact content\n')]), { name: 'kept.txt' });
    const hurt = await forge.ingest(Readable.from([Buffer.from('original bytes\n')]), { name: 'hurt.txt' });
    await forge.close();
    // Same size, other bytes: only the catalog's SHA-256 can tell.
    await chmod(join(dataDir, 'uploads', hurt.blobKey), 0o600);
    await writeFile(join(dataDir, 'uploads', hurt.blobKey), 'damaged bytes!\n');
    const backup = await cli(['backup', '--output', out, '--json'], dataDir);
    expect(backup.code, backup.stderr).toBe(0);
    const made = JSON.parse(backup.stdout) as { path: string; damaged: string[] };
    expect(made.damaged).toEqual([hurt.blobKey]);

    await rm(dataDir, { recursive: true, force: true });
    const restore = await cli(['restore', made.path, '--json'], dataDir);
    expect(restore.code, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout)).toMatchObject({ missing: [], damaged: [hurt.blobKey] });
    expect(restore.stderr).toContain('do not match the SHA-256 their catalog records');
    forge = await createForge({ dataDir });
    try {
      expect(sha256(Buffer.concat(await (await forge.files.open(kept.id)).stream.toArray()))).toBe(
        kept.sha256,
      );
    } finally {
      await forge.close();
    }
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

  it('refuses an archive whose manifest was altered or that another installation signed, changing nothing; restores an unsigned one only with --allow-unverified', {
    timeout: 120_000,
  }, async () => {
    const dataDir = await makeTempDir();
    const out = await makeTempDir('fileforge-backups-');
    const { server } = await seedDataDir(dataDir);
    const backup = await cli(['backup', '--output', out], dataDir);
    expect(backup.code, backup.stderr).toBe(0);
    const archive = backup.stdout.trim();
    const served = await servedHashes(server.forge);
    await server.server.close();
    const before = catalogRows(dataDir);
    const entries = await readEntries(archive);
    const manifest = JSON.parse(
      entries.find((e) => e.header.name === 'manifest.json')!.body!.toString(),
    ) as BackupManifest;
    expect(manifest.signature).toMatchObject({
      alg: 'HMAC-SHA256',
      keyId: expect.stringMatching(/^secret-key:/),
    });
    const variant = async (name: string, changed: BackupManifest, blobs = entries) => {
      const path = join(out, name);
      await writeEntries(path, [
        ...blobs.filter((e) => e.header.name !== 'manifest.json'),
        { header: { name: 'manifest.json', type: 'file' }, body: Buffer.from(JSON.stringify(changed)) },
      ]);
      return path;
    };
    const unchanged = async () => {
      expect(catalogRows(dataDir)).toEqual(before);
      expect((await readdir(dataDir)).filter((n) => /restor/.test(n))).toEqual([]);
    };

    // A file swapped, its SHA-256 and size recomputed in the manifest: only the signature tells.
    const target = entries.find((e) => e.header.name.startsWith('blobs/'))!;
    const evil = Buffer.from('swapped content');
    const altered = await variant(
      'altered.tar.gz',
      {
        ...manifest,
        objects: manifest.objects.map((o) =>
          o.path === target.header.name ? { ...o, size: evil.length, sha256: sha256(evil) } : o,
        ),
      },
      entries.map((e) => (e === target ? { ...e, body: evil } : e)),
    );
    for (const flags of [[], ['--allow-unverified']]) {
      const refused = await cli(['restore', altered, ...flags], dataDir);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /altered after the backup was made; nothing was changed\. \(BACKUP_INVALID\)/,
      );
      await unchanged();
    }

    // The genuine archive, on an installation with another SECRET_KEY.
    const foreign = await cli(['restore', archive, '--json'], dataDir, {
      SECRET_KEY: 'another installation',
    });
    expect(foreign.code).toBe(1);
    expect(JSON.parse(foreign.stdout)).toMatchObject({
      error: {
        code: 'BACKUP_INVALID',
        reason: 'signature_key_unknown',
        message: expect.stringContaining('SECRET_KEY'),
      },
    });
    await unchanged();

    // An archive from before manifests were signed.
    const { signature: _signature, ...unsignedManifest } = manifest;
    const legacy = await variant('legacy.tar.gz', { ...unsignedManifest, version: 1 });
    const refused = await cli(['restore', legacy], dataDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not signed.*--allow-unverified.*\(BACKUP_INVALID\)/);
    await unchanged();
    const accepted = await cli(['restore', legacy, '--allow-unverified'], dataDir);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stderr).toMatch(/warning: restored an unsigned archive/);
    expect(catalogRows(dataDir)).toEqual(before);
    const forge = await createForge({ dataDir });
    try {
      expect(await servedHashes(forge)).toEqual(served);
    } finally {
      await forge.close();
    }
  });
});
