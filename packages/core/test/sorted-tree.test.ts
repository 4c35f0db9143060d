import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForge, type Forge } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { addFile, treeProblems, walk } from './support/sorted-tree.js';

const dirs: string[] = [];
const forges: Forge[] = [];
afterEach(async () => {
  for (const forge of forges.splice(0)) await forge.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function newForge(options: Parameters<typeof createForge>[0] = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-sorted-'));
  dirs.push(dataDir);
  const forge = await createForge({ dataDir, now: () => Date.parse('2026-11-05T10:00:00Z'), ...options });
  forges.push(forge);
  return forge;
}

const notesRule = {
  id: 'notes',
  category: 'notes',
  conditions: [{ field: 'name', op: 'glob', value: '*.txt' }],
  destination: 'notes/{created:YYYY}/{name}{ext}',
};

describe('sorted tree (issue 10)', () => {
  it('classifies and sorts a processed file by a rule: path, a hard link to the blob, events in order', async () => {
    const forge = await newForge();
    const seen: string[] = [];
    for (const type of ['file.processed', 'file.classified', 'file.sorted'] as const) {
      forge.events.on(type, (e) => {
        seen.push(`${type}:${e.file.id}`);
      });
    }
    await forge.sorter.rules.put('default', notesRule);
    const file = await addFile(forge, 'meeting.txt', 'agenda and minutes\n');
    expect(file.status).toBe('processed');

    const classification = await forge.sorter.classifyFile('default', file.id);
    expect(classification).toMatchObject({
      status: 'decided',
      category: 'notes',
      decidedBy: { kind: 'rule', ruleId: 'notes' },
    });
    expect(classification.explanation.summary).toContain('notes');
    const sorted = await forge.sorter.sortFile('default', file.id);
    expect(sorted).toMatchObject({ action: 'moved', from: null, to: 'notes/2026/meeting.txt' });

    const record = await forge.files.get(file.id);
    expect(record).toMatchObject({ path: 'notes/2026/meeting.txt', category: 'notes' });
    const entry = statSync(join(forge.options.sortedFolder, 'default', 'notes', '2026', 'meeting.txt'));
    const blob = statSync(forge.blobs.localPath?.(file.blobKey) as string);
    expect(entry.ino).toBe(blob.ino);
    expect(seen).toEqual([
      `file.processed:${file.id}`,
      `file.classified:${file.id}`,
      `file.sorted:${file.id}`,
    ]);
    expect(await treeProblems(forge)).toEqual([]);

    // Again: already in place, nothing moves, no second event.
    expect(await forge.sorter.sortFile('default', file.id)).toMatchObject({
      action: 'none',
      reason: 'already in place',
    });
    expect(seen).toHaveLength(3);
    expect(walk(join(forge.options.sortedFolder, 'default'))).toEqual(['notes/2026/meeting.txt']);
  });
});
