import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSqliteCatalog } from '@fileforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { runCrashChild } from './support/crash-child.js';

const CHILD = fileURLToPath(new URL('./support/outbox-crash-child.ts', import.meta.url));
const runChild = (args: string[], crashAt: string) => runCrashChild(CHILD, args, crashAt);

const deliveries = (log: string) =>
  existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map(
          (line) => JSON.parse(line) as { type: string; eventId: string; status: string; duplicate: boolean },
        )
    : [];

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('event outbox across a crash (issue 8)', () => {
  it.each([
    ['file.uploaded', []],
    ['file.processed', ['file.uploaded']],
  ])(
    'a SIGKILL right after %s is committed loses no event: start-up delivers it once, in order',
    {
      timeout: 60_000,
    },
    async (event, deliveredBeforeCrash) => {
      const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-outbox-crash-'));
      dirs.push(dataDir);
      const log = join(dataDir, 'deliveries.jsonl');

      const first = await runChild([dataDir, log, 'ingest'], `after-outbox-commit:${event}`);
      expect(first.ended, first.stderr).toBe('SIGKILL');
      expect(deliveries(log).map((d) => d.type)).toEqual(deliveredBeforeCrash);

      const second = await runChild([dataDir, log, 'resume'], '');
      expect(second.ended, second.stderr).toBe(0);
      const all = deliveries(log);
      expect(all.map((d) => d.type)).toEqual(['file.uploaded', 'file.processed']);
      expect(all.filter((d) => d.duplicate)).toEqual([]);
      expect(all[1]?.status).toBe('processed');

      const catalog = createSqliteCatalog({ path: join(dataDir, 'fileforge.db') });
      try {
        expect(await catalog.outbox.countUndelivered()).toBe(0);
        expect(await catalog.files.countByStatus()).toEqual({ processed: 1 });
      } finally {
        await catalog.close();
      }
    },
  );
});
