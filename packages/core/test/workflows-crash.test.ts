import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowRun } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./support/workflow-crash-child.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function runChild(args: string[], crashAt: string) {
  const child = spawn(
    process.execPath,
    ['--conditions=@fileforge/source', '--import', 'tsx', CHILD, ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, FILEFORGE_CRASH_AT: crashAt },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString('utf8');
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
  });
  return new Promise<{ ended: number | NodeJS.Signals; stdout: string; stderr: string }>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve({ ended: signal ?? code ?? -1, stdout, stderr }));
    },
  );
}

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('workflow runs across a crash (issue 10)', () => {
  it.each(['a', 'b'])(
    'a SIGKILL right after step %s committed: after restart the run finishes and every step ran exactly once',
    { timeout: 60_000 },
    async (step) => {
      const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-workflow-crash-'));
      dirs.push(dataDir);
      const effects = join(dataDir, 'effects.log');
      const first = await runChild([dataDir, effects, 'start'], `after-step-commit:${step}`);
      expect(first.ended, first.stderr).toBe('SIGKILL');
      const before = readFileSync(effects, 'utf8').split('\n').filter(Boolean);
      expect(before).toEqual(step === 'a' ? ['a'] : ['a', 'b']);

      const second = await runChild([dataDir, effects, 'resume'], '');
      expect(second.ended, second.stderr).toBe(0);
      const run = JSON.parse(second.stdout) as WorkflowRun;
      expect(run.status).toBe('completed');
      expect(run.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
        ['a', 'completed', 1],
        ['b', 'completed', 1],
        ['c', 'completed', 1],
      ]);
      expect(existsSync(effects) && readFileSync(effects, 'utf8')).toBe('a\nb\nc\n');
    },
  );
});
