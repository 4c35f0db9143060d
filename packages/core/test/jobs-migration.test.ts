import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coreMigrations, createSqliteCatalog, runMigrations } from '@fileforge/core';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A catalog as the version before leases left it: migrated up to 0004. */
async function catalogAt0004(path: string): Promise<void> {
  const database = new Database(path);
  const db = new Kysely({ dialect: new SqliteDialect({ database }) });
  const before = Object.fromEntries(
    Object.entries(coreMigrations.migrations).filter(([name]) => name < '0005'),
  );
  await runMigrations(db, [{ name: 'core', migrations: before }]);
  const job = (id: string, status: string, key: string | null) =>
    database
      .prepare(
        `insert into jobs (id, type, payload, dedupe_key, status, attempts, max_attempts, run_at, created_at, updated_at)
         values (?, 'file.process', '{}', ?, ?, 0, 5, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
      )
      .run(id, key, status);
  // What a crash could leave: a run set back to pending beside a newer request, and a run.
  job('01aaaaaaaaaaaaaaaaaaaaaaaa', 'pending', 'k');
  job('01bbbbbbbbbbbbbbbbbbbbbbbb', 'pending', 'k');
  job('01cccccccccccccccccccccccc', 'running', 'other');
  await db.destroy();
}

describe('migration 0005: job leases and the event outbox (issue 8)', () => {
  it('keeps one pending job per key and lets a run left without a lease be claimed at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fileforge-jobs-migration-'));
    dirs.push(dir);
    const path = join(dir, 'catalog.db');
    await catalogAt0004(path);
    const catalog = createSqliteCatalog({ path });
    try {
      await catalog.migrate();
      expect(await catalog.jobs.get('01aaaaaaaaaaaaaaaaaaaaaaaa')).toMatchObject({ status: 'pending' });
      expect(await catalog.jobs.get('01bbbbbbbbbbbbbbbbbbbbbbbb')).toMatchObject({ status: 'failed' });
      const claimed = await catalog.jobs.claim({
        owner: 'after-upgrade',
        token: 't',
        types: ['file.process'],
        now: '2026-01-01T00:00:01.000Z',
        leaseUntil: '2026-01-01T00:00:31.000Z',
        limit: 10,
      });
      expect(claimed.map((j) => j.id).sort()).toEqual([
        '01aaaaaaaaaaaaaaaaaaaaaaaa',
        '01cccccccccccccccccccccccc',
      ]);
      expect(await catalog.outbox.countUndelivered()).toBe(0);
    } finally {
      await catalog.close();
    }
  });
});
