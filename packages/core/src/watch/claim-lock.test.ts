import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInProcessLockManager } from '../locks/index.js';
import { claimArea, claimFileName } from './claim.js';
import { type ClaimedFile, createFolderWatcher, type FolderWatcher } from './folder-watcher.js';

const dirs: string[] = [];
const watchers: FolderWatcher[] = [];
afterEach(async () => {
  for (const w of watchers.splice(0)) await w.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('folder watcher claim locks (issue 13)', () => {
  it('a watcher starting up leaves alone a claim another live watcher is ingesting', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'fileforge-claim-lock-'));
    dirs.push(folder);
    await writeFile(join(folder, 'scan.txt'), 'content');
    // One catalog and one lock store shared by both watchers (two instances of a deployment).
    const recorded = new Set<string>();
    const locks = createInProcessLockManager();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const calls = { a: [] as ClaimedFile[], b: [] as ClaimedFile[] };
    const watcher = (name: 'a' | 'b', slow: boolean) => {
      const w = createFolderWatcher({
        folder,
        stabilityMs: 0,
        pollIntervalMs: 60_000,
        locks,
        isIngested: async (id) => recorded.has(id),
        async ingest(file) {
          calls[name].push(file);
          if (slow) await gate;
          recorded.add(file.claimId);
        },
      });
      watchers.push(w);
      return w;
    };

    const a = watcher('a', true);
    const started = a.start();
    // A has claimed the file and is ingesting it (held up by the gate).
    await vi.waitFor(() => expect(calls.a).toHaveLength(1), { timeout: 10_000, interval: 10 });
    expect(await readdir(join(folder, '.fileforge-claims'))).toHaveLength(1);

    // B starts meanwhile: it finds A's claim in the claim area, and must not ingest it too.
    const b = watcher('b', false);
    await b.start();
    await b.rescan();
    expect(calls.b).toEqual([]);

    open();
    await started;
    expect([...recorded]).toEqual([calls.a[0]?.claimId]);
    expect(await readdir(join(folder, '.fileforge-claims'))).toEqual([]);
    expect(await readdir(folder)).toEqual(['.fileforge-claims']);
  });

  it('defers a file while the lock store is unreachable instead of ingesting it unlocked, and takes it once the store is back', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'fileforge-claim-lock-'));
    dirs.push(folder);
    await writeFile(join(folder, 'scan.txt'), 'content');
    const inner = createInProcessLockManager();
    let reachable = false;
    const locks = {
      ...inner,
      withLock: ((key, fn, options) =>
        reachable
          ? inner.withLock(key, fn, options)
          : Promise.reject(new Error('connect ECONNREFUSED'))) as typeof inner.withLock,
    };
    const ingested: string[] = [];
    const w = createFolderWatcher({
      folder,
      stabilityMs: 0,
      pollIntervalMs: 60_000,
      locks,
      isIngested: async (id) => ingested.includes(id),
      async ingest(file) {
        ingested.push(file.claimId);
      },
    });
    watchers.push(w);
    await w.start().catch(() => {});
    expect(ingested).toEqual([]);
    expect(await readdir(folder)).toContain('scan.txt');
    reachable = true;
    await w.rescan();
    await w.rescan();
    expect(ingested).toHaveLength(1);
    expect(await readdir(folder)).toEqual(['.fileforge-claims']);
  });

  it('finishes a claim its dead holder left once that holder’s lock is free (a restart within the TTL)', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'fileforge-claim-lock-'));
    dirs.push(folder);
    const claimId = '01m8kx96yb4y4q4hhdkv8ab4df';
    await mkdir(claimArea(folder), { recursive: true });
    await writeFile(join(claimArea(folder), claimFileName(claimId, 'scan.txt')), 'content');
    // The previous life of this watcher died holding the claim: its lock has not expired yet.
    const locks = createInProcessLockManager();
    const stale = await locks.acquire(`watch:${folder}:claim:${claimId}`, { ttlMs: 60_000 });
    const ingested: string[] = [];
    const w = createFolderWatcher({
      folder,
      stabilityMs: 0,
      pollIntervalMs: 20,
      lockTtlMs: 100,
      locks,
      isIngested: async (id) => ingested.includes(id),
      async ingest(file) {
        ingested.push(file.claimId);
      },
    });
    watchers.push(w);
    await w.start();
    await w.rescan();
    expect(ingested).toEqual([]);

    await locks.release(stale!);
    await vi.waitFor(() => expect(ingested).toEqual([claimId]), { timeout: 10_000, interval: 20 });
    await vi.waitFor(async () => expect(await readdir(claimArea(folder))).toEqual([]), { timeout: 10_000 });
  });
});
