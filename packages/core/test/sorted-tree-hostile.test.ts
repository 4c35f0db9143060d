import { lstatSync, statSync } from 'node:fs';
import { mkdir, readdir, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { noteSortedEntries, rebuildSortedTree } from '@fileforge/core';
import { describe, expect, it } from 'vitest';
import { addFile, testForges, treeProblems } from './support/sorted-tree.js';

const { newForge, tempDir } = testForges('fileforge-hostile-', {
  jobMaxAttempts: 1,
  now: () => Date.parse('2026-11-05T10:00:00Z'),
});

const notesRule = {
  id: 'notes',
  category: 'notes',
  conditions: [{ field: 'name', op: 'glob', value: '*.txt' }],
  destination: 'notes/{name}{ext}',
};

describe('sorted tree against a hostile sorted folder (issue 10 review)', () => {
  it('stores blobs read-only (0400), so the hard-linked entry in the sorted tree cannot be edited in place', async () => {
    const forge = await newForge();
    await forge.sorter.rules.put('default', notesRule);
    const file = await addFile(forge, 'meeting.txt', 'agenda\n');
    const blob = forge.blobs.localPath?.(file.blobKey) as string;
    expect((statSync(blob).mode & 0o777).toString(8)).toBe('400');
    const entry = join(forge.options.sortedFolder, 'default', 'notes', 'meeting.txt');
    expect(statSync(entry).ino).toBe(statSync(blob).ino);
    expect((statSync(entry).mode & 0o222).toString(8)).toBe('0');
  });

  it('a rebuild of the tree (a restore) never removes an entry through a folder replaced by a symbolic link', async () => {
    const forge = await newForge();
    await forge.sorter.rules.put('default', notesRule);
    await addFile(forge, 'meeting.txt', 'agenda\n');
    const tenantRoot = join(forge.options.sortedFolder, 'default');
    const tree = { root: forge.options.sortedFolder, blobPath: (key: string) => forge.blobs.localPath!(key) };
    const noted = await noteSortedEntries(forge.catalog, tree);
    expect(noted).toHaveLength(1);
    // Someone moves the folder out of the tree and leaves a link to it in its place.
    const outside = await tempDir('fileforge-outside-');
    await rename(join(tenantRoot, 'notes'), join(outside, 'notes'));
    await symlink(join(outside, 'notes'), join(tenantRoot, 'notes'));

    const result = await rebuildSortedTree(forge.catalog, tree, noted);
    expect(result).toMatchObject({ removed: 0, occupied: ['default/notes/meeting.txt'] });
    expect(await readdir(join(outside, 'notes'))).toEqual(['meeting.txt']);
  });

  it('never links a file through a symbolic link planted in the sorted folder', async () => {
    const forge = await newForge();
    const outside = await tempDir('fileforge-outside-');
    const tenantRoot = join(forge.options.sortedFolder, 'default');
    await mkdir(tenantRoot, { recursive: true });
    await symlink(outside, join(tenantRoot, 'notes'));
    await forge.sorter.rules.put('default', notesRule);
    const file = await addFile(forge, 'meeting.txt', 'agenda\n');

    expect(await readdir(outside)).toEqual([]);
    expect(lstatSync(join(tenantRoot, 'notes')).isSymbolicLink()).toBe(true);
    // The catalog did not take a path the disk could not hold.
    expect(file.path).toBeNull();
    await rm(join(tenantRoot, 'notes'));
    expect(await treeProblems(forge)).toEqual([]);
  });
});
