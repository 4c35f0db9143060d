/**
 * Upload admission's stores (issue 14) on both catalog dialects: quota reservations are
 * atomic (racing uploads for the last bytes: one wins), usage counts each stored blob once
 * and every record, expired reservations stop counting, and an Idempotency-Key is claimed
 * once. PostgreSQL runs in a schema of its own, dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Catalog, createPostgresCatalog, createSqliteCatalog, runMigrations } from '@fileforge/core';
import { sampleFile } from '@fileforge/core/testing';
import { POSTGRES_TEST_URL, postgresTestSchema, requireService } from '@fileforge/test-fixtures/services';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIdempotencyStore } from '../src/admission/idempotency-store.js';
import { admissionMigrations } from '../src/admission/migrations.js';
import { createQuotaStore } from '../src/admission/quota-store.js';

const KiB = 1024;
const NOW = '2026-11-29T12:00:00.000Z';
const LATER = '2026-11-29T13:00:00.000Z';
const PAST = '2026-11-29T11:00:00.000Z';

type Factory = () => Promise<{ catalog: Catalog; teardown: () => Promise<void> }>;

function describeAdmissionStores(name: string, factory: Factory): void {
  describe(`Upload admission stores (${name})`, () => {
    let catalog: Catalog;
    let teardown: () => Promise<void>;
    beforeEach(async () => {
      ({ catalog, teardown } = await factory());
      await catalog.migrate();
      await runMigrations(catalog.db!(), [admissionMigrations]);
    });
    afterEach(async () => teardown());

    const reservation = (id: string, bytes: number, files = 1) => ({
      id,
      tenant: 't1',
      holder: 'h1',
      bytes,
      files,
      expiresAt: LATER,
    });

    it('reserves nothing for a tenant without a quota', async () => {
      const quotas = createQuotaStore(catalog.db!());
      expect(await quotas.reserve(reservation('a', 10 * 1024 * KiB), NOW)).toBe(false);
      expect(await quotas.usage('t1', NOW)).toEqual({
        bytes: 0,
        files: 0,
        reservedBytes: 0,
        reservedFiles: 0,
      });
    });

    it('of two uploads racing for the last bytes, exactly one gets them', async () => {
      const quotas = createQuotaStore(catalog.db!());
      await quotas.set('t1', { maxBytes: 1024 * KiB, maxFiles: null }, NOW);
      await catalog.files.insert(sampleFile({ tenant: 't1', size: 400 * KiB, blobKey: 't1/a' }));
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => quotas.reserve(reservation(`r${i}`, 400 * KiB), NOW)),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({
        code: 'QUOTA_EXCEEDED',
        details: { limit: 1024 * KiB, used: 800 * KiB, requested: 400 * KiB, unit: 'bytes' },
      });
      expect(await quotas.usage('t1', NOW)).toMatchObject({ bytes: 400 * KiB, reservedBytes: 400 * KiB });
    });

    it('counts the file quota, and frees a released or expired reservation', async () => {
      const quotas = createQuotaStore(catalog.db!());
      await quotas.set('t1', { maxBytes: null, maxFiles: 2 }, NOW);
      await quotas.reserve(reservation('a', 1), NOW);
      await quotas.reserve({ ...reservation('b', 1), expiresAt: PAST }, PAST.replace('11:', '10:'));
      // 'b' has expired by NOW: it no longer counts.
      await quotas.reserve(reservation('c', 1), NOW);
      await expect(quotas.reserve(reservation('d', 1), NOW)).rejects.toMatchObject({
        code: 'QUOTA_EXCEEDED',
        details: { unit: 'files', limit: 2, used: 2, requested: 1 },
      });
      await quotas.release('a');
      await quotas.reserve(reservation('d', 1), NOW);
      expect(await quotas.sweep(NOW)).toBe(1);
    });

    it('counts each stored blob once (dedupe) and every record; deletes give both back', async () => {
      const quotas = createQuotaStore(catalog.db!());
      const first = await catalog.files.insert(
        sampleFile({ tenant: 't1', size: 300 * KiB, sha256: 'a'.repeat(64), blobKey: 't1/x' }),
      );
      const dup = await catalog.files.insert(
        sampleFile({ tenant: 't1', size: 300 * KiB, sha256: 'a'.repeat(64), blobKey: 't1/y' }),
        { shareBlob: true },
      );
      await catalog.files.insert(sampleFile({ tenant: 't2', size: 5 * KiB, blobKey: 't2/z' }));
      expect(dup.duplicateOf).toBe(first.id);
      expect(await quotas.usage('t1', NOW)).toMatchObject({ bytes: 300 * KiB, files: 2 });
      await catalog.files.delete('t1', first.id);
      expect(await quotas.usage('t1', NOW)).toMatchObject({ bytes: 300 * KiB, files: 1 });
      await catalog.files.delete('t1', dup.id);
      expect(await quotas.usage('t1', NOW)).toMatchObject({ bytes: 0, files: 0 });
    });

    it('drops the reservations of dead holders at start-up, keeping long-lived ones', async () => {
      const quotas = createQuotaStore(catalog.db!());
      await quotas.set('t1', { maxBytes: 1024 * KiB, maxFiles: null }, NOW);
      await quotas.reserve(reservation('a', 100), NOW);
      await quotas.reserve({ ...reservation('b', 200), holder: 'tus' }, NOW);
      expect(await quotas.releaseAllExcept(['tus'])).toBe(1);
      expect(await quotas.usage('t1', NOW)).toMatchObject({ reservedBytes: 200 });
      await quotas.set('t1', { maxBytes: null, maxFiles: null }, NOW);
      expect(await quotas.get('t1')).toBeNull();
    });

    it('claims an Idempotency-Key once, keeps the answer, and frees it when abandoned or expired', async () => {
      const keys = createIdempotencyStore(catalog.db!());
      const scope = { tenant: 't1', principal: 'u1', key: 'k1' };
      const lease = { holder: 'h1', leaseUntil: LATER, expiresAt: '2026-11-30T12:00:00.000Z', now: NOW };
      const claims = await Promise.all([
        keys.claim(scope, lease),
        keys.claim(scope, { ...lease, holder: 'h2' }),
      ]);
      expect(claims.map((c) => c.state).sort()).toEqual(['claimed', 'in-flight']);
      // Either claim may commit first (PostgreSQL runs them on two connections): the winner answers.
      const winner = claims[0]?.state === 'claimed' ? 'h1' : 'h2';
      await keys.answer(scope, winner, { fingerprint: 'f', status: 201, response: '{"files":[]}' });
      expect(await keys.claim(scope, lease)).toEqual({
        state: 'answered',
        fingerprint: 'f',
        status: 201,
        response: '{"files":[]}',
      });
      // Another caller of the tenant has keys of its own.
      expect((await keys.claim({ ...scope, principal: 'u2' }, lease)).state).toBe('claimed');
      await keys.abandon({ ...scope, principal: 'u2' }, 'h1');
      expect((await keys.claim({ ...scope, principal: 'u2' }, lease)).state).toBe('claimed');
      // A day later the answer is gone: the key starts afresh, and the sweep removes what expired.
      const dayLater = { ...lease, now: '2026-11-30T12:00:00.000Z', expiresAt: '2026-12-01T12:00:00.000Z' };
      expect((await keys.claim(scope, dayLater)).state).toBe('claimed');
      // A key left in flight by a dead holder is taken over once its lease ran out.
      const stale = { tenant: 't1', principal: 'u3', key: 'k' };
      await keys.claim(stale, { ...lease, leaseUntil: PAST.replace('11:', '10:') });
      expect((await keys.claim(stale, lease)).state).toBe('claimed');
      expect(await keys.sweep('2026-11-30T12:00:00.000Z')).toBe(2);
    });
  });
}

describeAdmissionStores('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ff-admission-'));
  const catalog = createSqliteCatalog({ path: join(dir, 'catalog.db') });
  return {
    catalog,
    teardown: async () => {
      await catalog.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

const postgres = await requireService('PostgreSQL', POSTGRES_TEST_URL);
if (postgres) {
  describeAdmissionStores('postgresql', async () => {
    const { url, drop } = postgresTestSchema();
    const catalog = createPostgresCatalog({ url, max: 6 });
    return {
      catalog,
      teardown: async () => {
        await catalog.close();
        await drop();
      },
    };
  });
}
