import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { FileEvent } from '@fileforge/core';
import { describe, expect, it } from 'vitest';
import { addFile, testForges, treeProblems, walk } from './support/sorted-tree.js';

const { newForge } = testForges('fileforge-sorted-', { now: () => Date.parse('2026-11-05T10:00:00Z') });

const notesRule = {
  id: 'notes',
  category: 'notes',
  conditions: [{ field: 'name', op: 'glob', value: '*.txt' }],
  destination: 'notes/{created:YYYY}/{name}{ext}',
};

describe('sorted tree (issue 10)', () => {
  it('the pipeline classifies and sorts a processed file by a rule: path, a hard link to the blob, events in order', async () => {
    const forge = await newForge();
    const seen: string[] = [];
    const note = (type: string) => (e: FileEvent) => {
      seen.push(`${type}:${e.file.id}`);
    };
    forge.events.on('file.processed', note('file.processed'));
    forge.events.on('file.classified', note('file.classified'));
    forge.events.on('file.sorted', note('file.sorted'));
    await forge.sorter.rules.put('default', notesRule);
    const file = await addFile(forge, 'meeting.txt', 'agenda and minutes\n');
    expect(file).toMatchObject({ status: 'processed', path: 'notes/2026/meeting.txt', category: 'notes' });
    expect(file.classification).toMatchObject({
      status: 'decided',
      category: 'notes',
      decidedBy: { kind: 'rule', ruleId: 'notes' },
    });
    expect(file.classification?.explanation.summary).toContain('notes');
    expect(seen).toEqual([
      `file.processed:${file.id}`,
      `file.classified:${file.id}`,
      `file.sorted:${file.id}`,
    ]);

    const entry = statSync(join(forge.options.sortedFolder, 'default', 'notes', '2026', 'meeting.txt'));
    const blob = statSync(forge.blobs.localPath?.(file.blobKey) as string);
    expect(entry.ino).toBe(blob.ino);
    expect(await treeProblems(forge)).toEqual([]);
    expect((await forge.sorter.folders('default', 'notes')).folders).toEqual([
      { name: '2026', path: 'notes/2026', fileCount: 1 },
    ]);
    expect((await forge.sorter.folders('default', 'notes/2026')).files.map((f) => f.id)).toEqual([file.id]);

    // The steps again: already in place, nothing moves, no second file.sorted.
    expect(await forge.sorter.sortFile('default', file.id)).toMatchObject({
      action: 'none',
      reason: 'already in place',
    });
    expect(seen.filter((s) => s.startsWith('file.sorted'))).toHaveLength(1);
    expect(walk(join(forge.options.sortedFolder, 'default'))).toEqual(['notes/2026/meeting.txt']);
  });

  it('called directly, the steps classify then sort a file the rules did not cover at ingest', async () => {
    const forge = await newForge();
    const file = await addFile(forge, 'later.txt', 'filed later\n');
    expect(file).toMatchObject({ path: null, category: null, classification: { status: 'unclassified' } });
    await forge.sorter.rules.put('default', notesRule);
    expect(await forge.sorter.classifyFile('default', file.id)).toMatchObject({
      status: 'decided',
      category: 'notes',
    });
    expect(await forge.sorter.sortFile('default', file.id)).toMatchObject({
      action: 'moved',
      from: null,
      to: 'notes/2026/later.txt',
    });
    expect(await treeProblems(forge)).toEqual([]);
    // Deleting the file removes its entry from the sorted folder.
    await forge.files.delete(file.id);
    expect(walk(forge.options.sortedFolder)).toEqual([]);
  });

  it('without materialisation the tree lives in the catalog only', async () => {
    const forge = await newForge({ materialize: false });
    await forge.sorter.rules.put('default', notesRule);
    const file = await addFile(forge, 'meeting.txt', 'agenda\n');
    expect(file.path).toBe('notes/2026/meeting.txt');
    expect(walk(forge.options.sortedFolder)).toEqual([]);
    expect((await forge.files.list({ pathPrefix: 'notes' })).items.map((f) => f.id)).toEqual([file.id]);
    expect((await forge.files.list({ pathPrefix: 'note' })).items).toEqual([]);
  });
});
