import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('examples/custom-processor', () => {
  it('registers a processor for .custom files and prints what it recorded', () => {
    const run = spawnSync(
      process.execPath,
      ['--conditions=@fileforge/source', '--import', 'tsx', 'examples/custom-processor/main.ts'],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual({
      status: 'processed',
      custom: { version: 2, records: 3, result: 'processed' },
    });
  }, 70_000);
});
