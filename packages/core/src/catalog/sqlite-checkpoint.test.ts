import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSqliteCatalog } from './sqlite.js';
import { scheduleWalCheckpoints } from './sqlite-checkpoint.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function walDatabase() {
  const dir = await mkdtemp(join(tmpdir(), 'ff-checkpoint-'));
  const path = join(dir, 'catalog.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('create table t (x text)');
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  cleanups.push(() => db.open && db.close());
  return { db, path, size: (file: string) => statSync(file, { throwIfNoEntry: false })?.size ?? 0 };
}

/** Commits `pages` one-page rows, each its own commit, as the catalog's state changes are. */
function commitPages(db: Database.Database, pages: number) {
  const insert = db.prepare('insert into t values (?)');
  for (let i = 0; i < pages; i++) insert.run('x'.repeat(3000));
}

describe('SQLite WAL checkpoints', () => {
  it('leaves the log to the timer instead of checkpointing inside a commit at 1,000 pages', async () => {
    const { db, path, size } = await walDatabase();
    const checkpoints = scheduleWalCheckpoints(db, { path, intervalMs: 3_600_000 });
    cleanups.push(() => checkpoints.stop());
    commitPages(db, 1500);
    // With SQLite's default the log would have been copied back and restarted at 1,000 pages.
    expect(size(`${path}-wal`)).toBeGreaterThan(1400 * 4096);
    const before = size(path);
    checkpoints.checkpoint();
    expect(size(path)).toBeGreaterThan(before + 1400 * 3000);
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 1500 });
  });

  it('checkpoints on its own timer', async () => {
    const { db, path, size } = await walDatabase();
    const checkpoints = scheduleWalCheckpoints(db, { path, intervalMs: 20 });
    cleanups.push(() => checkpoints.stop());
    const before = size(path);
    commitPages(db, 200);
    await vi.waitFor(() => expect(size(path)).toBeGreaterThan(before + 150 * 3000), { timeout: 10_000 });
  });

  it('truncates a log that grew past maxWalBytes, and never checkpoints inside a transaction', async () => {
    const { db, path, size } = await walDatabase();
    const checkpoints = scheduleWalCheckpoints(db, { path, intervalMs: 3_600_000, maxWalBytes: 1024 * 1024 });
    cleanups.push(() => checkpoints.stop());
    commitPages(db, 600);
    expect(size(`${path}-wal`)).toBeGreaterThan(1024 * 1024);
    db.exec('begin');
    db.prepare('insert into t values (?)').run('in a transaction');
    expect(() => checkpoints.checkpoint()).not.toThrow();
    expect(size(`${path}-wal`)).toBeGreaterThan(1024 * 1024);
    db.exec('commit');
    checkpoints.checkpoint();
    expect(size(`${path}-wal`)).toBe(0);
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 601 });
  });

  it('the catalog stops its checkpoint timer on close and leaves no log behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-checkpoint-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'catalog.db');
    const set = vi.spyOn(globalThis, 'setInterval');
    const clear = vi.spyOn(globalThis, 'clearInterval');
    cleanups.push(() => vi.restoreAllMocks());
    const catalog = createSqliteCatalog({ path });
    const timer = set.mock.results[0]?.value as NodeJS.Timeout;
    expect(set).toHaveBeenCalledTimes(1);
    expect(timer.hasRef()).toBe(false); // never keeps a process alive
    await catalog.migrate();
    expect(clear).not.toHaveBeenCalledWith(timer);
    await catalog.close();
    expect(clear).toHaveBeenCalledWith(timer);
    expect(size(`${path}-wal`)).toBe(0);
  });
});

function size(file: string) {
  return statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}
