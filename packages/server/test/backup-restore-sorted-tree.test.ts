/**
 * `fileforge restore` and the sorted folder: the tree on disk is a view of the catalog, so after
 * a restore it shows the restored files at their restored places — not the files sorted since
 * the backup, not links to blobs no longer stored — and files people put there stay.
 */
import { lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { createForge, type Forge } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnCli } from './support/child.js';
import { makeTempDir, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

const SECRET_KEY = 'backup-restore-sorted-tree-secret';

async function cli(args: string[], dataDir: string) {
  const child = spawnCli(args, { DATA_DIR: dataDir, LOG_LEVEL: 'warn', SECRET_KEY });
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

describe('fileforge restore and the sorted folder', () => {
  it('rebuilds the tree from the restored catalog: restored places linked to restored blobs, later ones gone, people’s files kept', {
    timeout: 120_000,
  }, async () => {
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

    const restore = await cli(['restore', archive, '--json'], dataDir);
    expect(restore.code, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout)).toMatchObject({
      sortedFolder: { placed: 2, removed: 3, occupied: [], failed: [] },
    });

    expect(await filesUnder(sorted)).toEqual(['mine/todo.txt', 'notes/a.txt', 'notes/b.txt']);
    expect(await readFile(join(sorted, 'mine', 'todo.txt'), 'utf8')).toBe('my own file\n');
    forge = await createForge({ dataDir });
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
    const fsck = await cli(['fsck'], dataDir);
    expect(fsck.code, fsck.stdout + fsck.stderr).toBe(0);
  });
});
