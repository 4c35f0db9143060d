import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSqliteCatalog } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { runCrashChild } from './support/crash-child.js';

const CHILD = fileURLToPath(new URL('./support/watch-crash-child.ts', import.meta.url));
const runChild = (args: string[], crashAt: string) => runCrashChild(CHILD, args, crashAt);

async function filesIn(dataDir: string) {
  const catalog = createSqliteCatalog({ path: join(dataDir, 'fileforge.db') });
  try {
    return (await catalog.files.list('default', { limit: 100 })).items;
  } finally {
    await catalog.close();
  }
}

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('folder watcher across a crash (issue 10)', () => {
  it.each([
    ['after-watch-claim', 0],
    ['after-watch-ingest', 1],
  ])(
    'a watcher SIGKILLed at %s and restarted ingests the file exactly once',
    { timeout: 60_000 },
    async (crashAt, recordsAfterCrash) => {
      const root = await mkdtemp(join(tmpdir(), 'fileforge-watch-crash-'));
      dirs.push(root);
      const dataDir = join(root, 'data');
      const folder = join(root, 'inbox');
      await mkdir(folder);
      const body = `a watched file must survive a crash\n${'z'.repeat(5000)}\n`;
      await writeFile(join(folder, 'scan.txt'), body);

      const first = await runChild([dataDir, folder], crashAt);
      expect(first.ended, first.stderr).toBe('SIGKILL');
      // Killed holding the claim: the file is in the claim area, not in the folder.
      expect(await readdir(folder)).toEqual(['.fileforge-claims']);
      expect(await readdir(join(folder, '.fileforge-claims'))).toHaveLength(1);
      expect(await filesIn(dataDir)).toHaveLength(recordsAfterCrash);

      const second = await runChild([dataDir, folder], '');
      expect(second.ended, second.stderr).toBe(0);
      const files = await filesIn(dataDir);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatchObject({
        name: 'scan.txt',
        size: Buffer.byteLength(body),
        sha256: createHash('sha256').update(body).digest('hex'),
        metadata: { source: 'watch', watch: { path: 'scan.txt' } },
      });
      expect(await readdir(join(folder, '.fileforge-claims'))).toEqual([]);
    },
  );
});
