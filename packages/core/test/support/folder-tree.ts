import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One file of a listed tree: path, size, modification time and content hash. */
export interface TreeEntry {
  path: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

/** Every file under `dir` (folders with `skip` names left out), sorted by path. */
export async function listTree(dir: string, skip: readonly string[] = ['.fileforge']): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  const walk = async (relative: string) => {
    for (const entry of await readdir(join(dir, relative), { withFileTypes: true })) {
      if (skip.includes(entry.name)) continue;
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path);
      else {
        const s = await stat(join(dir, path));
        const sha256 = createHash('sha256')
          .update(await readFile(join(dir, path)))
          .digest('hex');
        out.push({ path, size: s.size, mtimeMs: s.mtimeMs, sha256 });
      }
    }
  };
  await walk('');
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Every folder under `dir` (relative), sorted. */
export async function listFolders(dir: string, skip: readonly string[] = ['.fileforge']): Promise<string[]> {
  const out: string[] = [];
  const walk = async (relative: string) => {
    for (const entry of await readdir(join(dir, relative), { withFileTypes: true })) {
      if (!entry.isDirectory() || skip.includes(entry.name)) continue;
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      out.push(path);
      await walk(path);
    }
  };
  await walk('');
  return out.sort();
}

/** A fresh temp folder. */
export function tempFolder(prefix = 'fileforge-sort-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** A minimal PDF whose bytes say PDF whatever its name. */
export function pdfBytes(text: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]); // CRC unchecked by detection
}

/** A small well-formed PNG (1×1, no pixels needed for detection) carrying `seed` in a text chunk. */
export function pngBytes(seed: number): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('tEXt', Buffer.from(`seed\0${seed}`, 'latin1')),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
