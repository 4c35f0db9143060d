import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

  it('reports a sub-folder it may not read and still lists the rest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fileforge-ingest-denied-'));
    dirs.push(dir);
    await chmod(dir, 0o777);
    await writeFile(join(dir, 'top.txt'), 'top');
    await mkdir(join(dir, 'locked'));
    await writeFile(join(dir, 'locked', 'inner.txt'), 'inner');
    // Root reads everything: as root the walk runs as `nobody`, who cannot read `locked`.
    const asRoot = process.getuid?.() === 0;
    await chmod(join(dir, 'locked'), asRoot ? 0o700 : 0o000);
    try {
      const module = fileURLToPath(new URL('./ingest-files.ts', import.meta.url));
      const child = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          `const { collectIngestFiles } = await import(${JSON.stringify(module)});
           console.log(JSON.stringify(await collectIngestFiles([${JSON.stringify(dir)}], { recursive: true })));`,
        ],
        {
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, HOME: dir },
          ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
        },
      );
      expect(child.status, child.stderr).toBe(0);
      const found = JSON.parse(child.stdout) as {
        files: string[];
        deniedFolders: string[];
        unreadable: string[];
      };
      expect(found.files).toEqual([join(dir, 'top.txt')]);
      expect(found.deniedFolders).toEqual([join(dir, 'locked')]);
      expect(found.unreadable).toEqual([]);
    } finally {
      await chmod(join(dir, 'locked'), 0o755);
    }
  });
});
