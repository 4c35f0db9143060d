import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectIngestFiles } from './ingest-files.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('collectIngestFiles', () => {
  it('lists folders’ files in name order, sub-folders with recursive, and names that are not UTF-8 apart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fileforge-ingest-files-'));
    dirs.push(dir);
    await writeFile(join(dir, 'b.txt'), 'b');
    await writeFile(join(dir, 'a.txt'), 'a');
    await writeFile(join(dir, '.hidden'), 'h');
    await writeFile(join(dir, 'line\nbreak.txt'), 'l');
    // `bad\xff.txt`: bytes a POSIX name may hold, which no JavaScript string reaches.
    await writeFile(
      Buffer.concat([Buffer.from(`${dir}/bad`), Buffer.from([0xff]), Buffer.from('.txt')]),
      'x',
    );
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'c.txt'), 'c');

    const flat = await collectIngestFiles([dir], { recursive: false });
    expect(flat.files).toEqual([join(dir, 'a.txt'), join(dir, 'b.txt'), join(dir, 'line\nbreak.txt')]);
    expect(flat.badNames).toEqual([join(dir, 'bad\ufffd.txt')]);
    const deep = await collectIngestFiles([dir, join(dir, 'missing')], { recursive: true });
    expect(deep.files).toContain(join(dir, 'sub', 'c.txt'));
    expect(deep.unreadable).toEqual([join(dir, 'missing')]);
  });
});
