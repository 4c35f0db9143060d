import { lstatSync, statSync } from 'node:fs';
import { mkdir, readdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
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
