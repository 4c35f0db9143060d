import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { link, mkdir, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyFolderPlan,
  type MoveOps,
  NODE_MOVE_OPS,
  planFolder,
  readJournal,
  recoverRun,
  rulesNeedHash,
  scanFolder,
  undoSortRun,
} from '../src/sorter/folder/index.js';
import { parseRules } from '../src/sorter/index.js';
import { listFolders, listTree, pdfBytes, pngBytes, tempFolder } from './support/folder-tree.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function folder(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await tempFolder();
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

const rulesFor = (onConflict: string) =>
  parseRules(`
- id: invoices
  category: invoices
  conditions: [{ field: mime, op: eq, value: application/pdf }]
  destination: "invoices/{name}{ext}"
  onConflict: ${onConflict}
- id: images
  conditions: [{ field: mime, op: glob, value: "image/*" }]
  destination: "images/{name}{ext}"
`);

async function sortFolder(dir: string, onConflict = 'rename_new', ops?: MoveOps) {
  const rules = rulesFor(onConflict);
  const files = await scanFolder(dir, { hash: rulesNeedHash(rules) });
  const plan = await planFolder(dir, files, rules);
  return { plan, report: await applyFolderPlan(plan, { indexDir: null, ...(ops ? { ops } : {}) }) };
}

const read = (dir: string, path: string) => readFile(join(dir, path), 'utf8');

describe('applyFolderPlan', () => {
  it('never moves a file out of DIR through a symbolic link among its folders (issue 10 review)', async () => {
    const dir = await folder({ 'a.pdf': pdfBytes('a'), 'scan.bin': pngBytes(2) });
    const outside = await tempFolder();
    dirs.push(outside);
    await symlink(outside, join(dir, 'invoices'));
    const { report } = await sortFolder(dir);
    // Planned as a skip (the folder it needs is a link); a link appearing later fails the move.
    expect(report).toMatchObject({ moved: 1, failed: 0 });
    expect(report.items.find((i) => i.from === 'a.pdf')).toMatchObject({
      status: 'skipped',
      reason:
        'invoices is a link (or another special file), not a folder, so invoices/a.pdf cannot be made; skipped',
    });
    expect(await readdir(outside)).toEqual([]);
    expect(await read(dir, 'a.pdf')).toContain('%PDF');
    // Undo puts the other file back and leaves the link alone.
    const undone = await undoSortRun(report.journal);
    expect(undone.restored).toBe(1);
    expect(await readdir(outside)).toEqual([]);
  });

  it('a link planted among DIR’s folders after planning fails that move, and nothing leaves DIR', async () => {
    const dir = await folder({ 'a.pdf': pdfBytes('a'), 'scan.bin': pngBytes(2) });
    const outside = await tempFolder();
    dirs.push(outside);
    const rules = rulesFor('rename_new');
    const plan = await planFolder(dir, await scanFolder(dir), rules);
    await symlink(outside, join(dir, 'invoices'));
    const report = await applyFolderPlan(plan, { indexDir: null });
    expect(report).toMatchObject({ moved: 1, failed: 1 });
    expect(report.items.find((i) => i.from === 'a.pdf')).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('symbolic link'),
    });
    expect(await readdir(outside)).toEqual([]);
    expect(await read(dir, 'a.pdf')).toContain('%PDF');
  });

  it('moves files by their detected type, leaves unmatched ones, and journals every move', async () => {
    const dir = await folder({ 'a.pdf': pdfBytes('a'), 'scan.bin': pngBytes(2), 'notes.txt': 'hello' });
    const { report } = await sortFolder(dir);
    expect(report).toMatchObject({ moved: 2, skipped: 1, failed: 0 });
    expect((await listTree(dir)).map((f) => f.path)).toEqual([
      'images/scan.png',
      'invoices/a.pdf',
      'notes.txt',
    ]);
    const journal = await readJournal(report.journal);
    expect(journal.entries.filter((e) => e.type === 'moved')).toHaveLength(2);
    expect(journal.entries.at(-1)).toMatchObject({ type: 'end', moved: 2, failed: 0 });
  });

  it('rename_new: the incoming file gets a numbered name, the existing one is untouched', async () => {
    const dir = await folder({ 'a.pdf': pdfBytes('new'), 'invoices/a.pdf': pdfBytes('old') });
    await sortFolder(dir, 'rename_new');
    expect(await read(dir, 'invoices/a.pdf')).toContain('old');
    expect(await read(dir, 'invoices/a 2.pdf')).toContain('new');
  });

  it('skip: a taken destination leaves the file where it is', async () => {
    const dir = await folder({ 'a.pdf': pdfBytes('new'), 'invoices/a.pdf': pdfBytes('old') });
    const { report } = await sortFolder(dir, 'skip');
    expect(report.moved).toBe(0);
    expect(await read(dir, 'a.pdf')).toContain('new');
    expect(await read(dir, 'invoices/a.pdf')).toContain('old');
  });

  it('overwrite: the replaced file goes to the run’s trash, and undo brings both back', async () => {
    const dir = await folder({ 'a.pdf': pdfBytes('new'), 'invoices/a.pdf': pdfBytes('old') });
    const before = await listTree(dir);
    const { report } = await sortFolder(dir, 'overwrite');
    expect(await read(dir, 'invoices/a.pdf')).toContain('new');
    expect(await read(dir, `.fileforge/trash/${report.runId}/invoices/a.pdf`)).toContain('old');
    const undo = await undoSortRun(report.journal);
    expect(undo).toMatchObject({ restored: 1 });
    expect(await listTree(dir)).toEqual(before);
  });

  it('overwrite, trash, rename_existing: a move that fails puts the file it displaced back in place', async () => {
    for (const mode of ['overwrite', 'trash', 'rename_existing']) {
      const dir = await folder({ 'a.pdf': pdfBytes('new'), 'invoices/a.pdf': pdfBytes('old') });
      const rules = rulesFor(mode);
      const plan = await planFolder(dir, await scanFolder(dir, { hash: rulesNeedHash(rules) }), rules);
      await rm(join(dir, 'a.pdf')); // gone between the plan and the move (an inbox)
      const report = await applyFolderPlan(plan, { indexDir: null });
      expect(report, mode).toMatchObject({ moved: 0, failed: 1 });
      expect(await read(dir, 'invoices/a.pdf'), mode).toContain('old');
      expect(
        (await listTree(dir)).map((f) => f.path),
        mode,
      ).toEqual(['invoices/a.pdf']);
    }
  });

  it('an aborted run closes its journal and moves nothing', async () => {
    const dir = await folder({ 'a.pdf': pdfBytes('a'), 'scan.bin': pngBytes(2) });
    const rules = rulesFor('rename_new');
    const plan = await planFolder(dir, await scanFolder(dir, { hash: rulesNeedHash(rules) }), rules);
    const journalDir = join(dir, '.journal');
    await expect(
      applyFolderPlan(plan, { indexDir: null, journalDir, signal: AbortSignal.abort() }),
    ).rejects.toThrow();
    const open = readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith(journalDir);
      } catch {
        return false; // closed meanwhile
      }
    });
    expect(open).toEqual([]);
    expect(await read(dir, 'a.pdf')).toContain('%PDF');
  });

  it('an abort mid-run stops between moves: what moved is undone by the run id, nothing else moved', async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 200; i++) files[`doc-${i}.pdf`] = pdfBytes(`doc ${i}`);
    const dir = await folder(files);
    const before = await listTree(dir);
    const rules = rulesFor('rename_new');
    const plan = await planFolder(dir, await scanFolder(dir), rules);
    const stop = new AbortController();
    let seen = 0;
    await expect(
      applyFolderPlan(plan, {
        indexDir: null,
        signal: stop.signal,
        onProgress: () => {
          if (++seen === 20) stop.abort(new Error('interrupted'));
        },
      }),
    ).rejects.toThrow('interrupted');
    const moved = (await listTree(dir)).filter((f) => f.path.startsWith('invoices/'));
    expect(moved.length).toBeGreaterThanOrEqual(20);
    expect(moved.length).toBeLessThan(200);
    const journal = join(dir, '.fileforge', 'runs', `${plan.runId}.jsonl`);
    const undo = await undoSortRun(journal);
    expect(undo.stopped).toBeUndefined();
    expect(await listTree(dir)).toEqual(before);
  });

  it('a file (or a link) where a destination needs a folder: the plan skips, saying why, and nothing fails', async () => {
    const dir = await folder({
      'a.pdf': pdfBytes('a'),
      invoices: 'a file named invoices',
      'b.png': pngBytes(1),
    });
    await symlink('elsewhere', join(dir, 'images'));
    const { plan, report } = await sortFolder(dir);
    expect(plan.items.find((i) => i.id === 'a.pdf')).toMatchObject({
      action: 'skip',
      reason: 'invoices is a file, not a folder, so invoices/a.pdf cannot be made; skipped',
    });
    expect(plan.items.find((i) => i.id === 'b.png')).toMatchObject({
      action: 'skip',
      reason: expect.stringContaining('images is a link'),
    });
    expect(report.failed).toBe(0);
    expect(await read(dir, 'invoices')).toBe('a file named invoices');
    expect(await read(dir, 'a.pdf')).toContain('a');
  });

  it('trash: the occupant goes to the run’s trash and the file takes its place', async () => {
    const dir = await folder({ 'a.pdf': pdfBytes('new'), 'invoices/a.pdf': pdfBytes('old') });
    const { report, plan } = await sortFolder(dir, 'trash');
    const item = plan.items.find((i) => i.id === 'a.pdf');
    expect(item?.displaced?.to).toBe(`.fileforge/trash/${report.runId}/invoices/a.pdf`);
    // What --dry-run prints names the same place the run puts it.
    expect(item?.reason).toBe(
      `destination occupied; the existing file was moved to .fileforge/trash/${report.runId}/invoices/a.pdf`,
    );
    expect(await read(dir, 'invoices/a.pdf')).toContain('new');
    expect(await read(dir, `.fileforge/trash/${report.runId}/invoices/a.pdf`)).toContain('old');
  });

  it('overwrite, trash, rename_existing never move a folder in the way: the file is named around it', async () => {
    for (const mode of ['overwrite', 'trash', 'rename_existing']) {
      const dir = await folder({ 'a.pdf': pdfBytes('new'), 'invoices/a.pdf/kept.txt': 'inside a folder' });
      const { plan } = await sortFolder(dir, mode);
      expect(
        plan.items.find((i) => i.id === 'a.pdf'),
        mode,
      ).toMatchObject({
        action: 'move',
        to: 'invoices/a 2.pdf',
      });
      expect(await read(dir, 'invoices/a 2.pdf'), mode).toContain('new');
      expect(await read(dir, 'invoices/a.pdf/kept.txt'), mode).toBe('inside a folder');
    }
  });

  it('rename_existing: the occupant is renamed, the file takes the name', async () => {
    const dir = await folder({ 'a.pdf': pdfBytes('new'), 'invoices/a.pdf': pdfBytes('old') });
    await sortFolder(dir, 'rename_existing');
    expect(await read(dir, 'invoices/a.pdf')).toContain('new');
    expect(await read(dir, 'invoices/a 2.pdf')).toContain('old');
  });

  it('deduplicate: identical content keeps one copy (the other goes to the trash); different content is renamed', async () => {
    const dir = await folder({
      'a.pdf': pdfBytes('same'),
      'invoices/a.pdf': pdfBytes('same'),
      'b.pdf': pdfBytes('new b'),
      'invoices/b.pdf': pdfBytes('old b'),
    });
    const { report } = await sortFolder(dir, 'deduplicate');
    const paths = (await listTree(dir)).map((f) => f.path);
    expect(paths).toEqual(['invoices/a.pdf', 'invoices/b 2.pdf', 'invoices/b.pdf']);
    expect(await read(dir, `.fileforge/trash/${report.runId}/a.pdf`)).toContain('same');
  });

  it('two files racing for one destination both survive', async () => {
    const dir = await folder({ 'x/a.pdf': pdfBytes('one'), 'y/a.pdf': pdfBytes('two') });
    const rules = rulesFor('rename_new');
    const plan = await planFolder(dir, await scanFolder(dir, { recursive: true }), rules);
    await applyFolderPlan(plan, { indexDir: null });
    const contents = [await read(dir, 'invoices/a.pdf'), await read(dir, 'invoices/a 2.pdf')].sort();
    expect(contents[0]).toContain('one');
    expect(contents[1]).toContain('two');
  });

  it('a destination that appears between plan and move is resolved again, never overwritten', async () => {
    const dir = await folder({ 'a.pdf': pdfBytes('mine') });
    const rules = rulesFor('rename_new');
    const plan = await planFolder(dir, await scanFolder(dir), rules);
    await mkdir(join(dir, 'invoices'));
    await writeFile(join(dir, 'invoices', 'a.pdf'), 'someone else’s');
    const report = await applyFolderPlan(plan, { indexDir: null });
    expect(report.items[0]).toMatchObject({ status: 'moved', to: 'invoices/a 2.pdf' });
    expect(await read(dir, 'invoices/a.pdf')).toBe('someone else’s');
    expect(await read(dir, 'invoices/a 2.pdf')).toContain('mine');
  });

  it('a folder that appears at the destination between plan and move is never trashed or set aside', async () => {
    for (const mode of ['overwrite', 'trash', 'rename_existing']) {
      const dir = await folder({ 'a.pdf': pdfBytes('mine') });
      const plan = await planFolder(dir, await scanFolder(dir), rulesFor(mode));
      await mkdir(join(dir, 'invoices', 'a.pdf'), { recursive: true });
      await writeFile(join(dir, 'invoices', 'a.pdf', 'work.doc'), 'someone’s work');
      const report = await applyFolderPlan(plan, { indexDir: null });
      expect(report.items[0], mode).toMatchObject({ status: 'moved', to: 'invoices/a 2.pdf' });
      expect(await read(dir, 'invoices/a.pdf/work.doc'), mode).toBe('someone’s work');
      expect(await read(dir, 'invoices/a 2.pdf'), mode).toContain('mine');
    }
  });

  it('recovery after a kill while a file was being set aside (rename_existing) leaves it under one name', async () => {
    const dir = await folder({ 'a.pdf': pdfBytes('new'), 'invoices/a.pdf': pdfBytes('old') });
    const before = await listTree(dir);
    const { report } = await sortFolder(dir, 'rename_existing');
    const [planned] = (await readJournal(report.journal)).entries.flatMap((e) =>
      e.type === 'planned' && e.displaced ? [e] : [],
    );
    expect(planned?.displaced).toMatchObject({ path: 'invoices/a.pdf', to: 'invoices/a 2.pdf' });
    // As the disk was when the process died: the occupant linked at its new name, its old
    // name not yet removed, the file itself not moved; the journal ends at `planned`.
    await rename(join(dir, 'invoices/a.pdf'), join(dir, 'a.pdf'));
    await rename(join(dir, 'invoices/a 2.pdf'), join(dir, 'invoices/a.pdf'));
    await link(join(dir, 'invoices/a.pdf'), join(dir, 'invoices/a 2.pdf'));
    const text = await readFile(report.journal, 'utf8');
    const lines = text
      .split('\n')
      .filter((l) => l && !l.includes('"type":"moved"') && !l.includes('"type":"end"'));
    await writeFile(report.journal, `${lines.join('\n')}\n`);
    const recovered = await recoverRun(report.journal);
    expect(recovered.leftInPlace).toEqual(['a.pdf']);
    expect(await listTree(dir)).toEqual(before);
  });

  it('a file in the way that moves on in the same run keeps its content, whatever the conflict mode', async () => {
    for (const mode of ['overwrite', 'trash', 'rename_existing']) {
      const dir = await folder({ 'a.txt': 'A', 'b.txt': 'B' });
      const rules = parseRules(`
- { id: a, conditions: [{ field: name, op: eq, value: a.txt }], destination: "b.txt", onConflict: ${mode} }
- { id: b, conditions: [{ field: name, op: eq, value: b.txt }], destination: "c.txt" }
`);
      const before = await listTree(dir);
      const plan = await planFolder(dir, await scanFolder(dir), rules);
      const report = await applyFolderPlan(plan, { indexDir: null });
      expect(report.failed, mode).toBe(0);
      expect(await read(dir, 'c.txt'), mode).toBe('B');
      expect(await read(dir, 'b 2.txt'), mode).toBe('A');
      const undo = await undoSortRun(report.journal);
      expect(undo.stopped, mode).toBeUndefined();
      expect(await listTree(dir), mode).toEqual(before);
    }
  });

  it('across filesystems (EXDEV) copies, fsyncs and removes the source, keeping the modification time', async () => {
    const dir = await folder({ 'a.pdf': pdfBytes('far'), 'b.png': pngBytes(3) });
    // A modification time on a whole millisecond (as many tools set them), which a double of
    // seconds cannot hold exactly.
    expect(spawnSync('touch', ['-d', '@1700000000.037', join(dir, 'a.pdf')]).status).toBe(0);
    const before = await listTree(dir);
    const exdev = () => Promise.reject(Object.assign(new Error('cross-device link'), { code: 'EXDEV' }));
    const calls: string[] = [];
    const ops: MoveOps = {
      link: (_from, to) => {
        calls.push(`link ${to}`);
        return exdev();
      },
      rename: (from, to) => {
        calls.push(`rename ${to}`);
        return NODE_MOVE_OPS.rename(from, to);
      },
    };
    const { report } = await sortFolder(dir, 'rename_new', ops);
    expect(report.items.filter((i) => i.status === 'moved')).toHaveLength(2);
    const journal = await readJournal(report.journal);
    expect(journal.entries.filter((e) => e.type === 'moved').map((e) => (e as { via: string }).via)).toEqual([
      'copy',
      'copy',
    ]);
    const after = await listTree(dir);
    expect(after.map(({ path, sha256, mtimeMs }) => ({ path, sha256, mtime: Math.trunc(mtimeMs) }))).toEqual([
      { path: 'images/b.png', sha256: before[1]!.sha256, mtime: Math.trunc(before[1]!.mtimeMs) },
      { path: 'invoices/a.pdf', sha256: before[0]!.sha256, mtime: Math.trunc(before[0]!.mtimeMs) },
    ]);
    // No temporary copy is left behind.
    expect(await readdir(join(dir, 'invoices'))).toEqual(['a.pdf']);
    expect(calls.some((c) => c.startsWith('link'))).toBe(true);
    // …and undo across filesystems brings them back the same way.
    const undone = await undoSortRun(report.journal, { ops });
    expect(undone.stopped).toBeUndefined();
    expect((await listTree(dir)).map(({ path, sha256 }) => ({ path, sha256 }))).toEqual(
      before.map(({ path, sha256 }) => ({ path, sha256 })),
    );
    expect(await listFolders(dir)).toEqual([]);
  });

  it('with several batches, journals each file as planned on disk before it moves, the next batch while this one moves', async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 40; i++) files[`f${i}.png`] = pngBytes(i);
    const dir = await folder(files);
    const rules = rulesFor('rename_new');
    const plan = await planFolder(dir, await scanFolder(dir, { hash: rulesNeedHash(rules) }), rules);
    const journalDir = join(dir, '.fileforge', 'runs');
    const onDisk = () => {
      const [name] = readdirSync(journalDir);
      return readFileSync(join(journalDir, name as string), 'utf8');
    };
    const notYetPlanned: string[] = [];
    const ops: MoveOps = {
      link: async (from, to) => {
        // The journal as written so far (nothing is buffered in the file). The next batch's
        // entries may be mid-write, so a last line without its newline is not read.
        const planned = onDisk()
          .split('\n')
          .slice(0, -1)
          .filter((l) => l.includes('"type":"planned"'))
          .map((l) => JSON.parse(l) as { from: string });
        if (!planned.some((p) => join(dir, p.from) === from)) notYetPlanned.push(from);
        return NODE_MOVE_OPS.link(from, to);
      },
      rename: NODE_MOVE_OPS.rename,
    };
    const report = await applyFolderPlan(plan, { indexDir: null, batchSize: 8, ops });
    expect(report.moved).toBe(40);
    expect(notYetPlanned).toEqual([]);
    const journal = await readJournal(report.journal);
    expect(journal.entries[0]?.type).toBe('run');
    expect(journal.entries.filter((e) => e.type === 'planned')).toHaveLength(40);
    expect(journal.entries.filter((e) => e.type === 'moved')).toHaveLength(40);
    expect(journal.entries.at(-1)?.type).toBe('end');
  });
});
