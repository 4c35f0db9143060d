import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { coreMigrations, createForge, FileForgeError, openBlobStore } from '@fileforge/core';
import { createRng } from '@fileforge/test-fixtures/random';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BackupManifest, CATALOG_ENTRY } from '../src/backup/manifest.js';
import { manifestKeys, signingKeyOf, signManifest } from '../src/backup/manifest-signature.js';
import { restoreBackup } from '../src/backup/restore.js';
import { createBackup } from '../src/backup/snapshot.js';
import { SERVER_MODULES } from '../src/commands/migrate.js';
import { catalogRows, seedDataDir, servedHashes } from './support/backup.js';
import { readEntries, type TestEntry, writeEntries } from './support/backup-archive.js';
import { sha256 } from './support/fixtures.js';
import { makeTempDir, stopTestServers } from './support/server.js';

let dataDir: string;
let archive: string;
let good: TestEntry[];
let before: Record<string, unknown[]>;
let served: Record<string, string>;
let work: string;
const keys = manifestKeys({ secretKey: 'hostile-test-secret' });

beforeAll(async () => {
  dataDir = await makeTempDir();
  work = await makeTempDir('fileforge-hostile-');
  const { server } = await seedDataDir(dataDir);
  served = await servedHashes(server.forge);
  ({ path: archive } = await createBackup({
    databaseUrl: `sqlite:${join(dataDir, 'fileforge.db')}`,
    blobs: server.forge.blobs,
    outputDir: work,
    signingKey: signingKeyOf(keys),
  }));
  await server.server.close();
  before = catalogRows(dataDir);
  good = await readEntries(archive);
}, 120_000);

afterAll(stopTestServers);

afterEach(async () => {
  // Nothing changed: same catalog, every file served with its SHA-256, no staging left.
  expect(catalogRows(dataDir)).toEqual(before);
  expect((await readdir(dataDir)).filter((n) => /restor/.test(n))).toEqual([]);
});

const restore = (
  path: string,
  limits = {},
  allowUnverified = false,
  modules?: Parameters<typeof restoreBackup>[0]['modules'],
) =>
  restoreBackup({
    archive: path,
    dataDir,
    databaseUrl: `sqlite:${join(dataDir, 'fileforge.db')}`,
    uploadFolder: join(dataDir, 'uploads'),
    openStore: (root) => openBlobStore({ root }),
    limits,
    keys,
    allowUnverified,
    ...(modules ? { modules } : {}),
  });

async function refusal(entries: TestEntry[], limits = {}, allowUnverified = false) {
  const path = join(work, `hostile-${Math.random().toString(36).slice(2)}.tar.gz`);
  await writeEntries(path, entries);
  const error = await restore(path, limits, allowUnverified).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(FileForgeError.is(error), String(error)).toBe(true);
  const e = error as FileForgeError;
  expect(e.code).toBe('BACKUP_INVALID');
  return (e.details as { reason: string }).reason;
}

const blobEntry = () => good.find((e) => e.header.name.startsWith('blobs/'))!;
const manifestOf = (entries: TestEntry[]) =>
  JSON.parse(entries.find((e) => e.header.name === 'manifest.json')!.body!.toString()) as BackupManifest;
/** The archive with `manifest` as its manifest, written as is (no signing). */
const withManifest = (entries: TestEntry[], manifest: unknown): TestEntry[] => [
  ...entries.filter((e) => e.header.name !== 'manifest.json'),
  { header: { name: 'manifest.json', type: 'file' }, body: Buffer.from(JSON.stringify(manifest)) },
];
/** The archive with `manifest` signed by this installation's key: the other checks still refuse it. */
const withSignedManifest = (entries: TestEntry[], { signature: _old, ...manifest }: BackupManifest) =>
  withManifest(entries, { ...manifest, signature: signManifest(manifest, signingKeyOf(keys)) });

describe('fileforge restore refuses hostile archives (issue 12)', () => {
  it('refuses a path-traversal entry (unsafe_path)', async () => {
    const entries = [
      { header: { name: '../../evil.txt', type: 'file' as const }, body: Buffer.from('x') },
      ...good,
    ];
    expect(await refusal(entries)).toBe('unsafe_path');
    expect(await refusal([{ header: { name: '/etc/evil', type: 'file' }, body: Buffer.from('x') }])).toBe(
      'unsafe_path',
    );
  });

  it('refuses symlink and hardlink entries (link_entry)', async () => {
    const link: TestEntry = {
      header: { name: 'blobs/default/link', type: 'symlink', linkname: '/etc/passwd' },
    };
    expect(await refusal([link, ...good])).toBe('link_entry');
    const hard: TestEntry = {
      header: { name: 'blobs/default/hard', type: 'link', linkname: 'catalog/fileforge.db' },
    };
    expect(await refusal([...good.slice(0, 1), hard])).toBe('link_entry');
  });

  it('refuses a compression bomb (compression_ratio) and an archive over the size limit (too_large)', {
    timeout: 60_000,
  }, async () => {
    const bomb: TestEntry = {
      header: { name: 'blobs/default/zeros', type: 'file' },
      zeros: 256 * 1024 * 1024,
    };
    expect(await refusal([bomb])).toBe('compression_ratio');
    expect(await refusal(good, { maxBytes: 1024 })).toBe('too_large');
    expect(await refusal(good, { maxEntries: 2 })).toBe('too_many_entries');
  });

  it('refuses a tampered object (checksum_mismatch), a size the manifest does not say (size_mismatch), an entry not in the manifest and a missing one', async () => {
    const target = blobEntry();
    const tampered = Buffer.from(target.body!);
    tampered[0] = (tampered[0] ?? 0) ^ 0xff;
    expect(await refusal(good.map((e) => (e === target ? { ...e, body: tampered } : e)))).toBe(
      'checksum_mismatch',
    );

    const longer = Buffer.concat([target.body!, Buffer.from('more')]);
    expect(await refusal(good.map((e) => (e === target ? { ...e, body: longer } : e)))).toBe('size_mismatch');

    const extra: TestEntry = {
      header: { name: 'blobs/default/extra', type: 'file' },
      body: Buffer.from('x'),
    };
    expect(await refusal([extra, ...good])).toBe('unexpected_entry');

    expect(await refusal(good.filter((e) => e !== target))).toBe('missing_object');
    const manifest = manifestOf(good);
    const unlisted = { ...manifest, objects: manifest.objects.filter((o) => o.path !== target.header.name) };
    expect(await refusal(withSignedManifest(good, unlisted))).toBe('unexpected_entry');
  });

  it('refuses a manifest altered after signing (signature_mismatch), even with allowUnverified', async () => {
    // The attack SHA-256s alone cannot stop: an object replaced and its hash and size recomputed.
    const target = blobEntry();
    const swapped = Buffer.from('not what was backed up');
    const manifest = manifestOf(good);
    const altered = {
      ...manifest,
      objects: manifest.objects.map((o) =>
        o.path === target.header.name ? { ...o, size: swapped.length, sha256: sha256(swapped) } : o,
      ),
    };
    const entries = withManifest(
      good.map((e) => (e === target ? { ...e, body: swapped } : e)),
      altered,
    );
    expect(await refusal(entries)).toBe('signature_mismatch');
    expect(await refusal(entries, {}, true)).toBe('signature_mismatch');
    // Same objects, one field of the manifest edited.
    expect(await refusal(withManifest(good, { ...manifest, createdAt: '2020-01-01T00:00:00.000Z' }))).toBe(
      'signature_mismatch',
    );
    // A blob declared unreadable (never restored) or that declaration stripped: both covered.
    const key = target.header.name.slice('blobs/'.length);
    expect(await refusal(withManifest(good, { ...manifest, unreadable: [key] }))).toBe('signature_mismatch');
    const declared = { ...manifest, unreadable: [key] };
    const signed = { ...declared, signature: signManifest(declared, signingKeyOf(keys)) };
    const { unreadable: _stripped, ...stripped } = signed;
    expect(await refusal(withManifest(good, stripped))).toBe('signature_mismatch');
  });

  it('refuses a manifest another installation signed (signature_key_unknown) and an unsigned one (unsigned)', async () => {
    const { signature: _signature, ...manifest } = manifestOf(good);
    const other = signingKeyOf(manifestKeys({ secretKey: 'another installation' }));
    expect(other.id).not.toBe(signingKeyOf(keys).id);
    expect(await refusal(withManifest(good, { ...manifest, signature: signManifest(manifest, other) }))).toBe(
      'signature_key_unknown',
    );
    // Stripped, or from before manifests were signed (version 1).
    expect(await refusal(withManifest(good, manifest))).toBe('unsigned');
    expect(await refusal(withManifest(good, { ...manifest, version: 1 }))).toBe('unsigned');
  });

  it('refuses a catalog made by a newer FileForge (a migration this one lacks), signed or not', async () => {
    const catalogEntry = good.find((e) => e.header.name === CATALOG_ENTRY)!;
    const file = join(work, `newer-${Math.random().toString(36).slice(2)}.db`);
    await writeFile(file, catalogEntry.body!);
    const db = new Database(file);
    db.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run(
      '9999_future_feature',
      new Date().toISOString(),
    );
    db.close();
    const body = await readFile(file);
    const manifest = manifestOf(good);
    const entries = good.map((e) => (e.header.name === CATALOG_ENTRY ? { ...e, body } : e));
    const newer = withSignedManifest(entries, {
      ...manifest,
      objects: manifest.objects.map((o) =>
        o.path === CATALOG_ENTRY ? { ...o, size: body.length, sha256: sha256(body) } : o,
      ),
    });
    const path = join(work, `newer-${Math.random().toString(36).slice(2)}.tar.gz`);
    await writeEntries(path, newer);
    const error = await restore(path, {}, false, [coreMigrations, ...SERVER_MODULES]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'BACKUP_INVALID', details: { reason: 'newer_version' } });
  });

  it('refuses an archive cut short (no manifest) and something that is not a backup', async () => {
    expect(await refusal(good.filter((e) => e.header.name !== 'manifest.json'))).toBe('incomplete');
    expect(await refusal(withManifest(good, { hello: 'world' }))).toBe('not_a_backup');
  });

  it('refuses every archive with bytes flipped or cut off, in the gzip stream or in the tar inside, with BACKUP_INVALID (seeded fuzz)', {
    timeout: 120_000,
  }, async () => {
    const gz = await readFile(archive);
    const tar = gunzipSync(gz);
    const reasons = new Map<string, number>();
    for (let seed = 1; seed <= 40; seed++) {
      const r = createRng(seed);
      let bytes: Buffer;
      if (seed % 4 === 0) {
        // Cut short anywhere.
        bytes = gz.subarray(0, r.int(0, gz.length - 1));
      } else {
        // Bytes flipped past the gzip header (whose time and OS bytes nothing checks), or in
        // the tar itself, recompressed so only the tar reader and the manifest stand guard.
        const inTar = seed % 2 === 0;
        bytes = Buffer.from(inTar ? tar : gz);
        for (let i = r.int(1, 4); i > 0; i--) {
          const at = inTar ? r.int(0, bytes.length - 1) : r.int(10, bytes.length - 1);
          bytes[at] = (bytes[at]! ^ r.int(1, 255)) & 0xff;
        }
        if (inTar) {
          // A flip in the tar's zero padding changes nothing anyone reads: skip such a case.
          if (bytes.equals(tar) || !changesContent(tar, bytes)) continue;
          bytes = gzipSync(bytes, { level: 1 });
        }
      }
      const path = join(work, `fuzz-${seed}.tar.gz`);
      await writeFile(path, bytes);
      const error = await restore(path).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(FileForgeError.is(error), `seed ${seed}: ${String(error)}`).toBe(true);
      const e = error as FileForgeError;
      expect(e.code, `seed ${seed}: ${e.message}`).toBe('BACKUP_INVALID');
      const reason = (e.details as { reason: string }).reason;
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    // The cases reach both the archive's framing (truncated, corrupt) and the checks of what
    // it holds against the manifest.
    expect(reasons.get('incomplete'), JSON.stringify([...reasons])).toBeGreaterThan(0);
    expect(reasons.size, JSON.stringify([...reasons])).toBeGreaterThanOrEqual(2);
  });

  it('settles every blob write it started before it refuses an archive cut inside a blob', async () => {
    // A big incompressible blob first, the archive cut in its middle: the reader fails while
    // that blob is being stored. The store here finishes each put a little late, as a slow
    // disk does; the restore must wait for it before it removes its staging copies.
    const big = { ...blobEntry(), body: randomBytes(4 * 1024 * 1024) };
    const full = join(work, 'cut-in-blob.tar.gz');
    await writeEntries(full, [big, ...good.filter((e) => e !== blobEntry())]);
    const gz = await readFile(full);
    const path = join(work, 'cut-in-blob-short.tar.gz');
    await writeFile(path, gz.subarray(0, gz.length >> 1));
    let writing = 0;
    const error = await restoreBackup({
      archive: path,
      dataDir,
      databaseUrl: `sqlite:${join(dataDir, 'fileforge.db')}`,
      uploadFolder: join(dataDir, 'uploads'),
      openStore: async (root) => {
        const store = await openBlobStore({ root });
        return Object.assign(Object.create(store) as typeof store, {
          async put(...args: Parameters<typeof store.put>) {
            writing++;
            try {
              return await store.put(...args);
            } finally {
              await new Promise((r) => setTimeout(r, 200));
              writing--;
            }
          },
        });
      },
      keys,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(writing).toBe(0);
    expect(error).toMatchObject({ code: 'BACKUP_INVALID', details: { reason: 'incomplete' } });
  });

  it('still serves every file afterwards', async () => {
    const forge = await createForge({ dataDir });
    try {
      expect(await servedHashes(forge)).toEqual(served);
    } finally {
      await forge.close();
    }
  });
});

/** Whether `mutated` differs from `tar` in a 512-byte block that is not all zeros in `tar` (a header or data). */
function changesContent(tar: Buffer, mutated: Buffer): boolean {
  for (let at = 0; at < tar.length; at += 512) {
    const block = tar.subarray(at, at + 512);
    if (!block.equals(mutated.subarray(at, at + 512)) && block.some((b) => b !== 0)) return true;
  }
  return false;
}
