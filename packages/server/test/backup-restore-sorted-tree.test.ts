/**
 * `fileforge restore` and the sorted folder: the tree on disk is a view of the catalog, so after
 * a restore it shows the restored files at their restored places — not the files sorted since
 * the backup, not links to blobs no longer stored — and files people put there stay.
 */
import { access, lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { createForge, type Forge } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliProcess, freePort, serveEnv, spawnCli, waitForHealthy } from './support/child.js';
import { makeTempDir, stopTestServers } from './support/server.js';

const children: CliProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.child.kill('SIGKILL');
  await stopTestServers();
});

const SECRET_KEY = 'backup-restore-sorted-tree-secret';

async function cli(args: string[], dataDir: string, env: Record<string, string> = {}) {
  const child = spawnCli(args, { DATA_DIR: dataDir, LOG_LEVEL: 'warn', SECRET_KEY, ...env });
  const code = await child.exited;
  return { code, ...child.output() };
}

/** Every file under `root`, relative, sorted. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

const rule = (destination: string) => ({
  id: 'notes',
  category: 'notes',
  conditions: [{ field: 'name', op: 'glob', value: '*.txt' }],
  destination,
});

async function addText(forge: Forge, name: string) {
  const record = await forge.ingest(Readable.from([Buffer.from(`the text of ${name}\n`)]), { name });
  await forge.queue.onIdle();
  return record.id;
}

/**
 * A data directory whose backup holds a.txt and b.txt under notes/, and whose live data since
 * moved them (and a later c.txt) under archive/, with a file of someone's own in the tree.
 */
async function sortedSinceBackup() {
  const dataDir = await makeTempDir();
  const out = await makeTempDir('fileforge-backups-');
  const sorted = join(dataDir, 'sorted', 'default');

  let forge = await createForge({ dataDir });
  const ids = [await addText(forge, 'a.txt'), await addText(forge, 'b.txt')];
  await forge.sorter.apply({ rules: [rule('notes/{name}{ext}')] });
  await forge.close();
  expect(await filesUnder(sorted)).toEqual(['notes/a.txt', 'notes/b.txt']);

  const backup = await cli(['backup', '--output', out, '--json'], dataDir);
  expect(backup.code, backup.stderr).toBe(0);
  const archive = (JSON.parse(backup.stdout) as { path: string }).path;

  // After the backup: the files move, one more arrives, and someone keeps a file of their own there.
  forge = await createForge({ dataDir });
  await addText(forge, 'c.txt');
  await forge.sorter.apply({ rules: [rule('archive/{name}{ext}')] });
  await forge.close();
  expect(await filesUnder(sorted)).toEqual(['archive/a.txt', 'archive/b.txt', 'archive/c.txt']);
  await mkdir(join(sorted, 'mine'), { recursive: true });
  await writeFile(join(sorted, 'mine', 'todo.txt'), 'my own file\n');
  return { dataDir, sorted, ids, archive };
}

/** The tree shows the backup's files, each a link to its restored blob, and the person's file. */
async function expectRestoredTree(dataDir: string, sorted: string, ids: string[]) {
  expect(await filesUnder(sorted)).toEqual(['mine/todo.txt', 'notes/a.txt', 'notes/b.txt']);
  expect(await readFile(join(sorted, 'mine', 'todo.txt'), 'utf8')).toBe('my own file\n');
  const forge = await createForge({ dataDir });
  try {
    for (const [i, id] of ids.entries()) {
      const record = await forge.files.get(id);
      expect(record?.path).toBe(`notes/${['a', 'b'][i]}.txt`);
      // The entry is the restored blob itself (a hard link), not the file stored before.
      const blob = forge.blobs.localPath!(record!.blobKey);
      const [entry, stored] = await Promise.all([lstat(join(sorted, record!.path!)), lstat(blob)]);
      expect({ dev: entry.dev, ino: entry.ino }).toEqual({ dev: stored.dev, ino: stored.ino });
    }
  } finally {
    await forge.close();
  }
}

/** The tree as {@link sortedSinceBackup} leaves it: the files since the backup, and the person's. */
const BEFORE_RESTORE = ['archive/a.txt', 'archive/b.txt', 'archive/c.txt', 'mine/todo.txt'];

const notedFile = (dataDir: string) => join(dataDir, 'restore-sorted-tree.json');
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('fileforge restore and the sorted folder', () => {
  it('rebuilds the tree from the restored catalog: restored places linked to restored blobs, later ones gone, people’s files kept', {
    timeout: 120_000,
  }, async () => {
    const { dataDir, sorted, ids, archive } = await sortedSinceBackup();

    const restore = await cli(['restore', archive, '--json'], dataDir);
    expect(restore.code, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout)).toMatchObject({
      sortedFolder: { placed: 2, removed: 3, occupied: [], failed: [] },
    });

    await expectRestoredTree(dataDir, sorted, ids);
    expect(await exists(notedFile(dataDir))).toBe(false);
    const fsck = await cli(['fsck'], dataDir);
    expect(fsck.code, fsck.stdout + fsck.stderr).toBe(0);
  });

  it('a restore killed after its swap, before the rebuild: the next serve rebuilds the tree', {
    timeout: 120_000,
  }, async () => {
    const { dataDir, sorted, ids, archive } = await sortedSinceBackup();

    const killed = await cli(['restore', archive], dataDir, { FILEFORGE_CRASH_AT: 'mid-restore:swapped' });
    expect(killed.code).toBe('SIGKILL');
    // The data is restored; the tree still shows the files as they were before it.
    expect(await filesUnder(sorted)).toEqual(BEFORE_RESTORE);
    expect(await exists(notedFile(dataDir))).toBe(true);

    const port = await freePort();
    const serve = spawnCli(['serve'], { ...serveEnv(port, dataDir), SECRET_KEY });
    children.push(serve);
    await waitForHealthy(`http://127.0.0.1:${port}`, serve);
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);

    await expectRestoredTree(dataDir, sorted, ids);
    expect(await exists(notedFile(dataDir))).toBe(false);
  });

  it('a refused restore leaves the tree and nothing noted behind', { timeout: 120_000 }, async () => {
    const { dataDir, sorted, archive } = await sortedSinceBackup();
    const tampered = join(await makeTempDir('fileforge-cut-'), 'cut.tar');
    const bytes = await readFile(archive);
    await writeFile(tampered, bytes.subarray(0, Math.floor(bytes.length / 2)));

    const refused = await cli(['restore', tampered], dataDir);
    expect(refused.code, refused.stderr).toBe(1);
    expect(await filesUnder(sorted)).toEqual(BEFORE_RESTORE);
    expect(await exists(notedFile(dataDir))).toBe(false);
  });
});
