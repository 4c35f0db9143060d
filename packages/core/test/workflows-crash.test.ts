import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowRun } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { runCrashChild } from './support/crash-child.js';

const CHILD = fileURLToPath(new URL('./support/workflow-crash-child.ts', import.meta.url));
const runChild = (args: string[], crashAt: string) => runCrashChild(CHILD, args, crashAt);

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
