import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobRecord } from '../model/index.js';
import type { Catalog } from './catalog.js';
import { createSqliteCatalog } from './sqlite.js';

// SQLite prepares a statement again on every run when a bound value can change its plan: a
// bound `limit ?`, or a bound status compared with `jobs.status` (the partial index
// `jobs_pending_key` is `where status = 'pending'`). The catalog's statements must bind
// neither; these tests read every text the driver prepares.

let catalog: Catalog | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await catalog?.close();
  catalog = undefined;
});

/** Every SQL text better-sqlite3 prepares from here on. */
function recordPrepared(): string[] {
  const prepared: string[] = [];
  const original = Database.prototype.prepare;
  vi.spyOn(Database.prototype, 'prepare').mockImplementation(function (this: Database.Database, sql: string) {
    prepared.push(sql);
    return original.call(this, sql);
  } as typeof original);
  return prepared;
}

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

function job(id: string, key: string | null): JobRecord {
  return {
    id,
    type: 'file.process',
    payload: { id },
    key,
    status: 'pending',
    attempts: 0,
    maxAttempts: 5,
    runAt: at(0),
    lastError: null,
    leaseOwner: null,
    leaseExpiresAt: null,
    createdAt: at(0),
    updatedAt: at(0),
  };
}

const claim = (c: Catalog, limit: number, now = 1) =>
  c.jobs.claim({
    owner: 'o',
    token: `t${now}`,
    types: ['file.process'],
    now: at(now),
    leaseUntil: at(now + 30),
    limit,
  });

describe('the SQLite catalog keeps its statements prepared', () => {
  it('binds no limit as `limit ?`, and every limit still holds', async () => {
    catalog = createSqliteCatalog({ path: ':memory:' });
    await catalog.migrate();
    for (const id of ['01a', '01b', '01c']) await catalog.jobs.insert(job(id, null));
    const prepared = recordPrepared();

    expect((await claim(catalog, 2)).map((j) => j.id)).toEqual(['01a', '01b']);
    expect((await claim(catalog, 2)).map((j) => j.id)).toEqual(['01c']);
    const page = await catalog.files.list('default', { limit: 1 });
    expect(page.items).toEqual([]);
    expect(await catalog.outbox.listUndelivered({ limit: 5 })).toEqual([]);
    const one = await catalog.db!().selectFrom('jobs').select('id').orderBy('id', 'desc').limit(1).execute();
    expect(one).toEqual([{ id: '01c' }]);

    const limited = prepared.filter((sql) => /\blimit\b/i.test(sql));
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.filter((sql) => /\blimit \?/i.test(sql))).toEqual([]);
    expect(limited.every((sql) => sql.includes('limit cast(? as integer)'))).toBe(true);
  });

  it("binds no job status it compares with `jobs.status`, and the queue's states still hold", async () => {
    catalog = createSqliteCatalog({ path: ':memory:' });
    await catalog.migrate();
    const prepared = recordPrepared();

    await catalog.jobs.insert(job('01a', 'k'));
    // A second request of the key while the first is pending merges into it.
    expect((await catalog.jobs.insert(job('01b', 'k'))).id).toBe('01a');
    const [first] = await claim(catalog, 5);
    expect(first?.id).toBe('01a');
    // While it runs, a new request of the key waits (the key runs one job at a time).
    await catalog.jobs.insert(job('01c', 'k'));
    expect(await claim(catalog, 5, 2)).toEqual([]);
    // A retry of the running one is superseded by the pending request, which then runs.
    expect(
      await catalog.jobs.finish('01a', 't1', {
        status: 'pending',
        runAt: at(3),
        attempts: 1,
        lastError: 'x',
      }),
    ).toBe('superseded');
    const [next] = await claim(catalog, 5, 4);
    expect(next?.id).toBe('01c');
    expect(await catalog.jobs.renew('01c', 't4', at(60))).toBe(true);
    expect(await catalog.jobs.finish('01c', 't4', { status: 'completed' })).toBe('done');
    expect(await catalog.jobs.expireLeases('o')).toBe(0);
    expect(await catalog.jobs.countByStatus()).toEqual({ completed: 1, failed: 1 });

    const onJobs = prepared.filter((sql) => /"jobs"/.test(sql));
    expect(onJobs.length).toBeGreaterThan(5);
    // A status set (`set "status" = ?`) changes no plan; one compared (after `where`) does.
    const compared = (sql: string) => sql.slice(sql.indexOf(' where ') + 1);
    expect(onJobs.filter((sql) => sql.includes(' where ') && /"status" = \?/.test(compared(sql)))).toEqual(
      [],
    );
  });
});
