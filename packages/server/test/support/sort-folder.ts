/**
 * Messy folders and full tree listings for the `fileforge sort` tests.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makePdf, makePng } from './fixtures.js';

/** One entry of a tree: folders with `kind: 'dir'`, files with size, mtime and content hash. */
export interface TreeEntry {
  path: string;
  kind: 'file' | 'dir';
  size: number;
  mtimeMs: number;
  sha256?: string;
}

/** Everything under `dir`, folders included, sorted by path; `skip` names are left out. */
export async function listTree(dir: string, skip: readonly string[] = []): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  const walk = async (relative: string) => {
    for (const entry of await readdir(join(dir, relative), { withFileTypes: true })) {
      if (skip.includes(entry.name)) continue;
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      const s = await lstat(join(dir, path));
      if (entry.isDirectory()) {
        out.push({ path, kind: 'dir', size: 0, mtimeMs: s.mtimeMs });
        await walk(path);
      } else {
        const sha256 = createHash('sha256')
          .update(await readFile(join(dir, path)))
          .digest('hex');
        out.push({ path, kind: 'file', size: s.size, mtimeMs: s.mtimeMs, sha256 });
      }
    }
  };
  await walk('');
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Files only, without folder times (which a move and its undo necessarily touch). */
export const filesOf = (tree: TreeEntry[]) =>
  tree
    .filter((e) => e.kind === 'file')
    .map(({ path, size, mtimeMs, sha256 }) => ({ path, size, mtimeMs, sha256 }));

/** Rules the tests sort by: PDFs to invoices/YYYY, PNGs to images, minutes to notes. */
export const SORT_RULES = `
- id: invoices
  category: invoices
  conditions: [{ field: mime, op: eq, value: application/pdf }]
  destination: "invoices/{created:YYYY}/{name}{ext}"
  onConflict: rename_new
- id: images
  conditions: [{ field: mime, op: glob, value: "image/*" }]
  destination: "images/{name}{ext}"
  onConflict: overwrite
- id: notes
  conditions: [{ field: text, algorithm: any, value: minutes }]
  destination: "notes/{name}{ext}"
`;

/**
 * Writes `count` files of three kinds into `dir` (PDFs, PNGs named `.dat`, text notes), an
 * older PNG at one image's destination (overwrite sends it to the trash) and an unmatched
 * file, plus the rules file at `rulesPath`.
 */
export async function makeMessyFolder(dir: string, count: number, rulesPath: string): Promise<void> {
  await writeFile(rulesPath, SORT_RULES);
  const png = makePng(8, 8);
  for (let i = 0; i < count; i++) {
    const kind = i % 3;
    if (kind === 0) await writeFile(join(dir, `invoice-${i}.pdf`), makePdf(`Invoice ${i}`));
    else if (kind === 1)
      await writeFile(join(dir, `scan-${i}.dat`), Buffer.concat([png, Buffer.from(`#${i}`)]));
    else await writeFile(join(dir, `note-${i}.txt`), `minutes of meeting ${i}\n`);
  }
  await writeFile(join(dir, 'unmatched.bin'), Buffer.from([0, 1, 2, 3, 255]));
  await mkdir(join(dir, 'images'));
  await writeFile(join(dir, 'images', 'scan-1.png'), 'older image');
}
