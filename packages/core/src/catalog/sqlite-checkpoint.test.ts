import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { endCheckpointThreadForTests } from './checkpointer.js';
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
  const size = (file: string) => statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  /** Commits `pages` one-page rows and waits until a checkpoint has copied most of them back. */
  const commitAndAwaitCheckpoint = async (pages: number) => {
    const before = size(path);
    commitPages(db, pages);
    await vi.waitFor(() => expect(size(path)).toBeGreaterThan(before + pages * 0.8 * 3000), {
      timeout: 10_000,
    });
  };
  return { db, path, size, commitAndAwaitCheckpoint };
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

  it('moves the checkpoints to a background thread under a heavy write load', async () => {
    const { db, path, size, commitAndAwaitCheckpoint } = await walDatabase();
    const checkpoints = scheduleWalCheckpoints(db, { path, intervalMs: 20, offloadAfterPages: 100 });
    cleanups.push(() => checkpoints.stop());
    // The timer finds a log of 200 pages and hands over.
    await commitAndAwaitCheckpoint(200);
    const before = size(path);
    commitPages(db, 200);
    // The event loop is held (a synchronous wait, far below SQLite's own 64 MiB checkpoint):
    // only another thread can copy the log back meanwhile.
    blockEventLoopUntil(() => size(path) > before + 150 * 3000, 10_000);
    expect(size(path)).toBeGreaterThan(before + 150 * 3000);
  });

  it('hands the first heavy burst itself to the thread, not only the ones after it', async () => {
    const { db, path, commitAndAwaitCheckpoint } = await walDatabase();
    const checkpoints = scheduleWalCheckpoints(db, { path, intervalMs: 20, offloadAfterPages: 100 });
    cleanups.push(() => checkpoints.stop());
    const onEventLoop = vi.spyOn(db, 'pragma');
    // 200 pages written between two ticks: copying them back is the thread's work from the start.
    await commitAndAwaitCheckpoint(200);
    await commitAndAwaitCheckpoint(200);
    expect(onEventLoop.mock.calls.filter(([sql]) => /wal_checkpoint/.test(String(sql)))).toEqual([]);
  });

  it('takes the checkpoints back onto the event loop when the thread dies', async () => {
    const { db, path, commitAndAwaitCheckpoint } = await walDatabase();
    const checkpoints = scheduleWalCheckpoints(db, { path, intervalMs: 20, offloadAfterPages: 1 });
    cleanups.push(() => checkpoints.stop());
    await commitAndAwaitCheckpoint(20); // handed over
    await endCheckpointThreadForTests();
    // Nothing of the thread is left: the timer copies the next commits back.
    await commitAndAwaitCheckpoint(20);
  });

  it('keeps the checkpoints of a lightly written catalog on the event loop', async () => {
    const { db, path, size, commitAndAwaitCheckpoint } = await walDatabase();
    // However slowly this disk syncs: that rule has a test of its own.
    const checkpoints = scheduleWalCheckpoints(db, {
      path,
      intervalMs: 20,
      offloadAfterPages: 1000,
      offloadAfterMs: 60_000,
    });
    cleanups.push(() => checkpoints.stop());
    await commitAndAwaitCheckpoint(50);
    const before = size(path);
    commitPages(db, 50);
    // No thread was started: with the event loop held, nothing copies the log back...
    blockEventLoopUntil(() => size(path) > before, 500);
    expect(size(path)).toBe(before);
    // ...and the timer does once it runs again.
    await vi.waitFor(() => expect(size(path)).toBeGreaterThan(before + 40 * 3000), { timeout: 10_000 });
  });

  it('moves the checkpoints to the thread once one held the event loop too long, however small', async () => {
    const { db, path, size, commitAndAwaitCheckpoint } = await walDatabase();
    // Every checkpoint is "too long" at 0 ms: the first, on the event loop, hands over.
    const checkpoints = scheduleWalCheckpoints(db, {
      path,
      intervalMs: 20,
      offloadAfterPages: 1000,
      offloadAfterMs: 0,
    });
    cleanups.push(() => checkpoints.stop());
    const onEventLoop = vi.spyOn(db, 'pragma');
    await commitAndAwaitCheckpoint(50);
    expect(onEventLoop.mock.calls.filter(([sql]) => /wal_checkpoint/.test(String(sql)))).toHaveLength(1);
    const before = size(path);
    commitPages(db, 50);
    // With the event loop held, only the thread can copy the log back.
    blockEventLoopUntil(() => size(path) > before + 40 * 3000, 10_000);
    expect(size(path)).toBeGreaterThan(before + 40 * 3000);
  });

  it('closes the thread connection on stop, so the last close removes the log', async () => {
    const { db, path, commitAndAwaitCheckpoint } = await walDatabase();
    const checkpoints = scheduleWalCheckpoints(db, { path, intervalMs: 20, offloadAfterPages: 1 });
    await commitAndAwaitCheckpoint(20); // handed over
    // From here only the thread checkpoints, on its own connection.
    await commitAndAwaitCheckpoint(20);
    checkpoints.stop();
    db.close();
    expect(statSync(`${path}-wal`, { throwIfNoEntry: false })).toBeUndefined();
  });

  it('shrinks a log that grew past maxWalBytes once it has been copied back', async () => {
    const { db, path, size } = await walDatabase();
    const checkpoints = scheduleWalCheckpoints(db, { path, intervalMs: 20, maxWalBytes: 1024 * 1024 });
    cleanups.push(() => checkpoints.stop());
    commitPages(db, 600);
    expect(size(`${path}-wal`)).toBeGreaterThan(2 * 1024 * 1024);
    // Once the log has been copied back, the next commit starts it over and cuts the file back
    // to the bound.
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
    await catalog.close();
    expect(statSync(`${path}-wal`, { throwIfNoEntry: false })).toBeUndefined();
  });

  it('never keeps a process alive', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-checkpoint-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const script = join(dir, 'open.mjs');
    const checkpointModule = new URL('./sqlite-checkpoint.ts', import.meta.url).pathname;
    const dbPath = join(dir, 'c.db');
    await writeFile(
      script,
      [
        `import Database from ${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))};`,
        `const { scheduleWalCheckpoints } = await import(${JSON.stringify(checkpointModule)});`,
        `const db = new Database(${JSON.stringify(dbPath)});`,
        "db.pragma('journal_mode = WAL');",
        "db.exec('create table t (x text)');",
        `scheduleWalCheckpoints(db, { path: ${JSON.stringify(dbPath)}, intervalMs: 10, offloadAfterPages: 1 });`,
        "for (let i = 0; i < 50; i++) db.prepare('insert into t values (?)').run('x'.repeat(3000));",
        // Long enough for the hand-over to the thread; then nothing is left but unref'd work.
        'await new Promise((resolve) => setTimeout(resolve, 300));',
        "process.stdout.write('handed over\\n');",
      ].join('\n'),
    );
    // The database and its schedule are left open: the process must still end on its own.
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
      cwd: new URL('../..', import.meta.url).pathname,
      timeout: 30_000,
      encoding: 'utf8',
    });
    expect(child.error).toBeUndefined();
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('handed over\n');
    expect(child.status).toBe(0);
  });
});

/** Holds the event loop (a synchronous wait) until `done()` or `ms` have passed. */
function blockEventLoopUntil(done: () => boolean, ms: number) {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) Atomics.wait(pause, 0, 0, 10);
}
