import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addFile, testForges, treeProblems, walk } from './support/sorted-tree.js';

const { newForge } = testForges('fileforge-sorted-conflicts-');

const rule = (onConflict: string) => ({
  id: 'docs',
  conditions: [{ field: 'ext', op: 'eq', value: 'txt' }],
  destination: 'docs/{name}{ext}',
  onConflict,
});

/** Sorts a first `a.txt`, then a second `a.txt` with `content`, under `mode`; answers both records. */
async function secondArrives(mode: string, content = 'second\n') {
  const forge = await newForge();
  await forge.sorter.rules.put('default', rule(mode));
  // The pipeline sorts each file after processing.
  const first = await addFile(forge, 'a.txt', 'first\n');
  const second = await addFile(forge, 'a.txt', content);
  // Sorting again is stable: what the pipeline decided stays.
  const outcome = await forge.sorter.sortFile('default', second.id);
  expect(outcome.action).not.toBe('moved');
  const get = async (id: string) => (await forge.files.get(id))?.path;
  return { forge, outcome, first: await get(first.id), second: await get(second.id) };
}

describe('sorted tree: conflict modes through the forge (issue 10)', () => {
  it('rename_new gives the newcomer the next numbered name', async () => {
    const r = await secondArrives('rename_new');
    expect([r.first, r.second]).toEqual(['docs/a.txt', 'docs/a 2.txt']);
    expect(await treeProblems(r.forge)).toEqual([]);
  });

  it('rename_new numbers a name already at the 255-byte limit within the limit', async () => {
    const forge = await newForge();
    await forge.sorter.rules.put('default', rule('rename_new'));
    const name = `${'x'.repeat(251)}.txt`;
    const first = await addFile(forge, name, 'first\n');
    const second = await addFile(forge, name, 'second\n');
    expect((await forge.files.get(first.id))?.path).toBe(`docs/${name}`);
    expect((await forge.files.get(second.id))?.path).toBe(`docs/${'x'.repeat(249)} 2.txt`);
    expect(await treeProblems(forge)).toEqual([]);
  });

  it('skip leaves the newcomer out of the tree', async () => {
    const r = await secondArrives('skip');
    expect(r.outcome.action).toBe('skip');
    expect([r.first, r.second]).toEqual(['docs/a.txt', null]);
    expect(await treeProblems(r.forge)).toEqual([]);
  });

  it('deduplicate keeps one copy of identical content, and renames different content', async () => {
    const same = await secondArrives('deduplicate', 'first\n');
    expect(same.outcome.action).toBe('deduplicate');
    expect([same.first, same.second]).toEqual(['docs/a.txt', null]);
    expect(await treeProblems(same.forge)).toEqual([]);
    const other = await secondArrives('deduplicate', 'other\n');
    expect([other.first, other.second]).toEqual(['docs/a.txt', 'docs/a 2.txt']);
  });

  it('overwrite takes the occupant out of the tree (its record and content stay stored)', async () => {
    const r = await secondArrives('overwrite');
    expect([r.first, r.second]).toEqual([null, 'docs/a.txt']);
    expect(walk(join(r.forge.options.sortedFolder, 'default'))).toEqual(['docs/a.txt']);
    expect(await treeProblems(r.forge)).toEqual([]);
    expect((await r.forge.files.list()).items).toHaveLength(2);
  });

  it.each(['overwrite', 'trash'])(
    '%s: applying the rules again settles, then changes nothing (no ping-pong)',
    async (mode) => {
      const forge = await newForge();
      await forge.sorter.rules.put('default', rule(mode));
      const first = await addFile(forge, 'a.txt', 'first\n');
      const second = await addFile(forge, 'a.txt', 'second\n');
      const paths = async () => [
        (await forge.files.get(first.id))?.path,
        (await forge.files.get(second.id))?.path,
      ];
      await forge.sorter.apply();
      const settled = await paths();
      // The newcomer keeps the place; the file it displaced is filed beside it, not back over it.
      expect(settled[1]).toBe('docs/a.txt');
      const again = await forge.sorter.apply();
      expect(again.moved).toBe(0);
      expect(await paths()).toEqual(settled);
      expect(await treeProblems(forge)).toEqual([]);
    },
  );

  it('rename_existing moves the occupant to the numbered name first', async () => {
    const r = await secondArrives('rename_existing');
    expect([r.first, r.second]).toEqual(['docs/a 2.txt', 'docs/a.txt']);
    expect(await treeProblems(r.forge)).toEqual([]);
  });

  it('trash moves the occupant under .trash first', async () => {
    const r = await secondArrives('trash');
    expect([r.first, r.second]).toEqual(['.trash/docs/a.txt', 'docs/a.txt']);
    expect(await treeProblems(r.forge)).toEqual([]);
  });

  it.each([
    ['materialised', true],
    ['catalog only', false],
  ])('two files racing for one destination both survive (%s)', async (_, materialize) => {
    const forge = await newForge({ materialize });
    // Stored before any rule exists, so the pipeline leaves them unsorted.
    const files = [];
    for (let i = 0; i < 6; i++) files.push(await addFile(forge, `r${i}.txt`, `racer ${i}\n`));
    await forge.sorter.rules.put('default', {
      id: 'race',
      conditions: [{ field: 'ext', op: 'eq', value: 'txt' }],
      destination: 'race/report.txt',
      onConflict: 'overwrite',
    });
    // Each plans against the same empty tree, then they move at once.
    await Promise.all(files.map((f) => forge.sorter.sortFile('default', f.id)));
    const paths = [];
    for (const f of files) paths.push((await forge.files.get(f.id))?.path);
    expect(paths.filter((p) => p !== null && p !== undefined)).toHaveLength(6);
    expect(new Set(paths).size).toBe(6);
    // Numbered from the wanted name, one number each (never `report 2 2.txt`, which a later
    // sort would rename again).
    expect([...paths].sort()).toEqual([
      'race/report 2.txt',
      'race/report 3.txt',
      'race/report 4.txt',
      'race/report 5.txt',
      'race/report 6.txt',
      'race/report.txt',
    ]);
    expect((await forge.sorter.apply()).moved).toBe(0);
    if (materialize) expect(await treeProblems(forge)).toEqual([]);
    else expect(walk(forge.options.sortedFolder)).toEqual([]);
  });
  it('a file where the destination needs a folder: simulate and apply skip it, saying why (no failing move)', async () => {
    const forge = await newForge();
    await forge.sorter.rules.put('default', {
      id: 'notes',
      conditions: [{ field: 'name', op: 'eq', value: 'docs.md' }],
      destination: 'docs',
    });
    const blocker = await addFile(forge, 'docs.md', 'a file named docs\n');
    expect((await forge.files.get(blocker.id))?.path).toBe('docs');
    await forge.sorter.rules.put('default', rule('rename_new'));
    const file = await addFile(forge, 'a.txt', 'wants docs/a.txt\n');
    const simulated = await forge.sorter.simulate({ fileIds: [file.id] });
    expect(simulated.items[0]).toMatchObject({ action: 'skip', to: 'docs/a.txt' });
    expect(simulated.items[0]?.reason).toContain('docs');
    const applied = await forge.sorter.apply({ fileIds: [file.id] });
    expect(applied.moved).toBe(0);
    expect((await forge.files.get(file.id))?.path).toBeNull();
    expect((await forge.files.get(blocker.id))?.path).toBe('docs');
    expect(await treeProblems(forge)).toEqual([]);
  });

  it('a destination where the tree has a folder: the file is named around it', async () => {
    const forge = await newForge();
    await forge.sorter.rules.put('default', rule('overwrite'));
    const inside = await addFile(forge, 'a.txt', 'in docs\n');
    expect((await forge.files.get(inside.id))?.path).toBe('docs/a.txt');
    await forge.sorter.rules.put('default', {
      id: 'notes',
      conditions: [{ field: 'name', op: 'eq', value: 'docs.md' }],
      destination: 'docs',
      onConflict: 'overwrite',
    });
    const file = await addFile(forge, 'docs.md', 'wants the name docs\n');
    expect((await forge.files.get(file.id))?.path).toBe('docs 2');
    expect((await forge.files.get(inside.id))?.path).toBe('docs/a.txt');
    expect(await treeProblems(forge)).toEqual([]);
  });
});
