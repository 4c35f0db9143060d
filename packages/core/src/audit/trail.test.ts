import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Catalog, openCatalog } from '../catalog/index.js';
import type { AuditInput } from './entry.js';
import { auditMigrations } from './migrations.js';
import { openAuditTrail, openAuditTrailReadOnly } from './open.js';
import { type AuditTrail, createAuditTrail } from './trail.js';

let dir: string;
let url: string;
let catalog: Catalog;
let trail: AuditTrail;
let clock = Date.parse('2026-01-01T00:00:00Z');

const upload = (name: string, tenant = 'default'): AuditInput => ({
  tenant,
  actor: { type: 'user', id: 'u1' },
  action: 'file.upload',
  target: { type: 'file', id: `f-${name}`, name },
  requestId: 'req-1',
  clientAddress: '127.0.0.1',
  details: { size: 3 },
});

/** Raw SQL as someone with the database file would run it: the guard triggers dropped first. */
async function tamper(statement: ReturnType<typeof sql>) {
  const db = catalog.db!();
  await sql`DROP TRIGGER IF EXISTS audit_log_no_update`.execute(db);
  await sql`DROP TRIGGER IF EXISTS audit_log_no_delete`.execute(db);
  await statement.execute(db);
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ff-audit-'));
  url = `sqlite:${join(dir, 'catalog.db')}`;
  catalog = await openCatalog(url, { migrations: [auditMigrations] });
  await catalog.migrate();
  trail = createAuditTrail(catalog.db!(), { now: () => (clock += 1000) });
});

afterEach(async () => {
  await catalog.close();
  await rm(dir, { recursive: true, force: true });
});

describe('AuditTrail', () => {
  it('stores a name with a newline and JSON as one entry, the name intact as data', async () => {
    const name = 'a\nb{"x":1}.txt';
    await trail.record(upload(name));
    const { items } = await trail.list();
    expect(items).toHaveLength(1);
    expect(items[0]!.target.name).toBe(name);
    expect(items[0]).toMatchObject({
      seq: 1,
      action: 'file.upload',
      requestId: 'req-1',
      clientAddress: '127.0.0.1',
    });
    expect((await trail.verify()).ok).toBe(true);
  });

  it('keeps the chain whole when a text holds a lone surrogate (a hostile request), as the catalog stores it', async () => {
    await trail.record({ ...upload('before.txt'), tenant: 't\ud800', clientAddress: '\udfff' });
    await trail.record(upload('half \ud83d of an emoji.txt'));
    await trail.record(upload('after.txt'));
    expect(await trail.verify()).toMatchObject({ ok: true });
    const { items } = await trail.list();
    expect(items.map((i) => i.target.name)).toContain('half \ufffd of an emoji.txt');
  });

  it('links each entry to the previous one', async () => {
    const first = await trail.record(upload('one'));
    const second = await trail.record(upload('two'));
    expect(first.prevHash).toBe('0'.repeat(64));
    expect(second.prevHash).toBe(first.hash);
    expect(await trail.verify()).toEqual({ ok: true, checked: 2, head: { seq: 2, hash: second.hash } });
  });

  it('names the entry whose stored content was edited by one byte', async () => {
    for (const name of ['a', 'b', 'c', 'd']) await trail.record(upload(name));
    await tamper(sql`UPDATE audit_log SET target_name = 'x' WHERE seq = 3`);
    const result = await trail.verify();
    expect(result.ok).toBe(false);
    expect(result.broken).toMatchObject({ seq: 3, problem: 'hash_mismatch' });
    expect(result.checked).toBe(2);
  });

  it('detects an entry deleted from the middle', async () => {
    for (const name of ['a', 'b', 'c', 'd']) await trail.record(upload(name));
    await tamper(sql`DELETE FROM audit_log WHERE seq = 2`);
    expect((await trail.verify()).broken).toMatchObject({ seq: 2, problem: 'missing' });
  });

  it('detects a deleted entry renumbered to hide the gap', async () => {
    for (const name of ['a', 'b', 'c']) await trail.record(upload(name));
    await tamper(sql`DELETE FROM audit_log WHERE seq = 2`);
    await tamper(sql`UPDATE audit_log SET seq = 2 WHERE seq = 3`);
    expect((await trail.verify()).broken).toMatchObject({ seq: 2, problem: 'prev_hash_mismatch' });
  });

  it('refuses updates and deletes through the catalog connection', async () => {
    await trail.record(upload('a'));
    const db = catalog.db!();
    await expect(sql`UPDATE audit_log SET action = 'x'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('keeps one linear chain under 50 concurrent appends', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => trail.record(upload(`f${i}`))));
    const result = await trail.verify();
    expect(result).toMatchObject({ ok: true, checked: 50, head: { seq: 50 } });
  });

  it('appends inside a caller transaction, committing or rolling back with it', async () => {
    await expect(
      catalog.transaction(async (tx) => {
        await trail.record(upload('rolled-back'), { db: tx.db!() });
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    await catalog.transaction(async (tx) => {
      await trail.record(upload('kept'), { db: tx.db!() });
    });
    const { items } = await trail.list();
    expect(items.map((e) => e.target.name)).toEqual(['kept']);
  });

  it('redacts secret-named details', async () => {
    await trail.record({
      ...upload('a'),
      details: { password: 'hunter2', nested: { clientSecret: 's3cr3t' }, ok: 1 },
    });
    const [entry] = (await trail.list()).items;
    expect(entry!.details).toEqual({ password: '[redacted]', nested: { clientSecret: '[redacted]' }, ok: 1 });
  });

  it('filters by tenant, action, actor, target and time, newest first, paginated by cursor', async () => {
    for (let i = 0; i < 5; i++) await trail.record(upload(`d${i}`));
    await trail.record({ ...upload('other', 'acme') });
    await trail.record({ tenant: null, actor: { type: 'anonymous', id: null }, action: 'auth.login_failed' });
    await trail.record({ ...upload('x'), action: 'file.delete', actor: { type: 'api_key', id: 'k1' } });

    const first = await trail.list({ tenant: 'default', limit: 2 });
    expect(first.items.map((e) => e.seq)).toEqual([8, 5]);
    const second = await trail.list({ tenant: 'default', limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((e) => e.seq)).toEqual([4, 3]);
    const last = await trail.list({ tenant: 'default', limit: 10, cursor: second.nextCursor! });
    expect(last).toEqual({ items: expect.any(Array), nextCursor: null });
    expect(last.items.map((e) => e.seq)).toEqual([2, 1]);

    expect((await trail.list({ tenant: 'default', includeInstallationWide: true })).items).toHaveLength(7);
    expect((await trail.list({ action: 'file.delete' })).items.map((e) => e.seq)).toEqual([8]);
    expect((await trail.list({ action: 'auth.*' })).items.map((e) => e.seq)).toEqual([7]);
    expect((await trail.list({ actorId: 'k1' })).items.map((e) => e.seq)).toEqual([8]);
    expect((await trail.list({ targetType: 'file', targetId: 'f-d2' })).items.map((e) => e.seq)).toEqual([3]);
    const all = (await trail.list()).items;
    const at3 = all.find((e) => e.seq === 3)!.at;
    const at5 = all.find((e) => e.seq === 5)!.at;
    expect((await trail.list({ since: at3, until: at5 })).items.map((e) => e.seq)).toEqual([4, 3]);
  });

  it('verifies read-only next to a writer, and refuses to append then', async () => {
    await trail.record(upload('a'));
    const reader = await openAuditTrailReadOnly(url);
    try {
      await trail.record(upload('b'));
      expect(await reader.verify()).toMatchObject({ ok: true, checked: 2 });
      await expect(reader.record(upload('c'))).rejects.toThrow(/read-only/);
    } finally {
      await reader.close();
    }
  });

  it('appends from a second connection (a CLI command next to the server) onto the same chain', async () => {
    const other = await openAuditTrail(url);
    try {
      // One process runs its connection synchronously, so the two take turns here; between
      // processes a lost race for the next seq is retried (seq is the primary key).
      for (let i = 0; i < 3; i++) {
        await trail.record(upload(`server-${i}`));
        await other.record({
          tenant: null,
          actor: { type: 'system', id: null },
          action: 'encryption.key_rotate',
        });
      }
    } finally {
      await other.close();
    }
    const result = await trail.verify();
    expect(result).toMatchObject({ ok: true, checked: 6, head: { seq: 6 } });
    expect((await trail.list({ action: 'encryption.key_rotate' })).items.map((e) => e.seq)).toEqual([
      6, 4, 2,
    ]);
  });
});
