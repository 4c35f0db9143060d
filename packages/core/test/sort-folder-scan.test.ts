import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scanFolder } from '../src/sorter/folder/index.js';
import { pdfBytes, pngBytes, tempFolder } from './support/folder-tree.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function messyFolder(): Promise<string> {
  const dir = await tempFolder();
  dirs.push(dir);
  await writeFile(join(dir, 'invoice.txt'), pdfBytes('not text at all')); // a PDF named .txt
  await writeFile(join(dir, 'notes.md'), 'Meeting minutes: budget approved.\n');
  await writeFile(join(dir, 'photo'), pngBytes(1));
  await writeFile(join(dir, '.hidden'), 'secret');
  await mkdir(join(dir, 'sub'));
  await writeFile(join(dir, 'sub', 'deep.txt'), 'deep text');
  await mkdir(join(dir, '.fileforge', 'runs'), { recursive: true });
  await writeFile(join(dir, '.fileforge', 'runs', 'x.jsonl'), '{}\n');
  await symlink(join(dir, 'notes.md'), join(dir, 'link-to-notes.md'));
  return dir;
}

describe('scanFolder', () => {
  it('lists the folder’s own files, typed by their bytes, skipping dotfiles, symlinks and its journal area', async () => {
    const dir = await messyFolder();
    const files = await scanFolder(dir);
    expect(files.map((f) => f.path)).toEqual(['invoice.txt', 'notes.md', 'photo']);
    const byPath = Object.fromEntries(files.map((f) => [f.path, f.subject]));
    // A name whose extension lies keeps no nameExt: templates use the detected `.pdf`.
    expect(byPath['invoice.txt']?.nameExt).toBeUndefined();
    expect(byPath['notes.md']).toMatchObject({ nameExt: 'md' });
    expect(byPath['invoice.txt']).toMatchObject({
      mime: 'application/pdf',
      ext: 'pdf',
      text: '',
      source: 'folder',
    });
    expect(byPath['notes.md']).toMatchObject({
      mime: 'text/markdown',
      text: 'Meeting minutes: budget approved.\n',
    });
    expect(byPath.photo).toMatchObject({ mime: 'image/png', ext: 'png', name: 'photo' });
    // Without a rule that needs it, nothing is hashed.
    expect(files.every((f) => f.subject.sha256 === '')).toBe(true);
  });

  it('descends into sub-folders and includes dotfiles when asked, never the journal area', async () => {
    const dir = await messyFolder();
    const files = await scanFolder(dir, { recursive: true, dotfiles: true, hash: true });
    expect(files.map((f) => f.path)).toEqual(['.hidden', 'invoice.txt', 'notes.md', 'photo', 'sub/deep.txt']);
    expect(files.find((f) => f.path === '.hidden')?.subject.sha256).toBe(
      '2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b',
    );
  });

  it('leaves out a file whose name is not valid UTF-8, saying so, and reads a name with a line break', async () => {
    const dir = await tempFolder();
    dirs.push(dir);
    // `inv\xffoice.pdf`: bytes a POSIX name may hold, which no JavaScript string reaches.
    await writeFile(
      Buffer.concat([Buffer.from(`${dir}/inv`), Buffer.from([0xff]), Buffer.from('oice.pdf')]),
      pdfBytes('x'),
    );
    await writeFile(join(dir, 'new\nline.pdf'), pdfBytes('y'));
    const skipped: string[] = [];
    const files = await scanFolder(dir, { onSkip: (path, reason) => skipped.push(`${path}: ${reason}`) });
    expect(files.map((f) => f.path)).toEqual(['new\nline.pdf']);
    expect(skipped).toEqual(['inv\ufffdoice.pdf: its name is not valid UTF-8; rename it to sort it']);
  });

  it('reads text rules’ text up to the cap and records the modification time as createdAt', async () => {
    const dir = await tempFolder();
    dirs.push(dir);
    await writeFile(join(dir, 'long.txt'), 'a'.repeat(200_000));
    const [file] = await scanFolder(dir, { textCapBytes: 100_000 });
    expect(file?.subject.text.length).toBe(100_000);
    expect(file?.subject.createdAt).toBe(new Date(file!.mtimeMs).toISOString());
    expect(file?.size).toBe(200_000);
  });
});
