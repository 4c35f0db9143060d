import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createForge } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { runCrashChild } from './support/crash-child.js';
import { allFiles, treeProblems, walk } from './support/sorted-tree.js';

const CHILD = fileURLToPath(new URL('./support/sorted-tree-crash-child.ts', import.meta.url));
const runChild = (args: string[], crashAt: string) => runCrashChild(CHILD, args, crashAt);

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('sorted tree across a crash mid-delete', () => {
  it.each([
    ['after-entry', true],
    ['after-commit', false],
  ])(
    'SIGKILL %s: the file is either still there and readable, or gone with nothing of it left in SORTED_FOLDER',
    { timeout: 90_000 },
    async (point, kept) => {
      const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-sorted-delete-crash-'));
      dirs.push(dataDir);
      const setup = await runChild([dataDir, 'setup'], '');
      expect(setup.ended, setup.stderr).toBe(0);
      const crashed = await runChild([dataDir, 'delete'], `delete:${point}`);
      expect(crashed.ended, crashed.stderr).toBe('SIGKILL');
      const resumed = await runChild([dataDir, 'resume'], '');
      expect(resumed.ended, resumed.stderr).toBe(0);

      const forge = await createForge({ dataDir });
      try {
        const first = (await allFiles(forge)).find((f) => f.name === 'first.txt');
        // Never the deleted file's bytes left browsable, whatever the crash point.
        expect(walk(join(forge.options.sortedFolder, 'default'))).toEqual([]);
        if (kept) {
          // Not deleted: still readable; only its entry is missing, which fsck repairs.
          expect(first?.path).toBe('docs/first.txt');
          const { stream } = await forge.files.open(first!.id);
          expect(Buffer.concat(await stream.toArray()).toString()).toBe('first.txt\n');
          expect(await treeProblems(forge)).toEqual(['missing on disk: docs/first.txt']);
        } else {
          expect(first).toBeUndefined();
          expect(await treeProblems(forge)).toEqual([]);
        }
      } finally {
        await forge.close();
      }
    },
  );
});

describe('sorted tree across a crash mid-move (issue 10)', () => {
  // The three moves are one batch, so a crash point is reached once for all of them: before
  // the catalog transaction every move rolls back, after it every move is finished.
  const before = { 'first.txt': 'docs/first.txt', 'second.txt': null, 'third.txt': null };
  const after = {
    'first.txt': 'moved/first.txt',
    'second.txt': 'moved/second.txt',
    'third.txt': 'moved/third.txt',
  };
  it.each([
    ['after-journal', before],
    ['after-link', before],
    ['after-catalog', after],
    ['after-unlink', after],
  ])(
    'SIGKILL %s: after restart every file is at exactly one place and the catalog agrees',
    { timeout: 90_000 },
    async (point, expected) => {
      const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-sorted-crash-'));
      dirs.push(dataDir);
      const setup = await runChild([dataDir, 'setup'], '');
      expect(setup.ended, setup.stderr).toBe(0);

      const crashed = await runChild([dataDir, 'move'], point);
      expect(crashed.ended, crashed.stderr).toBe('SIGKILL');
      const resumed = await runChild([dataDir, 'resume'], '');
      expect(resumed.ended, resumed.stderr).toBe(0);

      const forge = await createForge({ dataDir });
      try {
        expect(await treeProblems(forge)).toEqual([]);
        const byName = Object.fromEntries((await allFiles(forge)).map((f) => [f.name, f.path]));
        // The interrupted moves are finished (catalog already changed) or rolled back (not yet).
        expect(byName).toEqual(expected);
        const placed = Object.values(expected).filter((p): p is string => p !== null);
        expect(walk(join(forge.options.sortedFolder, 'default'))).toEqual(placed.sort());
        // The crashed run (newest) is settled from its journal.
        const [crashedRun] = (await forge.sorter.runs.list()).items;
        const finished = expected === after;
        expect(crashedRun).toMatchObject({
          status: finished ? 'applied' : 'partial',
          moved: finished ? 3 : 0,
        });
        // Nothing is left planned: the journal is settled.
        for (const r of (await forge.sorter.runs.list()).items) {
          const full = await forge.sorter.runs.get(r.id);
          expect(full?.moves.filter((m) => m.state === 'planned')).toEqual([]);
        }
        // And the tree works on: sorting again completes the interrupted run's intent.
        await forge.sorter.apply({
          rules: [
            {
              id: 'moved',
              conditions: [{ field: 'ext', op: 'eq', value: 'txt' }],
              destination: 'moved/{name}{ext}',
            },
          ],
        });
        expect(await treeProblems(forge)).toEqual([]);
        expect(walk(join(forge.options.sortedFolder, 'default'))).toEqual([
          'moved/first.txt',
          'moved/second.txt',
          'moved/third.txt',
        ]);
      } finally {
        await forge.close();
      }
    },
  );
});
