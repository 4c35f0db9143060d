import { lstatSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Forge } from '@fileforge/core';
import { describe, expect, it } from 'vitest';
import { addFile, allFiles, testForges, treeProblems, walk } from './support/sorted-tree.js';

const { newForge } = testForges('fileforge-sorted-runs-');

const into = (folder: string) => [
  {
    id: folder,
    conditions: [{ field: 'ext', op: 'eq', value: 'txt' }],
    destination: `${folder}/{name}{ext}`,
  },
];

/** The catalog's records and the sorted folder on disk (names, inodes, sizes, times). */
async function snapshot(forge: Forge) {
  const root = join(forge.options.sortedFolder, 'default');
  const disk = walk(root).map((p) => {
    const s = lstatSync(join(root, p));
    return [p, s.ino, s.size, s.mtimeMs, s.nlink];
  });
  const runs = (await forge.sorter.runs.list()).items;
  return JSON.stringify({ files: await allFiles(forge), disk, runs });
}

async function addMany(forge: Forge, n: number) {
  for (let i = 0; i < n; i++) {
    await forge.ingest(Readable.from([Buffer.from(`file number ${i}\n`)]), {
      name: `f${String(i).padStart(3, '0')}.txt`,
    });
  }
  await forge.queue.onIdle();
}

describe('sorted tree: simulate, runs and undo (issue 10)', () => {
  it('simulate returns the plan and changes nothing: catalog rows and the sorted folder stay byte-identical', async () => {
    const forge = await newForge();
    await addMany(forge, 5);
    await forge.sorter.apply({ rules: into('first') });
    const other = await addFile(forge, 'f000.txt', 'same name, other content\n');
    const before = await snapshot(forge);
    const { items } = await forge.sorter.simulate({ rules: into('second') });
    expect(await snapshot(forge)).toBe(before);
    expect(items).toHaveLength(6);
    const line = items.find((i) => i.fileId === other.id);
    expect(line).toMatchObject({ from: null, to: 'second/f000 2.txt', ruleId: 'second', action: 'move' });
    expect(line?.reason).toMatch(/renamed/);
    expect(items.filter((i) => i.from?.startsWith('first/'))).toHaveLength(5);
  });

  it('a run that stops at a failing move names itself in the error (relative path, run id) and can be undone', async () => {
    const forge = await newForge();
    await addMany(forge, 3);
    // A stray file on disk (not in the catalog, so no plan sees it) where a destination needs a
    // folder: that move fails, after the two before it.
    const tree = join(forge.options.sortedFolder, 'default');
    await mkdir(tree, { recursive: true });
    await writeFile(join(tree, 'zz'), 'in the way\n');
    const rules = [
      {
        id: 'a',
        conditions: [{ field: 'name', op: 'glob', value: 'f00[01].txt' }],
        destination: 'aa/{name}{ext}',
      },
      {
        id: 'c',
        conditions: [{ field: 'name', op: 'eq', value: 'f002.txt' }],
        destination: 'zz/{name}{ext}',
      },
    ];
    const error = await forge.sorter.apply({ rules }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFLICT', details: { runStatus: 'partial' } });
    expect((error as { details: { path: string } }).details.path).toMatch(/^zz/);
    const details = (error as { details: { runId: string; moved: number } }).details;
    expect(details.moved).toBe(2);
    expect((error as Error).message).not.toContain(forge.options.sortedFolder);
    expect(await forge.sorter.runs.get(details.runId)).toMatchObject({ status: 'partial', moved: 2 });
    expect(await forge.sorter.undo(details.runId)).toMatchObject({ status: 'undone', undone: 2 });
    await rm(join(tree, 'zz'));
    expect(await treeProblems(forge)).toEqual([]);
  });

  it('undo restores a 500-file run exactly', { timeout: 120_000 }, async () => {
    const forge = await newForge();
    await addMany(forge, 500);
    await forge.sorter.apply({ rules: into('first') });
    const before = JSON.stringify({
      paths: (await allFiles(forge)).map((f) => [f.id, f.path]),
      disk: walk(join(forge.options.sortedFolder, 'default')),
    });
    const run = await forge.sorter.apply({ rules: into('second') });
    expect(run).toMatchObject({ status: 'applied', moved: 500 });
    expect(walk(join(forge.options.sortedFolder, 'default')).every((p) => p.startsWith('second/'))).toBe(
      true,
    );

    const undone = await forge.sorter.undo(run.id);
    expect(undone).toMatchObject({ status: 'undone', undone: 500, stopped: null });
    expect(
      JSON.stringify({
        paths: (await allFiles(forge)).map((f) => [f.id, f.path]),
        disk: walk(join(forge.options.sortedFolder, 'default')),
      }),
    ).toBe(before);
    expect(await treeProblems(forge)).toEqual([]);
    // Undoing again does nothing more.
    expect(await forge.sorter.undo(run.id)).toMatchObject({ status: 'undone', undone: 0, stopped: null });
  });

  it('undo stops safely at a file modified since, reports it, and leaves it and the rest alone', {
    timeout: 120_000,
  }, async () => {
    const forge = await newForge();
    await addMany(forge, 500);
    const run = await forge.sorter.apply({ rules: into('second') });
    const moves = run.moves;
    const victim = moves[300];
    if (!victim?.to) throw new Error('no move');
    // Someone saves a new version over the sorted entry (write elsewhere, rename over).
    const entry = join(forge.options.sortedFolder, 'default', ...victim.to.split('/'));
    writeFileSync(`${entry}.new`, 'edited by hand\n');
    renameSync(`${entry}.new`, entry);

    const undone = await forge.sorter.undo(run.id);
    expect(undone.stopped).toMatchObject({
      fileId: victim.fileId,
      path: victim.to,
      reason: 'changed-on-disk',
    });
    expect(undone.undone).toBe(199);
    expect(undone.status).toBe('partial');
    const paths = new Map((await allFiles(forge)).map((f) => [f.id, f.path]));
    for (const m of moves) expect(paths.get(m.fileId)).toBe(m.seq > 300 ? null : m.to);
  });

  it('undo stops at a file moved since the run', async () => {
    const forge = await newForge();
    await addMany(forge, 3);
    const run = await forge.sorter.apply({ rules: into('second') });
    const moved = run.moves[1];
    await forge.sorter.rules.put('default', into('elsewhere')[0]);
    await forge.sorter.sortFile('default', moved?.fileId as string);
    const undone = await forge.sorter.undo(run.id);
    expect(undone.stopped).toMatchObject({ fileId: moved?.fileId, reason: 'moved-since' });
    expect(undone.undone).toBe(1);
    expect(await treeProblems(forge)).toEqual([]);
  });

  it('undo passes over a file deleted since the run and puts the rest back', async () => {
    const forge = await newForge();
    await addMany(forge, 4);
    const run = await forge.sorter.apply({ rules: into('second') });
    const gone = run.moves[2]!;
    await forge.files.delete(gone.fileId);
    const undone = await forge.sorter.undo(run.id);
    expect(undone).toMatchObject({ undone: 3, deleted: 1, stopped: null });
    const paths = new Map((await allFiles(forge)).map((f) => [f.id, f.path]));
    for (const m of run.moves) if (m.fileId !== gone.fileId) expect(paths.get(m.fileId)).toBe(m.from);
    // Again: nothing left to put back, nothing stops it.
    expect(await forge.sorter.undo(run.id)).toMatchObject({ undone: 0, deleted: 1, stopped: null });
    expect(await treeProblems(forge)).toEqual([]);
  });

  it('announces a file leaving the tree (undo, overwrite) with file.sorted to: null', async () => {
    const forge = await newForge();
    await addMany(forge, 2);
    const sorted: Array<{ id: string; from: string | null; to: string | null }> = [];
    forge.events.on('file.sorted', (e) => void sorted.push({ id: e.file.id, from: e.from, to: e.to }));
    const run = await forge.sorter.apply({ rules: into('second') });
    await forge.sorter.undo(run.id);
    await forge.queue.onIdle();
    const [a, b] = run.moves;
    expect(sorted).toEqual([
      { id: a!.fileId, from: null, to: 'second/f000.txt' },
      { id: b!.fileId, from: null, to: 'second/f001.txt' },
      { id: b!.fileId, from: 'second/f001.txt', to: null },
      { id: a!.fileId, from: 'second/f000.txt', to: null },
    ]);
    expect((await forge.files.get(a!.fileId))?.path).toBeNull();
  });
});
