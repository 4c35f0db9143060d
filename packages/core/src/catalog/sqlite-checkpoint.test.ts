import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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

  it('checkpoints from its background thread while the event loop is busy committing', async () => {
    const { db, path, size } = await walDatabase();
    const checkpoints = scheduleWalCheckpoints(db, { path, intervalMs: 20 });
    cleanups.push(() => checkpoints.stop());
    const before = size(path);
    commitPages(db, 200);
    // The event loop is held (a synchronous wait, far below SQLite's own 64 MiB checkpoint):
    // only another thread can copy the log back meanwhile.
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const until = Date.now() + 10_000;
    while (size(path) <= before + 150 * 3000 && Date.now() < until) Atomics.wait(pause, 0, 0, 10);
    expect(size(path)).toBeGreaterThan(before + 150 * 3000);
  });

  it('shrinks a log that grew past maxWalBytes once it has been copied back', async () => {
    const { db, path, size } = await walDatabase();
    const checkpoints = scheduleWalCheckpoints(db, { path, intervalMs: 20, maxWalBytes: 1024 * 1024 });
    cleanups.push(() => checkpoints.stop());
    commitPages(db, 600);
    expect(size(`${path}-wal`)).toBeGreaterThan(2 * 1024 * 1024);
    // Once the thread has copied the log back, the next commit starts it over and cuts the
    // file back to the bound.
    await vi.waitFor(
      () => {
        commitPages(db, 1);
        expect(size(`${path}-wal`)).toBeLessThanOrEqual(1024 * 1024);
      },
      { timeout: 10_000, interval: 20 },
    );
    expect((db.prepare('select count(*) as n from t').get() as { n: number }).n).toBeGreaterThan(600);
  });

  it('never checkpoints inside a transaction of the catalog connection', async () => {
    const { db, path, size } = await walDatabase();
    const checkpoints = scheduleWalCheckpoints(db, { path, intervalMs: 3_600_000 });
    cleanups.push(() => checkpoints.stop());
    commitPages(db, 100);
    const before = size(path);
    db.exec('begin');
    db.prepare('insert into t values (?)').run('in a transaction');
    expect(() => checkpoints.checkpoint()).not.toThrow();
    expect(size(path)).toBe(before);
    db.exec('commit');
    checkpoints.checkpoint();
    expect(size(path)).toBeGreaterThan(before + 90 * 3000);
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 101 });
  });

  it('the catalog stops its checkpoints on close and leaves no log behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-checkpoint-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'catalog.db');
    const catalog = createSqliteCatalog({ path });
    await catalog.migrate();
    // Let the background thread open its own connection with a checkpoint.
    const before = size(path);
    await vi.waitFor(() => expect(size(path)).toBeGreaterThan(before), { timeout: 10_000 });
    await catalog.close();
    // The thread's connection was closed first, so the catalog's close was the last one.
    expect(size(`${path}-wal`)).toBe(0);
    expect(statSync(`${path}-wal`, { throwIfNoEntry: false })).toBeUndefined();
  });

  it('never keeps a process alive', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-checkpoint-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const script = join(dir, 'open.mjs');
    const catalogModule = new URL('./sqlite.ts', import.meta.url).pathname;
    await writeFile(
      script,
      `const { createSqliteCatalog } = await import(${JSON.stringify(catalogModule)});\n` +
        `const catalog = createSqliteCatalog({ path: ${JSON.stringify(join(dir, 'c.db'))} });\n` +
        'await catalog.migrate();\n',
    );
    // The catalog is left open: the process must still end on its own.
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
      cwd: new URL('../..', import.meta.url).pathname,
      timeout: 30_000,
      encoding: 'utf8',
    });
    expect(child.error).toBeUndefined();
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
  });
});

function size(file: string) {
  return statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}
