import {
  appendFile,
  link,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyFolderPlan,
  planFolder,
  readJournal,
  recoverRun,
  scanFolder,
  undoSortRun,
  unfinishedRuns,
} from '../src/sorter/folder/index.js';
import { parseRules } from '../src/sorter/index.js';
import { listFolders, listTree, pdfBytes, pngBytes, tempFolder } from './support/folder-tree.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const RULES = parseRules(`
- id: invoices
  conditions: [{ field: mime, op: eq, value: application/pdf }]
  destination: "invoices/{created:YYYY}/{name}{ext}"
  onConflict: rename_existing
- id: images
  conditions: [{ field: mime, op: glob, value: "image/*" }]
  destination: "images/{name}{ext}"
  onConflict: overwrite
- id: notes
  conditions: [{ field: text, algorithm: any, value: minutes }]
  destination: "notes/{name}{ext}"
`);

/** `count` files of three kinds at the top, plus occupants at some destinations. */
async function messyFolder(count: number): Promise<string> {
  const dir = await tempFolder();
  dirs.push(dir);
  for (let i = 0; i < count; i++) {
    const kind = i % 3;
    const name = kind === 0 ? `doc-${i}.pdf` : kind === 1 ? `img-${i}.dat` : `note-${i}.txt`;
    const body = kind === 0 ? pdfBytes(`doc ${i}`) : kind === 1 ? pngBytes(i) : `minutes of meeting ${i}\n`;
    await writeFile(join(dir, name), body);
  }
  await mkdir(join(dir, 'images'));
  await writeFile(join(dir, 'images', 'img-1.png'), 'an older image that overwrite replaces');
  await mkdir(join(dir, 'notes'));
  await writeFile(join(dir, 'notes', 'note-2.txt'), 'an older note: rename_new numbers the newcomer');
  return dir;
}

async function sortAll(dir: string) {
  const plan = await planFolder(dir, await scanFolder(dir), RULES);
  return applyFolderPlan(plan, { indexDir: null, batchSize: 64 });
}

describe('undoSortRun', () => {
  it('restores a 500-file run exactly: every path, size, modification time and content hash', async () => {
    const dir = await messyFolder(500);
    const before = await listTree(dir);
    const report = await sortAll(dir);
    expect(report).toMatchObject({ moved: 500, failed: 0 });
    expect((await listTree(dir)).map((f) => f.path)).not.toEqual(before.map((f) => f.path));

    const undo = await undoSortRun(report.journal);
    expect(undo).toMatchObject({ restored: 500, alreadyUndone: 0 });
    expect(undo.stopped).toBeUndefined();
    expect(await listTree(dir)).toEqual(before);
    // The folders the run created are gone again; the ones that were there stay.
    expect(await listFolders(dir)).toEqual(['images', 'notes']);
  });

  it('undoing twice is harmless', async () => {
    const dir = await messyFolder(12);
    const before = await listTree(dir);
    const report = await sortAll(dir);
    await undoSortRun(report.journal);
    const again = await undoSortRun(report.journal);
    expect(again).toMatchObject({ restored: 0, alreadyUndone: 12 });
    expect(await listTree(dir)).toEqual(before);
  });

  it('stops at a file modified since the run, reports it, and leaves it and the files not yet undone as they are', async () => {
    const dir = await messyFolder(30);
    const before = await listTree(dir);
    const report = await sortAll(dir);
    const journal = await readJournal(report.journal);
    const moves = journal.entries.flatMap((e) => (e.type === 'planned' ? [e] : []));
    const victim = moves[15]!;
    await appendFile(join(dir, victim.to), ' edited');
    const afterSort = await listTree(dir);

    const undo = await undoSortRun(report.journal);
    expect(undo.stopped?.path).toBe(victim.to);
    expect(undo.stopped?.reason).toMatch(/changed since the run/);
    // Undo goes newest first: the 14 files after the victim are back…
    expect(undo.restored).toBe(14);
    const now = await listTree(dir);
    for (const m of moves.slice(16)) {
      expect(now.find((f) => f.path === m.from)).toEqual(before.find((f) => f.path === m.from));
    }
    // …the victim and every file before it are exactly where and as the run left them.
    for (const m of moves.slice(0, 16)) {
      expect(now.find((f) => f.path === m.to)).toEqual(afterSort.find((f) => f.path === m.to));
    }
    expect(await readFile(join(dir, victim.to), 'utf8')).toMatch(/ edited$/);
    // It stays stopped until the file is dealt with.
    expect((await undoSortRun(report.journal)).stopped?.path).toBe(victim.to);
    // Put back by hand (edited as it is), the same undo continues where it stopped.
    await rename(join(dir, victim.to), join(dir, victim.from));
    const resumed = await undoSortRun(report.journal);
    expect(resumed.stopped).toBeUndefined();
    expect(resumed.restored).toBe(16);
    const restored = await listTree(dir);
    for (const m of moves.filter((m) => m !== victim))
      expect(restored.find((f) => f.path === m.from)).toEqual(before.find((f) => f.path === m.from));
    expect(await readFile(join(dir, victim.from), 'utf8')).toMatch(/ edited$/);
  });

  it('undoes a run in the folder where its journal is now, after the folder was renamed', async () => {
    const first = await messyFolder(12);
    const before = await listTree(first);
    const report = await sortAll(first);
    const moved = `${first}-renamed`;
    dirs.push(moved);
    await rename(first, moved);
    const undo = await undoSortRun(join(moved, '.fileforge', 'runs', `${report.runId}.jsonl`));
    expect(undo.stopped).toBeUndefined();
    expect(undo.dir).toBe(moved);
    expect(await listTree(moved)).toEqual(before);
  });

  it('stops when the original place has been taken by another file', async () => {
    const dir = await messyFolder(3);
    const report = await sortAll(dir);
    await writeFile(join(dir, 'doc-0.pdf'), 'a new file with the old name');
    const undo = await undoSortRun(report.journal);
    expect(undo.stopped?.reason).toMatch(/doc-0\.pdf is taken/);
    expect(await readFile(join(dir, 'doc-0.pdf'), 'utf8')).toBe('a new file with the old name');
  });
});

describe('recoverRun', () => {
  it('refuses a journal that names places outside its folder: recovery and undo touch nothing there', async () => {
    const parent = await tempFolder();
    dirs.push(parent);
    const dir = join(parent, 'sorted');
    const victim = join(parent, 'victim');
    await mkdir(join(dir, '.fileforge', 'runs'), { recursive: true });
    await mkdir(victim);
    await writeFile(join(victim, 'precious.txt'), 'keep me');
    await writeFile(join(dir, 'bait.txt'), 'keep me');
    // A journal that arrived with the folder (an archive, a share), not written by a run.
    const runId = '01m8s2v8v0s93jsqstz6tv9gtd';
    const journal = join(dir, '.fileforge', 'runs', `${runId}.jsonl`);
    const lines = [
      { type: 'run', version: 1, runId, dir, startedAt: new Date().toISOString(), items: 1 },
      {
        type: 'planned',
        seq: 0,
        from: '../victim/precious.txt',
        to: 'bait.txt',
        size: 7,
        mtimeMs: 0,
        sha256: '',
      },
    ];
    await writeFile(journal, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    await expect(recoverRun(journal)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(undoSortRun(journal)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await readFile(join(victim, 'precious.txt'), 'utf8')).toBe('keep me');
    expect(await readFile(join(dir, 'bait.txt'), 'utf8')).toBe('keep me');
  });

  it('a run killed before its first journal entry reached the disk moved nothing: undo and recovery say so, changing nothing', async () => {
    const dir = await messyFolder(3);
    const before = await listTree(dir);
    const runId = '01m8s2v8v0s93jsqstz6tv9gtd';
    const journal = join(dir, '.fileforge', 'runs', `${runId}.jsonl`);
    await mkdir(join(dir, '.fileforge', 'runs'), { recursive: true });
    await writeFile(journal, '');
    expect(await unfinishedRuns(join(dir, '.fileforge', 'runs'))).toEqual([]);
    const undo = await undoSortRun(journal);
    expect(undo).toMatchObject({ runId, restored: 0, alreadyUndone: 0 });
    expect(undo.stopped).toBeUndefined();
    expect(await readFile(journal, 'utf8')).toBe('');
    expect(await listTree(dir)).toEqual(before);
  });

  it('refuses to apply into a folder whose .fileforge is a symbolic link, and never scans a .fileforge at any depth', async () => {
    const dir = await messyFolder(3);
    const elsewhere = await tempFolder();
    dirs.push(elsewhere);
    await symlink(elsewhere, join(dir, '.fileforge'));
    const plan = await planFolder(dir, await scanFolder(dir), RULES);
    await expect(applyFolderPlan(plan, { indexDir: null })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(await readdir(elsewhere)).toEqual([]);
    await rm(join(dir, '.fileforge'));
    // A sub-folder sorted on its own keeps its state; sorting the parent leaves it there.
    await mkdir(join(dir, 'sub', '.fileforge', 'runs'), { recursive: true });
    await writeFile(join(dir, 'sub', '.fileforge', 'runs', 'x.jsonl'), '{}\n');
    const scanned = await scanFolder(dir, { recursive: true, dotfiles: true });
    expect(scanned.map((f) => f.path).filter((p) => p.includes('.fileforge'))).toEqual([]);
  });

  it('settles a run that died mid-way from where each file is, and undo then restores everything', async () => {
    const dir = await messyFolder(9);
    const before = await listTree(dir);
    const report = await sortAll(dir);
    // Make it look like the process died after journaling the plan, with the moves in every
    // state: done (0–2), not started (3–5), hard link made but old name not removed (6–8).
    const text = await readFile(report.journal, 'utf8');
    const kept = text
      .split('\n')
      .filter((line) => line && !line.includes('"type":"moved"') && !line.includes('"type":"end"'));
    await writeFile(report.journal, `${kept.join('\n')}\n`);
    const moves = (await readJournal(report.journal)).entries.flatMap((e) =>
      e.type === 'planned' ? [e] : [],
    );
    const moveBack = async (m: (typeof moves)[number]) => {
      if (m.displaced) throw new Error('fixture expects no displaced files among these');
      await rename(join(dir, m.to), join(dir, m.from));
    };
    const plain = moves.filter((m) => !m.displaced);
    for (const m of plain.slice(3, 5)) await moveBack(m);
    for (const m of plain.slice(5, 7)) await link(join(dir, m.to), join(dir, m.from));

    const recovered = await recoverRun(report.journal);
    expect(recovered.leftInPlace.sort()).toEqual(
      plain
        .slice(3, 5)
        .map((m) => m.from)
        .sort(),
    );
    expect(recovered.finished).toHaveLength(moves.length - 2);
    expect(recovered.missing).toEqual([]);
    // The linked ones are finished: one name each.
    for (const m of plain.slice(5, 7)) {
      expect((await listTree(dir)).some((f) => f.path === m.from)).toBe(false);
    }
    const undo = await undoSortRun(report.journal);
    expect(undo.stopped).toBeUndefined();
    expect(await listTree(dir)).toEqual(before);
  });

  it('leaves a file in place when its destination still holds the file it was to displace, even one of the same size and time', async () => {
    const dir = await tempFolder();
    dirs.push(dir);
    await writeFile(join(dir, 'report.txt'), 'NEW version of the report\n');
    await mkdir(join(dir, 'docs'));
    await writeFile(join(dir, 'docs', 'report.txt'), 'OLD version of the report\n');
    const when = new Date('2024-05-01T12:00:00Z');
    for (const path of ['report.txt', 'docs/report.txt']) await utimes(join(dir, path), when, when);
    const before = await listTree(dir);
    const rules = parseRules(`
- id: docs
  conditions: [{ field: ext, op: eq, value: txt }]
  destination: "docs/{name}{ext}"
  onConflict: overwrite
`);
    const report = await applyFolderPlan(await planFolder(dir, await scanFolder(dir), rules), {
      indexDir: null,
    });
    // As if the process died right after journaling the plan: nothing moved yet.
    const [planned] = (await readJournal(report.journal)).entries.flatMap((e) =>
      e.type === 'planned' ? [e] : [],
    );
    if (!planned?.displaced) throw new Error('fixture expects one displacing move');
    await rename(join(dir, planned.to), join(dir, planned.from));
    await rename(join(dir, planned.displaced.to), join(dir, planned.displaced.path));
    const text = await readFile(report.journal, 'utf8');
    const kept = text
      .split('\n')
      .filter((l) => l && !l.includes('"type":"moved"') && !l.includes('"type":"end"'));
    await writeFile(report.journal, `${kept.join('\n')}\n`);

    const recovered = await recoverRun(report.journal);
    expect(recovered.leftInPlace).toEqual(['report.txt']);
    expect(recovered.finished).toEqual([]);
    expect(await readFile(join(dir, 'report.txt'), 'utf8')).toBe('NEW version of the report\n');
    expect(await readFile(join(dir, 'docs', 'report.txt'), 'utf8')).toBe('OLD version of the report\n');
    expect((await listTree(dir)).filter((f) => !f.path.startsWith('.fileforge/'))).toEqual(
      before.filter((f) => !f.path.startsWith('.fileforge/')),
    );
  });
});
