import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../catalog/index.js';
import { createId } from '../ids/id.js';
import type { DerivativeRecord } from '../model/index.js';
import { jobStoreCases } from './catalog-jobs.js';
import { outboxCases } from './catalog-outbox.js';
import { searchCases } from './catalog-search.js';
import { sampleFile, tick } from './samples.js';

/** Creates a fresh, migrated-or-not catalog for one test, and how to dispose of it. */
export type CatalogFactory = () => Promise<{ catalog: Catalog; teardown(): Promise<void> }>;

/** The conformance suite every {@link Catalog} implementation runs unchanged. */
export function describeCatalog(name: string, factory: CatalogFactory): void {
  describe(`Catalog conformance: ${name}`, () => {
    let catalog: Catalog;
    let teardown: () => Promise<void>;
    beforeEach(async () => {
      ({ catalog, teardown } = await factory());
      await catalog.migrate();
    });
    afterEach(async () => teardown());

    it('migrates idempotently and answers ping', async () => {
      await catalog.migrate();
      await expect(catalog.ping()).resolves.toBeUndefined();
    });

    it('round-trips a file record exactly', async () => {
      const file = sampleFile({
        size: 5_000_000_000,
        typeMismatch: true,
        metadata: { a: { b: [1, 'two'] } },
      });
      await catalog.files.insert(file);
      expect(await catalog.files.get('default', file.id)).toEqual(file);
    });

    it('hides a record from other tenants', async () => {
      const file = sampleFile();
      await catalog.files.insert(file);
      expect(await catalog.files.get('other', file.id)).toBeNull();
      expect((await catalog.files.list('other')).items).toEqual([]);
      expect(await catalog.files.delete('other', file.id)).toBeNull();
      expect(await catalog.files.update('other', file.id, { status: 'failed' })).toBeNull();
      expect((await catalog.files.get('default', file.id))?.status).toBe('pending');
    });

    it('marks duplicates within a tenant and shares the blob when asked', async () => {
      const first = sampleFile({ sha256: 'a'.repeat(64) });
      const second = sampleFile({ sha256: 'a'.repeat(64) });
      const third = sampleFile({ sha256: 'a'.repeat(64) });
      const elsewhere = sampleFile({ sha256: 'a'.repeat(64), tenant: 'other', blobKey: 'other/x' });
      await catalog.files.insert(first, { shareBlob: true });
      const dup = await catalog.files.insert(second, { shareBlob: true });
      const kept = await catalog.files.insert(third, { shareBlob: false });
      const other = await catalog.files.insert(elsewhere, { shareBlob: true });
      expect(dup).toMatchObject({ duplicateOf: first.id, blobKey: first.blobKey });
      expect(kept).toMatchObject({ duplicateOf: first.id, blobKey: third.blobKey });
      expect(other).toMatchObject({ duplicateOf: null, blobKey: 'other/x' });
    });

    it('reports a shared blob as orphaned only when its last record is deleted', async () => {
      const first = sampleFile({ sha256: 'b'.repeat(64) });
      await catalog.files.insert(first, { shareBlob: true });
      const second = await catalog.files.insert(sampleFile({ sha256: 'b'.repeat(64) }), { shareBlob: true });
      expect((await catalog.files.delete('default', first.id))?.orphanedBlobKeys).toEqual([]);
      expect((await catalog.files.delete('default', second.id))?.orphanedBlobKeys).toEqual([first.blobKey]);
      expect(await catalog.files.get('default', first.id)).toBeNull();
    });

    it('never orphans a blob a committed record points at when uploads of the same content race deletes', async () => {
      // Engines that run transactions concurrently must lock: an insert sharing a blob and a
      // delete of the record it shares from may interleave in any order.
      const sha256 = 'c'.repeat(64);
      const orphaned = new Set<string>();
      let previous = await catalog.files.insert(sampleFile({ sha256 }), { shareBlob: true });
      for (let round = 0; round < 25; round++) {
        const [inserted, deleted] = await Promise.all([
          catalog.files.insert(sampleFile({ sha256 }), { shareBlob: true }),
          catalog.files.delete('default', previous.id),
        ]);
        for (const key of deleted?.orphanedBlobKeys ?? []) orphaned.add(key);
        // Whatever won, the surviving record's blob was never handed out for deletion.
        const survivor = await catalog.files.get('default', inserted.id);
        expect(survivor).not.toBeNull();
        expect(orphaned.has(survivor!.blobKey), `round ${round}`).toBe(false);
        previous = survivor!;
      }
    });

    it('hands out a shared blob exactly once when the records sharing it are deleted at once', async () => {
      // Each delete must see the other's: under READ COMMITTED both would still see a sharer
      // not yet committed as deleted, and the blob would never be removed.
      for (let round = 0; round < 10; round++) {
        const sha256 = `${round}`.padStart(64, 'd');
        const first = await catalog.files.insert(sampleFile({ sha256 }), { shareBlob: true });
        const second = await catalog.files.insert(sampleFile({ sha256 }), { shareBlob: true });
        expect(second.blobKey).toBe(first.blobKey);
        const deleted = await Promise.all([
          catalog.files.delete('default', first.id),
          catalog.files.delete('default', second.id),
        ]);
        expect(
          deleted.flatMap((d) => d?.orphanedBlobKeys ?? []),
          `round ${round}`,
        ).toEqual([first.blobKey]);
      }
    });

    it('lists newest first with a cursor and filters', async () => {
      const files = [
        sampleFile({ name: 'Alpha.PNG', mime: 'image/png', status: 'processed' }),
        sampleFile({ name: 'beta.jpg', mime: 'image/jpeg' }),
        sampleFile({ name: 'gamma_100%.txt', mime: 'text/plain' }),
      ];
      for (const f of files) await catalog.files.insert(f);
      const page1 = await catalog.files.list('default', { limit: 2 });
      expect(page1.items.map((f) => f.id)).toEqual([files[2]!.id, files[1]!.id]);
      expect(page1.nextCursor).toBeTruthy();
      const page2 = await catalog.files.list('default', { limit: 2, cursor: page1.nextCursor! });
      expect(page2.items.map((f) => f.id)).toEqual([files[0]!.id]);
      expect(page2.nextCursor).toBeNull();
      expect((await catalog.files.list('default', { mime: 'image/*' })).items).toHaveLength(2);
      expect((await catalog.files.list('default', { mime: 'image/png' })).items).toHaveLength(1);
      expect((await catalog.files.list('default', { status: 'processed' })).items).toHaveLength(1);
      expect((await catalog.files.list('default', { name: 'alpha' })).items[0]?.name).toBe('Alpha.PNG');
      expect((await catalog.files.list('default', { name: '_100%' })).items).toHaveLength(1);
      expect((await catalog.files.list('default', { name: '%' })).items).toHaveLength(1);
      await expect(catalog.files.list('default', { cursor: '!!' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    });

    it('updates status, error and metadata', async () => {
      const file = sampleFile();
      await catalog.files.insert(file);
      const error = { code: 'PROCESSOR_FAILED', message: 'boom', details: { processor: 'x' } };
      const updated = await catalog.files.update('default', file.id, {
        status: 'failed',
        error,
        metadata: { k: 1 },
      });
      expect(updated).toMatchObject({ status: 'failed', error, metadata: { k: 1 } });
      expect((await catalog.files.update('default', file.id, { error: null }))?.error).toBeNull();
      expect(await catalog.files.listUnfinished()).toEqual([]);
      expect(await catalog.files.countByStatus()).toEqual({ failed: 1 });
    });

    it('attaches derivatives to their parent, replaces them by name, and deletes them with it', async () => {
      const file = sampleFile();
      await catalog.files.insert(file);
      const d: DerivativeRecord = {
        fileId: file.id,
        name: 'thumbnail-256.webp',
        kind: 'thumbnail',
        mime: 'image/webp',
        size: 10,
        sha256: 'c'.repeat(64),
        width: 256,
        height: 192,
        blobKey: `default/derived/${file.id}/1-thumbnail-256.webp`,
        createdAt: file.createdAt,
      };
      await catalog.derivatives.put(d);
      await catalog.derivatives.put({ ...d, size: 20, blobKey: `${d.blobKey}.2` });
      expect(await catalog.derivatives.list(file.id)).toEqual([
        { ...d, size: 20, blobKey: `${d.blobKey}.2` },
      ]);
      const deleted = await catalog.files.delete('default', file.id);
      expect(deleted?.orphanedBlobKeys).toContain(`${d.blobKey}.2`);
      expect(await catalog.derivatives.get(file.id, d.name)).toBeNull();
    });

    it('stores users with unique emails, and API keys and refresh tokens', async () => {
      const clock = tick();
      const at = new Date(clock).toISOString();
      const user = {
        id: createId(clock),
        tenant: 'default',
        email: 'ada@example.com',
        passwordHash: '$2b$04$hash',
        role: 'admin' as const,
        disabled: false,
        tokenVersion: 0,
        createdAt: at,
        updatedAt: at,
      };
      expect(await catalog.accounts.countUsers()).toBe(0);
      await catalog.accounts.createUser(user);
      await expect(catalog.accounts.createUser({ ...user, id: createId(clock + 1) })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      expect(await catalog.accounts.findUsersByEmail('ADA@example.com')).toEqual([user]);
      await catalog.accounts.updateUser(user.id, { role: 'viewer', disabled: true });
      expect(await catalog.accounts.getUser(user.id)).toMatchObject({ role: 'viewer', disabled: true });
      expect(await catalog.accounts.listUsers('other')).toEqual([]);

      const key = {
        id: 'k1',
        tenant: 'default',
        name: 'ci',
        role: 'editor' as const,
        userId: user.id,
        secretHash: 'f'.repeat(64),
        createdAt: at,
        lastUsedAt: null,
        revokedAt: null,
      };
      await catalog.accounts.createApiKey(key);
      await catalog.accounts.updateApiKey('k1', { lastUsedAt: at, revokedAt: at });
      expect(await catalog.accounts.getApiKey('k1')).toEqual({ ...key, lastUsedAt: at, revokedAt: at });
      expect(await catalog.accounts.listApiKeys('default')).toHaveLength(1);

      const token = {
        id: 't1',
        userId: user.id,
        familyId: 'f1',
        secretHash: 'e'.repeat(64),
        expiresAt: at,
        usedAt: null,
        revokedAt: null,
        createdAt: at,
      };
      await catalog.accounts.createRefreshToken(token);
      await catalog.accounts.createRefreshToken({ ...token, id: 't2' });
      expect(await catalog.accounts.markRefreshTokenUsed('t1', at)).toBe(true);
      expect(await catalog.accounts.markRefreshTokenUsed('t1', at)).toBe(false);
      await catalog.accounts.createRefreshToken({ ...token, id: 't3', familyId: 'f2' });
      expect(await catalog.accounts.refreshFamilyOpen('f1')).toBe(true);
      await catalog.accounts.revokeRefreshFamily('f1', at);
      expect(await catalog.accounts.getRefreshToken('t2')).toMatchObject({ revokedAt: at });
      expect(await catalog.accounts.markRefreshTokenUsed('t2', at)).toBe(false);
      // A revoked login is closed; the user's other login and an unknown id are as they were.
      expect(await catalog.accounts.refreshFamilyOpen('f1')).toBe(false);
      expect(await catalog.accounts.refreshFamilyOpen('f2')).toBe(true);
      expect(await catalog.accounts.refreshFamilyOpen('f9')).toBe(false);
      await catalog.accounts.revokeUserRefreshTokens(user.id, at);
      expect(await catalog.accounts.refreshFamilyOpen('f2')).toBe(false);
    });

    it('keeps emails unique per tenant, not across tenants (issue 7)', async () => {
      const clock = tick();
      const at = new Date(clock).toISOString();
      const user = (id: string, tenant: string) => ({
        id,
        tenant,
        email: 'shared@example.com',
        passwordHash: '$2b$04$hash',
        role: 'editor' as const,
        disabled: false,
        tokenVersion: 0,
        createdAt: at,
        updatedAt: at,
      });
      const inDefault = user(createId(clock + 1), 'default');
      const inAcme = user(createId(clock + 2), 'acme');
      await catalog.accounts.createUser(inDefault);
      await catalog.accounts.createUser(inAcme);
      await expect(catalog.accounts.createUser(user(createId(clock + 3), 'acme'))).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      expect(await catalog.accounts.findUsersByEmail('Shared@Example.com')).toEqual([inDefault, inAcme]);
      expect(await catalog.accounts.findUsersByEmail('shared@example.com', 'acme')).toEqual([inAcme]);
      expect(await catalog.accounts.findUsersByEmail('shared@example.com', 'nowhere')).toEqual([]);
      expect(await catalog.accounts.findUsersByEmail('nobody@example.com')).toEqual([]);
      expect((await catalog.accounts.listUsers('acme')).map((u) => u.id)).toEqual([inAcme.id]);
    });

    it('bumps a user’s token version when the password, role or disabled flag changes (issue 7)', async () => {
      const clock = tick();
      const at = new Date(clock).toISOString();
      const id = createId(clock + 1);
      await catalog.accounts.createUser({
        id,
        tenant: 'default',
        email: 'grace@example.com',
        passwordHash: '$2b$04$hash',
        role: 'editor',
        disabled: false,
        tokenVersion: 0,
        createdAt: at,
        updatedAt: at,
      });
      const version = async () => (await catalog.accounts.getUser(id))?.tokenVersion;
      expect(await version()).toBe(0);
      await catalog.accounts.updateUser(id, { passwordHash: '$2b$04$other' });
      expect(await version()).toBe(1);
      await catalog.accounts.updateUser(id, { role: 'viewer' });
      expect(await version()).toBe(2);
      await catalog.accounts.updateUser(id, { disabled: true });
      expect(await version()).toBe(3);
      await catalog.accounts.updateUser(id, {});
      expect(await version()).toBe(3);
    });

    jobStoreCases(() => catalog);
    outboxCases(() => catalog);
    searchCases(() => catalog);
  });
}
