import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openAuditTrail, openAuditTrailReadOnly } from '../src/index.js';

const CORE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const WRITERS = 6;
const ENTRIES = 40;

/** A process appending `count` entries one after another to the trail of `url`. */
function writer(url: string, name: string, count: number): Promise<{ code: number | null; stderr: string }> {
  const script = `
    const { openAuditTrail } = await import('@fileforge/core');
    const trail = await openAuditTrail(${JSON.stringify(url)});
    try {
      for (let i = 0; i < ${count}; i++)
        await trail.record({ tenant: null, actor: { type: 'cli', id: ${JSON.stringify(name)} }, action: 'test.append', details: { i } });
    } finally {
      await trail.close();
    }
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@fileforge/source', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: CORE_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

// Several processes on one SQLite catalog (a server, its CLI commands, workers) append at once.
describe('audit trail appends from several processes on one SQLite catalog', () => {
  it('keeps every entry, in one unbroken chain', { timeout: 120_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'ff-audit-writers-'));
    const url = `sqlite:${join(dir, 'fileforge.db')}`;
    await (await openAuditTrail(url)).close(); // the table, before the writers race for it
    const results = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) => writer(url, `writer-${i}`, ENTRIES)),
    );
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const trail = await openAuditTrailReadOnly(url);
    try {
      const verification = await trail.verify();
      expect(verification.ok).toBe(true);
      expect(verification.checked).toBe(WRITERS * ENTRIES);
    } finally {
      await trail.close();
    }
  });
});
