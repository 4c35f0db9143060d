import { expect, it } from 'vitest';
import type { Catalog, JobClaim } from '../catalog/index.js';
import { sampleJob } from './samples.js';

/** Well after every sample job's `runAt`. */
const T0 = Date.parse('2030-01-01T00:00:00Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

/** A claim at `ms` after T0 with a lease of `leaseMs`. */
const claimAt = (
  owner: string,
  token: string,
  ms: number,
  leaseMs = 1000,
  types = ['file.process'],
): JobClaim => ({
  owner,
  token,
  types,
  now: at(ms),
  leaseUntil: at(ms + leaseMs),
  limit: 10,
});

/** Job store cases of the catalog conformance suite (leases, keys). Registered inside `describeCatalog`. */
export function jobStoreCases(current: () => Catalog): void {
  it('persists jobs and lists the unfinished ones oldest first', async () => {
    const { jobs } = current();
    const a = sampleJob();
    const b = sampleJob();
    const c = sampleJob({ status: 'completed' });
    for (const j of [c, b, a]) await jobs.insert(j);
    expect((await jobs.listUnfinished()).map((j) => j.id)).toEqual([a.id, b.id]);
    expect((await jobs.claim({ ...claimAt('A', 'a1', 0), limit: 1 })).map((j) => j.id)).toEqual([a.id]);
    expect(await jobs.finish(a.id, 'a1', { status: 'failed', lastError: 'nope' })).toBe('done');
    expect(await jobs.get(a.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'nope',
      leaseOwner: null,
      leaseExpiresAt: null,
    });
    expect(await jobs.countByStatus()).toEqual({ failed: 1, pending: 1, completed: 1 });
    expect(await jobs.countUnfinished(['file.process'])).toBe(1);
    expect(await jobs.countUnfinished(['other'])).toBe(0);
  });

  it('lets a pending job absorb a new one with the same key, but not a running one', async () => {
    const { jobs } = current();
    const first = sampleJob({ key: 'file.process:default/a' });
    expect((await jobs.insert(first)).id).toBe(first.id);
    const again = sampleJob({ key: 'file.process:default/a' });
    expect((await jobs.insert(again)).id).toBe(first.id);
    expect(await jobs.get(again.id)).toBeNull();
    expect((await jobs.insert(sampleJob({ key: 'file.process:default/b' }))).id).not.toBe(first.id);
    await jobs.claim({ ...claimAt('A', 'a1', 0), limit: 2 });
    expect((await jobs.get(first.id))?.status).toBe('running');
    const afterStart = sampleJob({ key: 'file.process:default/a' });
    expect((await jobs.insert(afterStart)).id).toBe(afterStart.id);
    // Never two pending: the next request merges into the one that waits.
    expect((await jobs.insert(sampleJob({ key: 'file.process:default/a' }))).id).toBe(afterStart.id);
    const unkeyed = [sampleJob(), sampleJob()];
    for (const j of unkeyed) expect((await jobs.insert(j)).id).toBe(j.id);
  });

  it('leases a job to one claimer at a time until its lease runs out', async () => {
    const { jobs } = current();
    const job = sampleJob();
    const other = sampleJob({ type: 'other.kind' });
    await jobs.insert(job);
    await jobs.insert(other);
    const [claimed, ...rest] = await jobs.claim(claimAt('A', 'a1', 0));
    expect(rest).toEqual([]);
    expect(claimed).toMatchObject({ id: job.id, status: 'running', attempts: 1, leaseOwner: 'A' });
    expect(claimed?.leaseExpiresAt).toBe(at(1000));
    expect(await jobs.claim(claimAt('B', 'b1', 500))).toEqual([]);
    expect(await jobs.renew(job.id, 'a1', at(2000))).toBe(true);
    expect(await jobs.renew(job.id, 'not-the-token', at(9000))).toBe(false);
    expect(await jobs.claim(claimAt('B', 'b1', 1500))).toEqual([]);
    // A holder that stopped renewing: its lease expires and the job is taken over.
    const [taken] = await jobs.claim(claimAt('B', 'b2', 2500));
    expect(taken).toMatchObject({ id: job.id, status: 'running', attempts: 2, leaseOwner: 'B' });
    expect(await jobs.renew(job.id, 'a1', at(9000))).toBe(false);
    expect(await jobs.finish(job.id, 'a1', { status: 'completed' })).toBe('lost');
    expect((await jobs.get(job.id))?.status).toBe('running');
    expect(await jobs.finish(job.id, 'b2', { status: 'completed' })).toBe('done');
    expect(await jobs.get(job.id)).toMatchObject({ status: 'completed', leaseOwner: null });
    expect(await jobs.claim(claimAt('B', 'b3', 99_000))).toEqual([]);
    // Only the types a claimer can run.
    expect((await jobs.claim(claimAt('C', 'c1', 0, 1000, ['other.kind']))).map((j) => j.id)).toEqual([
      other.id,
    ]);
  });

  it('gives an attempt back, and hands a keyed retry over to the pending job of its key', async () => {
    const { jobs } = current();
    const first = sampleJob({ key: 'k' });
    await jobs.insert(first);
    expect((await jobs.claim(claimAt('A', 'a1', 0))).map((j) => j.id)).toEqual([first.id]);
    const second = sampleJob({ key: 'k' });
    expect((await jobs.insert(second)).id).toBe(second.id);
    // A key runs one job at a time: the newer request waits for the run in progress.
    expect(await jobs.claim(claimAt('B', 'b1', 10))).toEqual([]);
    const retry = { status: 'pending', runAt: at(20), attempts: 1, lastError: 'flaky' } as const;
    expect(await jobs.finish(first.id, 'a1', retry)).toBe('superseded');
    expect(await jobs.get(first.id)).toMatchObject({ status: 'failed' });
    expect((await jobs.get(first.id))?.lastError).toContain(second.id);
    expect((await jobs.claim(claimAt('B', 'b2', 30))).map((j) => j.id)).toEqual([second.id]);
    const back = { status: 'pending', runAt: second.runAt, attempts: 0, lastError: null } as const;
    expect(await jobs.finish(second.id, 'b2', back)).toBe('done');
    expect(await jobs.get(second.id)).toMatchObject({ status: 'pending', attempts: 0, leaseOwner: null });
  });

  it('takes back at once the leases of an owner that restarted', async () => {
    const { jobs } = current();
    const job = sampleJob();
    await jobs.insert(job);
    await jobs.claim(claimAt('stable', 'old', 0, 60_000));
    expect(await jobs.claim(claimAt('stable', 'new', 10))).toEqual([]);
    expect(await jobs.expireLeases('someone-else')).toBe(0);
    expect(await jobs.expireLeases('stable')).toBe(1);
    const [again] = await jobs.claim(claimAt('stable', 'new', 20));
    expect(again).toMatchObject({ id: job.id, attempts: 2 });
    expect(await jobs.finish(job.id, 'old', { status: 'completed' })).toBe('lost');
  });
}
