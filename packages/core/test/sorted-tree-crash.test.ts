import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createForge } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { allFiles, treeProblems, walk } from './support/sorted-tree.js';

const CHILD = fileURLToPath(new URL('./support/sorted-tree-crash-child.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs the child program to its end (or its death) and reports how it ended. */
function runChild(args: string[], crashAt: string) {
  const child = spawn(
    process.execPath,
    ['--conditions=@fileforge/source', '--import', 'tsx', CHILD, ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, FILEFORGE_CRASH_AT: crashAt },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
  });
  return new Promise<{ ended: number | NodeJS.Signals; stderr: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ ended: signal ?? code ?? -1, stderr }));
  });
}

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('sorted tree across a crash mid-move (issue 10)', () => {
  it.each([
    ['after-journal', 'docs/first.txt'],
    ['after-link', 'docs/first.txt'],
    ['after-catalog', 'moved/first.txt'],
    ['after-unlink', 'moved/first.txt'],
  ])(
    'SIGKILL %s: after restart every file is at exactly one place and the catalog agrees',
    { timeout: 90_000 },
    async (point, firstAt) => {
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
        // The interrupted move is finished (catalog already changed) or rolled back (not yet).
        expect(byName).toEqual({ 'first.txt': firstAt, 'second.txt': null, 'third.txt': null });
        expect(walk(join(forge.options.sortedFolder, 'default'))).toEqual([firstAt]);
        // The crashed run (newest) is settled: the moves it had not made are rolled back.
        const [crashedRun] = (await forge.sorter.runs.list()).items;
        expect(crashedRun).toMatchObject({ status: 'partial', moved: firstAt.startsWith('moved') ? 1 : 0 });
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
