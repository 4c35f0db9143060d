import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createForge,
  createInProcessLockManager,
  createLocalBlobStore,
  createRedisLockManager,
  createSqliteCatalog,
} from '@fileforge/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ForgeContext } from '../src/forge/context.js';
import { recoverMoves } from '../src/sorter/move.js';
import { SORT_RUN_LOCK_TTL_MS, startMoveRecovery } from '../src/sorter/run-lock.js';
import { sorterOf } from '../src/sorter/runtime.js';
import { runCrashChild } from './support/crash-child.js';
import { treeProblems, walk } from './support/sorted-tree.js';

const CHILD = fileURLToPath(new URL('./support/sorted-tree-crash-child.ts', import.meta.url));

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** The planned rows of the newest run, read straight from the catalog (no forge: no recovery). */
async function newestRun(dataDir: string) {
  const catalog = createSqliteCatalog({ path: join(dataDir, 'fileforge.db') });
  try {
    const db = catalog.db!();
    const run = await db.selectFrom('sort_runs').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const planned = await db
      .selectFrom('sort_moves')
      .select('seq')
      .where('run_id', '=', run.id)
      .where('state', '=', 'planned')
      .execute();
    return { id: run.id as string, planned: planned.length };
  } finally {
    await catalog.close();
  }
}

/** A data directory whose newest sort run a SIGKILL left with its entries linked, uncommitted. */
async function crashedRun() {
  const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-sort-lock-'));
  dirs.push(dataDir);
  expect((await runCrashChild(CHILD, [dataDir, 'setup'], '')).ended).toBe(0);
  expect((await runCrashChild(CHILD, [dataDir, 'move'], 'after-link')).ended).toBe('SIGKILL');
  return { dataDir, run: await newestRun(dataDir) };
}

/** What a forge's start-up recovery works with, on `catalog`, the data directory's blobs and sorted folder. */
function recoveryContext(dataDir: string, catalog: ForgeContext['catalog'], locks: ForgeContext['locks']) {
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  return {
    catalog,
    blobs: createLocalBlobStore({ root: join(dataDir, 'uploads') }),
    locks,
    options: { materialize: true, sortedFolder: join(dataDir, 'sorted'), logger: silent, now: Date.now },
  } as unknown as ForgeContext;
}

describe('sort runs and the shared lock (issue 13)', () => {
  it('start-up recovery leaves alone a run whose lock another instance holds, and settles it once the lock is free', {
    timeout: 90_000,
  }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-sort-lock-'));
    dirs.push(dataDir);
    expect((await runCrashChild(CHILD, [dataDir, 'setup'], '')).ended).toBe(0);
    // A run whose new entries are linked but whose catalog change is not committed: what
    // another instance applying it right now looks like from the outside.
    const crashed = await runCrashChild(CHILD, [dataDir, 'move'], 'after-link');
    expect(crashed.ended, crashed.stderr).toBe('SIGKILL');
    const run = await newestRun(dataDir);
    expect(run.planned).toBe(3);

    // Another live instance "executing" that run holds its lock in the shared store.
    const locks = createInProcessLockManager();
    const held = await locks.acquire(`sort-run:${run.id}`, { ttlMs: SORT_RUN_LOCK_TTL_MS });
    expect(held).not.toBeNull();
    const linked = walk(join(dataDir, 'sorted', 'default'));
    expect(linked).toContain('moved/second.txt');

    const second = await createForge({ dataDir, locks });
    try {
      // Nothing of that run was rolled back under its owner: rows planned, links in place.
      expect((await second.sorter.runs.get(run.id))?.moves.filter((m) => m.state === 'planned')).toHaveLength(
        3,
      );
      expect(walk(join(dataDir, 'sorted', 'default'))).toEqual(linked);
    } finally {
      await second.close();
    }

    // The owner is gone (its lock released or expired): the next start settles the run.
    await locks.release(held!);
    const third = await createForge({ dataDir, locks });
    try {
      const settled = await third.sorter.runs.get(run.id);
      expect(settled?.moves.filter((m) => m.state === 'planned')).toEqual([]);
      expect(settled).toMatchObject({ status: 'partial', moved: 0 });
      expect(await treeProblems(third)).toEqual([]);
      expect(walk(join(dataDir, 'sorted', 'default'))).toEqual(['docs/first.txt']);
    } finally {
      await third.close();
    }
  });

  it('a run left alone at start-up is settled by the same instance once its lock frees (its holder died)', {
    timeout: 90_000,
  }, async () => {
    const { dataDir, run } = await crashedRun();
    const locks = createInProcessLockManager();
    // The dead process's lock, not yet expired (a restart within the TTL, with Redis locks).
    const stale = await locks.acquire(`sort-run:${run.id}`, { ttlMs: SORT_RUN_LOCK_TTL_MS });

    // The forge's own start-up recovery, on its catalog, blobs and sorted folder.
    const catalog = createSqliteCatalog({ path: join(dataDir, 'fileforge.db') });
    const ctx = recoveryContext(dataDir, catalog, locks);
    const stop = await startMoveRecovery(sorterOf(ctx), 50);
    try {
      const planned = async () =>
        (await catalog.db!().selectFrom('sort_moves').select('seq').where('state', '=', 'planned').execute())
          .length;
      expect(await planned()).toBe(3);
      await locks.release(stale!);
      // Without a restart: the follow-up finds the lock free and settles the run.
      await vi.waitFor(async () => expect(await planned()).toBe(0), { timeout: 10_000, interval: 50 });
      expect(walk(join(dataDir, 'sorted', 'default'))).toEqual(['docs/first.txt']);
    } finally {
      await stop();
      await catalog.close();
    }
  });

  it("start-up recovery renews a run's lock while it settles, so a second instance leaves the run alone past the TTL", {
    timeout: 90_000,
  }, async () => {
    const { dataDir, run } = await crashedRun();
    // The locks' clock, moved on by hand; the renewal timer, fired by hand.
    let skew = 0;
    const locks = createInProcessLockManager({ now: () => Date.now() + skew });
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const catalog = createSqliteCatalog({ path: join(dataDir, 'fileforge.db') });
    try {
      // Settling the first move waits (a slow disk or catalog) until the test lets it go.
      let reached: () => void = () => {};
      const atFirstMove = new Promise<void>((resolve) => {
        reached = resolve;
      });
      let letGo: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        letGo = resolve;
      });
      const files = {
        ...catalog.files,
        get: async (...args: Parameters<typeof catalog.files.get>) => {
          reached();
          await gate;
          return catalog.files.get(...args);
        },
      };
      const ctx = recoveryContext(dataDir, { ...catalog, files }, locks);
      const recovery = recoverMoves(sorterOf(ctx));
      await atFirstMove;
      // Two thirds of the TTL later the recovery renews its lock…
      skew += (SORT_RUN_LOCK_TTL_MS * 2) / 3;
      await vi.advanceTimersByTimeAsync(SORT_RUN_LOCK_TTL_MS / 3 + 1);
      // …so past the first TTL another instance starting up finds the run still held.
      skew += (SORT_RUN_LOCK_TTL_MS * 2) / 3;
      expect(await locks.acquire(`sort-run:${run.id}`, { ttlMs: SORT_RUN_LOCK_TTL_MS })).toBeNull();
      letGo();
      expect(await recovery).toMatchObject({ rolledBack: 3, inFlight: 0 });
      expect(walk(join(dataDir, 'sorted', 'default'))).toEqual(['docs/first.txt']);
    } finally {
      vi.useRealTimers();
      await catalog.close();
    }
  });

  it('a forge applying a run holds its lock while it executes and frees it when settled', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-sort-lock-'));
    dirs.push(dataDir);
    const seen: string[] = [];
    const inner = createInProcessLockManager();
    // Records which keys are taken, through the shared manager the forge is given.
    const locks = {
      ...inner,
      withLock: ((key, fn, options) => {
        seen.push(key);
        return inner.withLock(key, fn, options);
      }) as typeof inner.withLock,
    };
    const forge = await createForge({ dataDir, locks });
    try {
      const { Readable } = await import('node:stream');
      await forge.ingest(Readable.from([Buffer.from('hello\n')]), { name: 'a.txt' });
      await forge.queue.onIdle();
      const run = await forge.sorter.apply({
        rules: [
          { id: 'all', conditions: [{ field: 'ext', op: 'eq', value: 'txt' }], destination: 'x/{name}{ext}' },
        ],
      });
      expect(run.moved).toBe(1);
      expect(seen).toEqual([`sort-run:${run.id}`]);
      // Released: another instance could take it now.
      expect(await inner.acquire(`sort-run:${run.id}`, { ttlMs: 1000 })).not.toBeNull();
    } finally {
      await forge.close();
    }
  });

  it('refuses to start a sort run while the shared lock store is unreachable (LOCKS_UNAVAILABLE), moving nothing', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fileforge-sort-lock-'));
    dirs.push(dataDir);
    // Port 1 on loopback: nothing listens there.
    const locks = createRedisLockManager({ url: 'redis://127.0.0.1:1', prefix: 'x:' });
    const forge = await createForge({ dataDir, locks });
    try {
      const { Readable } = await import('node:stream');
      const file = await forge.ingest(Readable.from([Buffer.from('hello\n')]), { name: 'a.txt' });
      await forge.queue.onIdle();
      await expect(
        forge.sorter.apply({
          rules: [
            {
              id: 'all',
              conditions: [{ field: 'ext', op: 'eq', value: 'txt' }],
              destination: 'x/{name}{ext}',
            },
          ],
        }),
      ).rejects.toMatchObject({ code: 'LOCKS_UNAVAILABLE' });
      expect((await forge.sorter.runs.list()).items).toEqual([]);
      expect((await forge.files.get(file.id))?.path).toBeNull();
    } finally {
      await forge.close();
      await locks.close();
    }
  });
});
