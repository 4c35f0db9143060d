import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteCatalog } from '@fileforge/core';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { coreMigrations } from '../src/catalog/migrations.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('users migration to per-tenant emails (issue 7)', () => {
  it('keeps the accounts of an existing catalog, with token version 0, and frees emails across tenants', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fileforge-users-migration-'));
    dirs.push(dir);
    const path = join(dir, 'catalog.db');

    // A catalog as the release before this one left it: emails unique across the installation.
    // biome-ignore lint/suspicious/noExplicitAny: the old schema has no type of its own
    const old = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(path) }) });
    const migrated = await new Migrator({
      db: old,
      provider: { getMigrations: async () => coreMigrations.migrations },
    }).migrateTo('0002_accounts_and_ownership');
    expect(migrated.error).toBeUndefined();
    const row = {
      id: '01user',
      tenant: 'default',
      email: 'editor@example.com',
      password_hash: '$2b$04$hash',
      role: 'editor',
      disabled: 1,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-02T00:00:00.000Z',
    };
    await old.insertInto('users').values(row).execute();
    await expect(
      old
        .insertInto('users')
        .values({ ...row, id: '01other', tenant: 'acme' })
        .execute(),
    ).rejects.toThrow(/unique/i);
    await old.destroy();

    const catalog = createSqliteCatalog({ path });
    try {
      await catalog.migrate();
      expect(await catalog.accounts.getUser('01user')).toEqual({
        id: '01user',
        tenant: 'default',
        email: 'editor@example.com',
        passwordHash: '$2b$04$hash',
        role: 'editor',
        disabled: true,
        tokenVersion: 0,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      });
      const inAcme = {
        id: '01acme',
        tenant: 'acme',
        email: 'editor@example.com',
        passwordHash: '$2b$04$other',
        role: 'admin' as const,
        disabled: false,
        tokenVersion: 0,
        createdAt: row.created_at,
        updatedAt: row.created_at,
      };
      await catalog.accounts.createUser(inAcme);
      await expect(catalog.accounts.createUser({ ...inAcme, id: '01acme2' })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      expect((await catalog.accounts.findUsersByEmail('editor@example.com')).map((u) => u.tenant)).toEqual([
        'acme',
        'default',
      ]);
    } finally {
      await catalog.close();
    }
  });
});
